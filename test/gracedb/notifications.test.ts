import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Publisher, PublishOptions } from '../../src/bus/publisher.js';
import { GraceDbClient } from '../../src/gracedb/client.js';
import { unixToGps } from '../../src/gracedb/gps-time.js';
import { startGraceDbService } from '../../src/gracedb/service/server.js';
import { needsShared, sharedData } from '../helpers/shared.js';
import { coincXml } from './coinc-fixture.js';
import {
  olibPayload,
  startTestGraceDb,
  type TestGraceDb,
  TOKEN,
  testClientOptions,
  USER,
} from './helpers.js';

/** IGWN-Alert notifications (gracedb-api.md §8): topics, envelope, which changes, order. */
let g: TestGraceDb;
const t0 = unixToGps(Date.parse('2024-05-05T05:05:05Z') / 1000);

before(async () => {
  g = await startTestGraceDb();
});
after(() => g?.close());

function since(mark: number) {
  return g.alerts().slice(mark);
}

test('an event: both pipeline topics with the same message, new before the labels given at upload', async () => {
  const mark = g.publisher.messages.length;
  const event = await g.client.createEvent(coincXml({ gpstime: t0 }), 'AllSky', 'gstlal', 'CBC', [
    'EMBRIGHT_READY',
    'PASTRO_READY',
  ]);
  const alerts = since(mark);
  assert.deepEqual(
    alerts.map((a) => [a.topic, a.message.alert_type]),
    [
      ['gracedb-test.cbc_gstlal', 'new'],
      ['gracedb-test.cbc_gstlal_allsky', 'new'],
      ['gracedb-test.cbc_gstlal', 'label_added'],
      ['gracedb-test.cbc_gstlal_allsky', 'label_added'],
      ['gracedb-test.cbc_gstlal', 'label_added'],
      ['gracedb-test.cbc_gstlal_allsky', 'label_added'],
    ],
  );
  assert.deepEqual(alerts[0]!.message, alerts[1]!.message);
  const created = alerts[0]!.message;
  assert.deepEqual(Object.keys(created), ['uid', 'alert_type', 'data', 'object']);
  assert.equal(created.uid, event.graceid);
  assert.deepEqual(created.data, created.object);
  const object = created.object as Record<string, unknown>;
  assert.deepEqual(object.labels, [], 'labels given at upload come after new');
  assert.deepEqual(object.superevent_neighbours, {});
  assert.equal(
    (object.links as Record<string, string>).self,
    `${g.service.url}events/${event.graceid}`,
  );
  const label = alerts[2]!.message;
  assert.deepEqual(label.data, {
    name: 'EMBRIGHT_READY',
    creator: USER,
    created: (label.data as Record<string, string>).created,
    self: `${g.service.url}events/${event.graceid}/labels/EMBRIGHT_READY`,
  });
  assert.deepEqual((label.object as Record<string, unknown>).labels, ['EMBRIGHT_READY']);
  assert.deepEqual((alerts[4]!.message.object as Record<string, unknown>).labels, [
    'EMBRIGHT_READY',
    'PASTRO_READY',
  ]);
});

test('topics by group, pipeline and search; superevents by category', async () => {
  const mark = g.publisher.messages.length;
  const test1 = await g.client.createEvent(
    coincXml({ gpstime: t0 + 10 }),
    'AllSky',
    'gstlal',
    'Test',
  );
  const mdc = await g.client.createEvent(coincXml({ gpstime: t0 + 20 }), 'MDC', 'gstlal', 'CBC');
  const noSearch = await g.client.createEvent(olibPayload(t0 + 30), null, 'oLIB', 'Burst');
  await g.client.createSuperevent(test1.graceid, t0 + 10, t0 + 9, t0 + 11);
  await g.client.createSuperevent(mdc.graceid, t0 + 20, t0 + 19, t0 + 21);
  await g.client.createSuperevent(noSearch.graceid, t0 + 30, t0 + 29, t0 + 31);
  const topics = since(mark).map((a) => `${a.topic} ${a.message.alert_type}`);
  assert.deepEqual(topics, [
    'gracedb-test.test_gstlal new',
    'gracedb-test.test_gstlal_allsky new',
    'gracedb-test.cbc_gstlal new',
    'gracedb-test.cbc_gstlal_mdc new',
    'gracedb-test.burst_olib new',
    'gracedb-test.test_superevent new',
    'gracedb-test.test_gstlal selected_as_preferred',
    'gracedb-test.test_gstlal_allsky selected_as_preferred',
    'gracedb-test.mdc_superevent new',
    'gracedb-test.cbc_gstlal selected_as_preferred',
    'gracedb-test.cbc_gstlal_mdc selected_as_preferred',
    'gracedb-test.superevent new',
    'gracedb-test.burst_olib selected_as_preferred',
  ]);
});

