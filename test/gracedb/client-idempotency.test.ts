import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GraceDbError } from '../../src/gracedb/errors.js';
import { olibPayload, startTestGraceDb, type TestGraceDb, TOKEN } from './helpers.js';

/**
 * Every idempotency rule of gwcelery-spec §1.4, exercised over HTTP against the service: the
 * service answers with the exact body (checked byte for byte), the client takes it as success.
 */
let g: TestGraceDb;
let sid: string;
let gid: string;
let t0 = 1365450831.8996;

before(async () => {
  g = await startTestGraceDb();
  ({ sid, gid } = await newSuperevent());
});
after(() => g?.close());

async function newSuperevent(): Promise<{ sid: string; gid: string }> {
  t0 += 1000;
  const event = await g.client.createEvent(olibPayload(t0), 'AllSky', 'oLIB', 'Burst');
  const id = await g.client.createSuperevent(event.graceid, t0, t0 - 1, t0 + 1);
  assert.ok(id);
  return { sid: id, gid: event.graceid };
}

/** A raw request, to see the exact bytes the service answers. */
async function raw(method: string, path: string, body?: Record<string, string>) {
  const response = await fetch(new URL(path, g.service.url), {
    method,
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: body ? new URLSearchParams(body) : undefined,
  });
  return { status: response.status, text: await response.text() };
}

test('create_label: a label already on the superevent is success (exact 400 body)', async () => {
  await g.client.createLabel('EM_READY', sid);
  assert.deepEqual(await raw('POST', `superevents/${sid}/labels/`, { name: 'EM_READY' }), {
    status: 400,
    text: '"The fields superevent, name must make a unique set."',
  });
  await g.client.createLabel('EM_READY', sid);
  assert.deepEqual([...(await g.client.getLabels(sid))], ['EM_READY']);
});

test('create_label: ADVREQ after a signoff is success (exact 400 body)', async () => {
  const s = await newSuperevent();
  await g.client.createLabel('ADVREQ', s.sid);
  await g.client.createSignoff('OK', 'vetted', 'ADV', s.sid);
  assert.deepEqual(await raw('POST', `superevents/${s.sid}/labels/`, { name: 'ADVREQ' }), {
    status: 400,
    text: `"The 'ADVREQ' label cannot be applied to request a signoff because a related signoff already exists."`,
  });
  await g.client.createLabel('ADVREQ', s.sid);
  assert.deepEqual([...(await g.client.getLabels(s.sid))], ['ADVOK']);
});

test('create_label on an event twice answers 200 the second time', async () => {
  await g.client.createLabel('DQV', gid);
  const again = await raw('PUT', `events/${gid}/labels/DQV`);
  assert.equal(again.status, 200);
  assert.deepEqual(JSON.parse(JSON.parse(again.text)), {
    warning: `Event ${gid} already labeled with 'DQV'`,
  });
  await g.client.createLabel('DQV', gid);
  assert.deepEqual([...(await g.client.getLabels(gid))], ['DQV']);
});

test('remove_label: a label that is not applied (404) is success, on events and superevents', async () => {
  const eventAnswer = await raw('DELETE', `events/${gid}/labels/INJ`);
  assert.deepEqual(eventAnswer, {
    status: 404,
    text: `"No label 'INJ' associated with event ${gid}"`,
  });
  const supereventAnswer = await raw('DELETE', `superevents/${sid}/labels/INJ/`);
  assert.deepEqual(supereventAnswer, { status: 404, text: '{"detail":"Not found."}' });
  await g.client.removeLabel('INJ', gid);
  await g.client.removeLabel('INJ', sid);
  await g.client.createLabel('INJ', sid);
  await g.client.removeLabel('INJ', sid);
  assert.ok(!(await g.client.getLabels(sid)).has('INJ'));
});

test('create_signoff: a second signoff for the same instrument is success', async () => {
  const s = await newSuperevent();
  await g.client.createLabel('ADVREQ', s.sid);
  await g.client.createSignoff('NO', 'not real', 'ADV', s.sid);
  const again = await raw('POST', `superevents/${s.sid}/signoffs/`, {
    signoff_type: 'ADV',
    instrument: '',
    status: 'NO',
    comment: 'x',
  });
  assert.deepEqual(again, {
    status: 400,
    text: '"The fields superevent, instrument must make a unique set."',
  });
  await g.client.createSignoff('NO', 'not real', 'ADV', s.sid);
  assert.deepEqual([...(await g.client.getLabels(s.sid))], ['ADVNO']);
});

