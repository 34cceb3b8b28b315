/**
 * The alert workflow in the one-process pipeline: uploads to the embedded GraceDB, the superevent
 * manager's labels, the orchestrator's flows and timers, alerts through the ledger to local files
 * and a Kafka stream (librdkafka's mock cluster). The search pipeline's sky map is uploaded by the
 * test, as a pipeline with its own localization does; BAYESTAR itself runs in end-to-end.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeAlertAvro, decodeAlertJson } from '../../../src/formats/alert/index.js';
import { readLvkVoevent } from '../../../src/formats/voevent/index.js';
import type { GraceDbClient } from '../../../src/gracedb/client.js';
import { unixToGps } from '../../../src/gracedb/gps-time.js';
import { coincXml } from '../../gracedb/coinc-fixture.js';
import { KafkaMock } from '../../helpers/kafka-mock.js';
import { readTopics } from '../../helpers/kafka-read.js';
import { eventually } from '../../helpers/process.js';
import {
  ORCHESTRATOR_QUEUES,
  startOrchestratorStack,
  theSuperevent,
  waitForLabel,
  waitForLog,
} from './stack.js';

const SKYMAP = readFileSync(
  new URL('../../fixtures/skymap/gaussian-blob.multiorder.fits', import.meta.url),
);
/** No openmp worker: the test supplies the localization (BAYESTAR is exercised elsewhere). */
const { openmp: _openmp, ...QUEUES } = ORCHESTRATOR_QUEUES;

let kafka: KafkaMock;
before(async () => {
  kafka = await KafkaMock.start();
});
after(() => kafka?.stop());

/** A candidate with the pipeline's own sky map (and p_astro, for gstlal AllSky). */
async function uploadCandidate(
  gracedb: GraceDbClient,
  options: { gpstime: number; far: number; search: string; pipeline?: string; labels?: string[] },
): Promise<string> {
  const created = await gracedb.createEvent(
    coincXml({ gpstime: options.gpstime, far: options.far, snr: 14, ifos: ['H1', 'L1', 'V1'] }),
    options.search,
    options.pipeline ?? 'gstlal',
    'CBC',
    options.labels ?? [],
  );
  const gid = created.graceid;
  await gracedb.upload(SKYMAP, 'bayestar.multiorder.fits', gid, 'sky localization complete', [
    'sky_loc',
    'public',
  ]);
  if (options.search === 'AllSky') {
    await gracedb.upload(
      '{"BNS": 0.95, "NSBH": 0.01, "BBH": 0.0, "Terrestrial": 0.04}',
      'gstlal.p_astro.json',
      gid,
      'p_astro from the search',
      ['p_astro', 'public'],
    );
    await gracedb.createLabel('PASTRO_READY', gid);
  }
  await gracedb.createLabel('SKYMAP_READY', gid);
  return gid;
}

function kafkaConfig(topic: string) {
  return {
    kafka_alert_config: {
      gcn: { url: `kafka://${kafka.bootstrapServers.split(',')[0]}/${topic}`, suffix: 'json' },
    },
  };
}

async function voevents(gracedb: GraceDbClient, sid: string): Promise<string[]> {
  return Object.keys(await gracedb.getSupereventFileList(sid))
    .filter((name) => /-\d+-[A-Za-z]+\.xml$/.test(name))
    .sort();
}