test("a candidate's life: the alert sequence of §8.4, nothing for tags, pipeline-preferred or own logs", async () => {
  const t = t0 + 1000;
  const mark = g.publisher.messages.length;
  const first = await g.client.createEvent(
    coincXml({ gpstime: t, snr: 10 }),
    'AllSky',
    'gstlal',
    'CBC',
  );
  const sid = (await g.client.createSuperevent(first.graceid, t, t - 1, t + 1))!;
  await g.client.upload('png', 'em_bright.png', first.graceid, 'em bright plot', ['em_bright']);
  await g.client.createLabel('SKYMAP_READY', sid);
  const second = await g.client.createEvent(
    coincXml({ gpstime: t + 0.01, snr: 20 }),
    'AllSky',
    'pycbc',
    'CBC',
  );
  await g.client.addEventToSuperevent(sid, second.graceid);
  await g.client.updateSuperevent(sid, { preferred_event: second.graceid, t_0: t + 0.01 });
  await g.client.addPipelinePreferredEvent(sid, second.graceid);
  const file = await g.client.upload('fits', 'bayestar.multiorder.fits', sid, 'sky map', [
    'sky_loc',
  ]);
  await g.client.createTag(file!, 'public', sid);
  await g.client.download(file!, sid);
  await g.client.createVoevent(sid, 'preliminary', {
    skymap_filename: file,
    skymap_type: 'bayestar',
  });
  await g.client.createLabel('ADVREQ', sid);
  await g.client.createSignoff('OK', 'ok', 'ADV', sid);
  const seen = since(mark)
    .filter((a) => !a.topic.endsWith('_allsky'))
    .map(
      (a) =>
        `${a.topic.replace('gracedb-test.', '')} ${a.message.uid === sid ? 'S' : a.message.uid === first.graceid ? 'G1' : 'G2'} ${a.message.alert_type}`,
    );
  assert.deepEqual(seen, [
    'cbc_gstlal G1 new',
    'superevent S new',
    'cbc_gstlal G1 selected_as_preferred',
    'cbc_gstlal G1 log',
    'superevent S label_added',
    'cbc_pycbc G2 new',
    'superevent S event_added',
    'cbc_pycbc G2 added_to_superevent',
    'cbc_gstlal G1 removed_as_preferred',
    'cbc_pycbc G2 selected_as_preferred',
    'superevent S update',
    'superevent S log',
    'superevent S voevent',
    'superevent S label_added',
    'superevent S label_added',
    'superevent S signoff_created',
  ]);
  const log = since(mark).find(
    (a) => a.message.alert_type === 'log' && a.message.uid === sid,
  )!.message;
  const data = log.data as Record<string, unknown>;
  assert.deepEqual(Object.keys(data), [
    'self',
    'N',
    'comment',
    'created',
    'issuer',
    'filename',
    'file_version',
    'tag_names',
    'file',
  ]);
  assert.deepEqual(
    [data.filename, data.file_version, data.tag_names],
    ['bayestar.multiorder.fits', 0, ['sky_loc']],
  );
  assert.equal(data.file, `${g.service.url}superevents/${sid}/files/bayestar.multiorder.fits,0`);
  const update = since(mark).find((a) => a.message.alert_type === 'update')!.message;
  assert.equal((update.data as Record<string, unknown>).preferred_event, second.graceid);
  assert.equal((update.object as Record<string, unknown>).t_0, t + 0.01);
  const signoffObject = since(mark).at(-1)!.message.object as Record<string, unknown>;
  assert.deepEqual(
    signoffObject.labels,
    ['SKYMAP_READY', 'ADVOK'],
    'ADVREQ disappears without label_removed',
  );
  const added = since(mark).find((a) => a.message.alert_type === 'added_to_superevent')!.message;
  const neighbours = (added.object as Record<string, Record<string, Record<string, unknown>>>)
    .superevent_neighbours;
  assert.deepEqual(neighbours[sid]!.gw_events, [first.graceid, second.graceid]);
});