test('create_tag: a tag already on the log message is success (superevent 400, event 409)', async () => {
  const file = await g.client.upload('{}', 'p_astro.json', sid, 'p_astro', []);
  assert.equal(file, 'p_astro.json,0');
  await g.client.createTag('p_astro.json,0', 'public', sid);
  const log = await g.client.getLog(sid);
  const entry = log.find((e) => e.filename === 'p_astro.json')!;
  assert.deepEqual(
    await raw('POST', `superevents/${sid}/logs/${entry.N}/tags/`, { name: 'public' }),
    {
      status: 400,
      text: '"Tag is already applied to this log message"',
    },
  );
  await g.client.createTag('p_astro.json,0', 'public', sid);

  await g.client.upload('x', 'em_bright.json', gid, 'em bright complete', ['em_bright']);
  await g.client.createTag('em_bright.json', 'public', gid);
  const eventLog = await g.client.getLog(gid);
  const eventEntry = eventLog.find((e) => e.filename === 'em_bright.json')!;
  const again = await raw('PUT', `events/${gid}/log/${eventEntry.N}/tag/public`);
  assert.deepEqual(again, { status: 409, text: '"Log already has tag public"' });
  await g.client.createTag('em_bright.json', 'public', gid);
  assert.deepEqual((await g.client.getLog(gid)).find((e) => e.N === eventEntry.N)!.tag_names, [
    'em_bright',
    'public',
  ]);
});

test('create_tag picks the last log message with the file, and the version when given', async () => {
  await g.client.upload('v0', 'skymap.fits', sid, 'first', []);
  await g.client.upload('v1', 'skymap.fits', sid, 'second', []);
  await g.client.createTag('skymap.fits', 'sky_loc', sid);
  await g.client.createTag('skymap.fits,0', 'lvem', sid);
  const log = await g.client.getLog(sid);
  assert.deepEqual(log.find((e) => e.comment === 'second')!.tag_names, ['sky_loc']);
  assert.deepEqual(log.find((e) => e.comment === 'first')!.tag_names, ['lvem']);
  await assert.rejects(g.client.createTag('nothing.fits', 'sky_loc', sid), (err: Error) => {
    assert.ok(err instanceof GraceDbError);
    assert.match(
      err.message,
      /^create_tag sky_loc on nothing\.fits of S\d{6}[a-z]+ failed: no log message carries the file/,
    );
    return true;
  });
});

test('update_superevent: a PATCH that changes nothing is success (exact 400 body)', async () => {
  const current = await g.client.getSuperevent(sid);
  const answer = await fetch(new URL(`superevents/${sid}/`, g.service.url), {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ t_0: current.t_0, t_start: current.t_start }),
  });
  assert.equal(answer.status, 400);
  assert.equal(await answer.text(), '"Request would not modify the superevent"');
  await g.client.updateSuperevent(sid, { t_0: current.t_0, t_start: current.t_start, t_end: null });
  await g.client.updateSuperevent(sid, { t_end: current.t_end + 0.5 });
  assert.equal((await g.client.getSuperevent(sid)).t_end, current.t_end + 0.5);
});

test('create_superevent and add_event_to_superevent: an event already assigned is success', async () => {
  const answer = await fetch(new URL('superevents/', g.service.url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ t_start: t0, t_0: t0, t_end: t0, preferred_event: gid, category: 'P' }),
  });
  assert.equal(answer.status, 400);
  assert.equal(await answer.text(), `"Event ${gid} is already assigned to a Superevent"`);
  assert.equal(await g.client.createSuperevent(gid, t0, t0, t0), undefined);
  const other = await g.client.createEvent(olibPayload(t0 + 0.1), 'AllSky', 'oLIB', 'Burst');
  await g.client.addEventToSuperevent(sid, other.graceid);
  await g.client.addEventToSuperevent(sid, other.graceid);
  assert.deepEqual((await g.client.getSuperevent(sid)).gw_events, [gid, other.graceid]);
});

test('errors that are not idempotent successes name the operation and the id', async () => {
  await assert.rejects(g.client.createLabel('NO_SUCH_LABEL', sid), (err: Error) => {
    assert.ok(err instanceof GraceDbError);
    assert.equal(err.status, 400);
    assert.equal(
      err.message,
      `create_label NO_SUCH_LABEL on ${sid} failed: HTTP 400 "Object with name=NO_SUCH_LABEL does not exist."`,
    );
    return true;
  });
  await assert.rejects(
    g.client.getEvent('G999999'),
    /^GraceDbError: get_event G999999 failed: HTTP 404 Event not found\.$/,
  );
  await assert.rejects(g.client.createLabel('ADVOK', sid), /managed by an automated process/);
});

test('expose is a no-op unless expose_to_public is set', async () => {
  await g.client.exposeSuperevent(sid);
  const anonymous = await fetch(new URL(`superevents/${sid}/`, g.service.url));
  assert.equal(anonymous.status, 404);
  const exposing = g.newClient({ exposeToPublic: true });
  await exposing.exposeSuperevent(sid);
  await exposing.exposeSuperevent(sid);
  const visible = await fetch(new URL(`superevents/${sid}/`, g.service.url));
  assert.equal(visible.status, 200);
  const exposedAlerts = g
    .alerts()
    .filter((a) => a.message.alert_type === 'exposed' && a.message.uid === sid);
  assert.equal(exposedAlerts.length, 1, 'exposing twice changes nothing the second time');
});