test('a significant MDC candidate: two preliminary alerts 270 s (here 2 s) apart, then ADVOK → initial', async (t) => {
  await kafka.createTopic('significant');
  const { stack, alertsDir, ledger } = await startOrchestratorStack(
    t,
    kafkaConfig('significant'),
    QUEUES,
  );
  const gracedb = stack.gracedb;
  const gid = await uploadCandidate(gracedb, {
    gpstime: unixToGps(Date.parse('2024-06-01T12:00:00Z') / 1000),
    far: 1e-10,
    search: 'MDC',
  });
  const { superevent_id: sid } = await theSuperevent(gracedb, 'mdc');
  assert.match(sid, /^MS/);

  await waitForLabel(gracedb, sid, 'GCN_PRELIM_SENT');
  await waitForLabel(gracedb, sid, 'DQR_REQUEST');
  await waitForLog(gracedb, sid, /^Alert preliminary-2: VOEvent .*-2-Preliminary\.xml created$/);
  const log = (await gracedb.getLog(sid)).map((e) => e.comment);
  for (const expected of [
    'The superevent already has a significant/EW event, skipping launching less-significant alert',
    'Superevent cleaned up after significant event.',
    'Automated DQ check before sending significant alert. New results supersede old results.',
    `Localization copied from ${gid}`,
    `Source properties copied from ${gid}`,
    `Source classification copied from ${gid}`,
    `Alert preliminary-1: VOEvent ${sid}-1-Preliminary.xml created`,
    'Superevent cleaned up after first preliminary alert',
  ]) {
    assert.ok(log.includes(expected), `log: ${expected}`);
  }
  // The gwcelery p_astro fallback ran for gstlal MDC; em_bright for every CBC event.
  const eventLabels = await gracedb.getLabels(gid);
  for (const label of ['EMBRIGHT_READY', 'PASTRO_READY', 'SKYMAP_READY']) {
    assert.ok(eventLabels.has(label), label);
  }
  const labels = await gracedb.getLabels(sid);
  for (const label of [
    'ADVREQ',
    'SIGNIF_LOCKED',
    'LOW_SIGNIF_LOCKED',
    'SKYMAP_READY',
    'EMBRIGHT_READY',
    'PASTRO_READY',
    'GCN_PRELIM_SENT',
    'DQR_REQUEST',
  ]) {
    assert.ok(labels.has(label), `superevent label ${label}`);
  }

  // Delivery: every serial to the files and the Kafka stream, once, through the ledger.
  await eventually(
    async () => {
      const records = await ledger(sid);
      return records.filter((r) => r.state === 'delivered').length >= 8 ? records : undefined;
    },
    60_000,
    'two preliminary alerts delivered to four destinations',
  );
  const records = await ledger(sid);
  assert.deepEqual(
    records.map((r) => `${r.alertType}#${r.serial}→${r.destination}:${r.state}`).sort(),
    [1, 2].flatMap((n) =>
      ['file-avro', 'file-json', 'file-xml', 'gcn'].map((d) => `preliminary#${n}→${d}:delivered`),
    ),
  );
  for (const n of [1, 2]) {
    const xml = readFileSync(join(alertsDir, `${sid}-${n}-preliminary.xml`));
    assert.deepEqual(xml, await gracedb.download(`${sid}-${n}-Preliminary.xml`, sid), 'unchanged');
    const notice = readLvkVoevent(xml);
    assert.equal(notice.serial, n);
    assert.equal(notice.significant, true);
    assert.equal(notice.role, 'test', 'MDC notices are test notices');
    assert.match(notice.skymapUrl ?? '', /bayestar\.multiorder\.fits,\d$/);
    assert.deepEqual(Object.keys(notice.classification ?? {}).sort(), [
      'BBH',
      'BNS',
      'NSBH',
      'Terrestrial',
    ]);
    const json = decodeAlertJson(readFileSync(join(alertsDir, `${sid}-${n}-preliminary.json`)));
    const avro = decodeAlertAvro(readFileSync(join(alertsDir, `${sid}-${n}-preliminary.avro`)));
    for (const packet of [json, avro]) {
      assert.equal(packet.alert_type, 'PRELIMINARY');
      assert.equal(packet.superevent_id, sid);
      assert.equal(packet.event?.significant, true);
      assert.ok(Buffer.from(packet.event!.skymap!).equals(SKYMAP), 'the sky map, byte for byte');
      assert.ok(packet.event?.properties.HasNS !== undefined);
    }
  }
  const messages = (await readTopics([kafka.bootstrapServers], ['significant'])).significant;
  assert.equal(messages.length, 2, 'one Kafka message per preliminary alert');

  // What the superevent page shows (release checklist, gwcelery-spec §8.7).
  await eventually(
    async () => {
      const files = Object.keys(await gracedb.getSupereventFileList(sid));
      return [
        'bayestar.png',
        'bayestar.html',
        'bayestar.fits.gz',
        'em_bright.png',
        'gstlal.p_astro.png',
        'preliminary-circular.txt',
        `${sid}-preliminary.json`,
      ].every((f) => files.includes(f))
        ? files
        : undefined;
    },
    60_000,
    'annotations, plots, circular and packet copy',
  );
  const copies = (await gracedb.getLog(sid)).filter(
    (e) => e.filename === `${sid}-preliminary.json`,
  );
  assert.equal(copies.length, 2);
  assert.ok(copies.every((e) => e.comment.startsWith('Kafka alert notice sent to kafka://')));

  // The advocate signs off: the initial alert.
  await gracedb.createSignoff('OK', 'looks good', 'ADV', sid);
  await waitForLog(gracedb, sid, /^Alert initial: VOEvent .*-3-Initial\.xml created$/);
  await eventually(
    () =>
      ['json', 'xml'].every((ext) => existsSync(join(alertsDir, `${sid}-3-initial.${ext}`)))
        ? true
        : undefined,
    60_000,
    'the initial alert file',
  );
  const initial = decodeAlertJson(readFileSync(join(alertsDir, `${sid}-3-initial.json`)));
  assert.equal(initial.alert_type, 'INITIAL');
  await waitForLog(gracedb, sid, /^Template for initial GCN Circular$/);
  assert.deepEqual(await voevents(gracedb, sid), [
    `${sid}-1-Preliminary.xml`,
    `${sid}-2-Preliminary.xml`,
    `${sid}-3-Initial.xml`,
  ]);
});