test(
  'the message shape of gwcelery fixtures (current layout)',
  needsShared('gwcelery/tests/lvalert_event_creation.json'),
  async () => {
    const fixture = JSON.parse(
      readFileSync(sharedData('gwcelery/tests/lvalert_event_creation.json')!, 'utf8'),
    );
    const mark = g.publisher.messages.length;
    await g.client.createEvent(coincXml({ gpstime: t0 + 2000 }), 'MDC', 'gstlal', 'CBC');
    const [message] = since(mark);
    assert.equal(message!.topic, 'gracedb-test.cbc_gstlal');
    assert.deepEqual(Object.keys(message!.message).sort(), Object.keys(fixture).sort());
    assert.deepEqual(
      Object.keys(message!.message.object as object).sort(),
      Object.keys(fixture.object).sort(),
    );
    assert.equal(message!.message.alert_type, fixture.alert_type);
    assert.match(message!.message.uid as string, /^M\d+$/);
  },
);

test('a write that fails publishes nothing', async () => {
  const mark = g.publisher.messages.length;
  const event = await g.client.createEvent(olibPayload(t0 + 3000), 'AllSky', 'oLIB', 'Burst');
  const sid = (await g.client.createSuperevent(event.graceid, t0 + 3000, t0 + 2999, t0 + 3001))!;
  const before = g.publisher.messages.length;
  await assert.rejects(g.client.createLabel('NOT_A_LABEL', sid));
  await assert.rejects(g.client.updateSuperevent(sid, { preferred_event: 'G999999' }));
  assert.equal(g.publisher.messages.length, before);
  assert.ok(before > mark);
});

/** Records each message and whether its change is visible to another connection. */
class CommitCheckingPublisher implements Publisher {
  readonly seen: {
    topic: string;
    uid: string;
    type: string;
    label?: string;
    committed: boolean;
  }[] = [];
  failuresLeft = 0;
  constructor(private readonly dbPath: string) {}
  async publish(topic: string, value: string | Uint8Array, _options?: PublishOptions) {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('bus unavailable');
    }
    const message = JSON.parse(String(value));
    const db = new Database(this.dbPath, { readonly: true });
    try {
      const uid = message.uid as string;
      const committed = /^[GEHMTC]\d+$/.test(uid)
        ? !!db.prepare('SELECT 1 FROM events WHERE graceid = ?').get(uid)
        : !!db.prepare('SELECT 1 FROM superevents WHERE superevent_id = ?').get(uid);
      this.seen.push({
        topic,
        uid,
        type: message.alert_type,
        label: message.data?.name,
        committed,
      });
    } finally {
      db.close();
    }
    return { offset: String(this.seen.length) };
  }
}

test('messages are published after commit, in commit order, retried while the bus fails, kept across a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gracedb-outbox-'));
  const publisher = new CommitCheckingPublisher(join(dir, 'gracedb.sqlite3'));
  let service = await startGraceDbService({
    dataDir: dir,
    tokens: { [USER]: TOKEN },
    publisher,
    alertGroup: 'g',
    publishWaitMs: 100,
  });
  let client = new GraceDbClient(testClientOptions(service.url));
  try {
    publisher.failuresLeft = 3;
    const event = await client.createEvent(olibPayload(t0), 'AllSky', 'oLIB', 'Burst');
    const sid = (await client.createSuperevent(event.graceid, t0, t0 - 1, t0 + 1))!;
    for (const label of ['EM_READY', 'DQOK', 'SKYMAP_READY']) await client.createLabel(label, sid);
    // Stop with the bus down: what is not yet published stays in the outbox.
    publisher.failuresLeft = 1_000_000;
    await client.createLabel('GCN_PRELIM_SENT', sid);
    client.close();
    await service.close();
    const beforeRestart = publisher.seen.length;
    publisher.failuresLeft = 0;
    service = await startGraceDbService({
      dataDir: dir,
      tokens: { [USER]: TOKEN },
      publisher,
      alertGroup: 'g',
    });
    client = new GraceDbClient(testClientOptions(service.url));
    await client.createLabel('DQR_REQUEST', sid);
    assert.ok(publisher.seen.length > beforeRestart);
    assert.ok(
      publisher.seen.every((m) => m.committed),
      'every change was visible when its message went out',
    );
    assert.deepEqual(
      publisher.seen.filter((m) => m.uid === sid).map((m) => m.type),
      ['new', 'label_added', 'label_added', 'label_added', 'label_added', 'label_added'],
    );
    assert.deepEqual(
      publisher.seen.filter((m) => m.type === 'label_added').map((m) => m.label),
      ['EM_READY', 'DQOK', 'SKYMAP_READY', 'GCN_PRELIM_SENT', 'DQR_REQUEST'],
      'the label queued before the restart goes out first',
    );
    assert.deepEqual(publisher.seen.map((m) => m.topic).slice(0, 2), [
      'g.burst_olib',
      'g.burst_olib_allsky',
    ]);
  } finally {
    client.close();
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