test('a less-significant candidate: two less-significant alerts and no significant one; ADVNO → retraction', async (t) => {
  await kafka.createTopic('less-significant');
  const { stack, alertsDir, ledger } = await startOrchestratorStack(
    t,
    kafkaConfig('less-significant'),
    QUEUES,
  );
  const gracedb = stack.gracedb;
  await uploadCandidate(gracedb, {
    gpstime: unixToGps(Date.parse('2024-06-02T12:00:00Z') / 1000),
    far: 1e-6,
    search: 'AllSky',
  });
  const { superevent_id: sid } = await theSuperevent(gracedb);
  await waitForLabel(gracedb, sid, 'LOW_SIGNIF_PRELIM_SENT');
  await waitForLog(
    gracedb,
    sid,
    /^Alert less-significant-2: VOEvent .*-2-Preliminary\.xml created$/,
  );
  const log = (await gracedb.getLog(sid)).map((e) => e.comment);
  assert.ok(
    log.includes(
      'Automated DQ check before sending less-significant preliminary alert. New results supersede old results.',
    ),
  );
  // Frames are not available here: the DQ check says so and does not block.
  assert.ok(log.some((c) => c.startsWith('Detector state for active instruments is unknown.')));
  assert.ok(log.includes('Superevent cleaned up before second less-significant alert'));
  const labels = await gracedb.getLabels(sid);
  assert.ok(
    !labels.has('SIGNIF_LOCKED') && !labels.has('GCN_PRELIM_SENT') && !labels.has('ADVREQ'),
  );

  await eventually(
    async () =>
      (await ledger(sid)).filter((r) => r.state === 'delivered').length >= 8 ? true : undefined,
    60_000,
    'two less-significant alerts delivered',
  );
  const records = await ledger(sid);
  assert.ok(
    records.every((r) => r.alertType === 'less-significant'),
    'no significant alert',
  );
  for (const n of [1, 2]) {
    const notice = readLvkVoevent(
      readFileSync(join(alertsDir, `${sid}-${n}-less-significant.xml`)),
    );
    assert.equal(notice.type, 'Preliminary');
    assert.equal(notice.significant, false);
    const packet = decodeAlertJson(
      readFileSync(join(alertsDir, `${sid}-${n}-less-significant.json`)),
    );
    assert.equal(packet.alert_type, 'PRELIMINARY');
    assert.equal(packet.event?.significant, false);
  }
  const files = Object.keys(await gracedb.getSupereventFileList(sid));
  assert.ok(!files.some((f) => f.includes('circular')), 'no circular for less-significant alerts');

  // An advocate is asked after all and rejects the candidate: the retraction.
  await gracedb.createLabel('ADVREQ', sid);
  await gracedb.createSignoff('NO', 'glitch', 'ADV', sid);
  await waitForLog(gracedb, sid, /^Alert retraction: VOEvent .*-3-Retraction\.xml created$/);
  await eventually(
    () =>
      ['json', 'xml'].every((ext) => existsSync(join(alertsDir, `${sid}-3-retraction.${ext}`)))
        ? true
        : undefined,
    60_000,
    'the retraction file',
  );
  const retraction = decodeAlertJson(readFileSync(join(alertsDir, `${sid}-3-retraction.json`)));
  assert.equal(retraction.alert_type, 'RETRACTION');
  assert.equal(retraction.event, null);
  const notice = readLvkVoevent(readFileSync(join(alertsDir, `${sid}-3-retraction.xml`)));
  assert.equal(notice.type, 'Retraction');
  assert.deepEqual(
    notice.citations.map((c) => c.cite),
    ['retraction', 'retraction'],
  );
  await waitForLog(gracedb, sid, /^Template for retraction GCN Circular$/);
});

test('labels that block: ADVNO before the second preliminary stops it, with the reference log line', async (t) => {
  const { stack, ledger } = await startOrchestratorStack(
    t,
    { superevent_clean_up_timeout: 6 },
    QUEUES,
  );
  const gracedb = stack.gracedb;
  await uploadCandidate(gracedb, {
    gpstime: unixToGps(Date.parse('2024-06-03T12:00:00Z') / 1000),
    far: 1e-10,
    search: 'MDC',
  });
  const { superevent_id: sid } = await theSuperevent(gracedb, 'mdc');
  await waitForLabel(gracedb, sid, 'GCN_PRELIM_SENT');
  await gracedb.createSignoff('NO', 'not astrophysical', 'ADV', sid);
  await waitForLog(gracedb, sid, /^Blocking automated notice due to labels \{'ADVNO'\}$/);
  await waitForLog(gracedb, sid, /^Alert retraction: VOEvent .*-2-Retraction\.xml created$/);
  await eventually(
    async () =>
      (await ledger(sid)).some((r) => r.alertType === 'retraction' && r.state === 'delivered')
        ? true
        : undefined,
    60_000,
    'the retraction delivered',
  );
  assert.deepEqual(await voevents(gracedb, sid), [
    `${sid}-1-Preliminary.xml`,
    `${sid}-2-Retraction.xml`,
  ]);
});

test('an early-warning candidate: the EarlyWarning notice, its circular, DQR_REQUEST after the delay', async (t) => {
  const { stack, alertsDir, ledger } = await startOrchestratorStack(t, {}, QUEUES);
  const gracedb = stack.gracedb;
  await uploadCandidate(gracedb, {
    gpstime: unixToGps(Date.parse('2024-06-04T12:00:00Z') / 1000),
    far: 1e-10,
    search: 'EarlyWarning',
    pipeline: 'spiir',
    labels: ['EARLY_WARNING'],
  });
  const { superevent_id: sid } = await theSuperevent(gracedb);
  await waitForLog(gracedb, sid, /^Alert earlywarning: VOEvent .*-1-EarlyWarning\.xml created$/);
  await waitForLabel(gracedb, sid, 'DQR_REQUEST');
  const log = (await gracedb.getLog(sid)).map((e) => e.comment);
  assert.ok(log.includes('Superevent cleaned up before sending EW alert.'));
  assert.ok(
    log.includes(
      'The superevent already has a significant/EW event, skipping launching less-significant alert',
    ),
  );
  assert.ok(!log.some((c) => c.startsWith('Automated DQ check before sending')), 'no DQ check');
  await eventually(
    async () =>
      (await ledger(sid)).filter((r) => r.state === 'delivered').length >= 3 ? true : undefined,
    60_000,
    'the early warning delivered',
  );
  const packet = decodeAlertJson(readFileSync(join(alertsDir, `${sid}-1-earlywarning.json`)));
  assert.equal(packet.alert_type, 'EARLYWARNING');
  assert.equal(packet.event?.search, 'EarlyWarning');
  // spiir early warning: gwcelery computed the p_astro itself.
  assert.deepEqual(Object.keys(packet.event?.classification ?? {}).sort(), [
    'BBH',
    'BNS',
    'NSBH',
    'Terrestrial',
  ]);
  await waitForLog(gracedb, sid, /^Template for earlywarning GCN Circular$/);
  const labels = await gracedb.getLabels(sid);
  assert.ok(!labels.has('GCN_PRELIM_SENT'), 'an early warning is not a preliminary');
});
