import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { unixToGps } from '../../src/gracedb/gps-time.js';
import { needsShared, sharedData } from '../helpers/shared.js';
import { coincXml } from './coinc-fixture.js';
import { startTestGraceDb, type TestGraceDb, TOKEN } from './helpers.js';

/** Superevents as the real service keeps them: ids, members, preferred events, signoffs, VOEvents. */
let g: TestGraceDb;

before(async () => {
  g = await startTestGraceDb();
});
after(() => g?.close());

/** GPS time of a UTC instant. */
function gps(iso: string): number {
  return unixToGps(Date.parse(iso) / 1000);
}

async function cbcEvent(
  t: number,
  options: { far?: number; snr?: number; search?: string; group?: string; pipeline?: string } = {},
) {
  return g.client.createEvent(
    coincXml({ gpstime: t, far: options.far, snr: options.snr }),
    options.search ?? 'AllSky',
    options.pipeline ?? 'gstlal',
    options.group ?? 'CBC',
  );
}

async function newSuperevent(t: number, options: Parameters<typeof cbcEvent>[1] = {}) {
  const event = await cbcEvent(t, options);
  const sid = await g.client.createSuperevent(event.graceid, t, t - 1, t + 1);
  assert.ok(sid);
  return { sid, event };
}

async function api(method: string, path: string, body?: unknown, json = false) {
  const response = await fetch(new URL(path, g.service.url), {
    method,
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      ...(body
        ? { 'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded' }
        : {}),
    },
    body: body
      ? json
        ? JSON.stringify(body)
        : new URLSearchParams(body as Record<string, string>)
      : undefined,
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

test('ids: UTC date of t_0, then a, b, ... per date and category, in order of creation', async () => {
  const day = gps('2024-01-02T12:00:00Z');
  const a = await newSuperevent(day);
  const b = await newSuperevent(day - 3600); // earlier t_0, created later: still the next letter
  const test1 = await newSuperevent(day + 10, { group: 'Test' });
  const mdc1 = await newSuperevent(day + 20, { search: 'MDC' });
  assert.deepEqual(
    [a.sid, b.sid, test1.sid, mdc1.sid],
    ['S240102a', 'S240102b', 'TS240102a', 'MS240102a'],
  );
  // Just before UTC midnight (18 leap seconds apart from GPS) is still that day.
  const late = await newSuperevent(gps('2024-01-02T23:59:59.5Z'));
  assert.equal(late.sid, 'S240102c');
  const next = await newSuperevent(gps('2024-01-03T00:00:00Z'));
  assert.equal(next.sid, 'S240103a');
  // Moving t_0 to another day later never changes the id.
  await g.client.updateSuperevent(a.sid, { t_0: day + 86400 * 3 });
  assert.equal((await g.client.getSuperevent(a.sid)).superevent_id, 'S240102a');
});

test('ids past z continue with aa, ab (bijective base 26)', async () => {
  const day = gps('2024-02-02T06:00:00Z');
  const ids: string[] = [];
  for (let i = 0; i < 28; i++) ids.push((await newSuperevent(day + i * 10)).sid);
  assert.deepEqual(ids.slice(24), ['S240202y', 'S240202z', 'S240202aa', 'S240202ab']);
});

test('creation: JSON shape of the fixture, preferred event a member, logs and pipeline-preferred', async () => {
  const t = gps('2024-03-03T03:03:03Z');
  const { sid, event } = await newSuperevent(t, { far: 1e-12 });
  const s = await g.client.getSuperevent(sid);
  const fixturePath = sharedData('gwcelery/tests/S230413b.json');
  if (fixturePath) {
    const fixture = JSON.parse(readFileSync(fixturePath, 'utf8'));
    assert.deepEqual(Object.keys(s), Object.keys(fixture));
    assert.deepEqual(Object.keys(s.links as object), Object.keys(fixture.links));
  }
  assert.equal(s.category, 'Production');
  assert.equal(s.gw_id, null);
  assert.equal(s.preferred_event, event.graceid);
  assert.deepEqual(s.gw_events, [event.graceid]);
  assert.deepEqual(s.em_events, []);
  assert.equal(s.far, 1e-12);
  assert.deepEqual([s.t_start, s.t_0, s.t_end], [t - 1, t, t + 1]);
  const preferredData = s.preferred_event_data as Record<string, unknown>;
  assert.equal(preferredData.graceid, event.graceid);
  assert.equal(preferredData.superevent, sid);
  assert.deepEqual(Object.keys(preferredData.superevent_neighbours as object), [sid]);
  const ppe = s.pipeline_preferred_events as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(ppe), ['gstlal']);
  assert.equal(ppe.gstlal!.graceid, event.graceid);
  assert.equal((await g.client.getEvent(event.graceid)).superevent, sid);
  const log = await g.client.getLog(sid);
  assert.equal(
    log[0]!.comment,
    `Superevent created with t_start=${t - 1}, t_0=${t}, t_end=${t + 1}, preferred_event=${event.graceid}`,
  );
  const eventLog = await g.client.getLog(event.graceid);
  assert.equal(eventLog.at(-1)!.comment, `Set as preferred event for superevent: ${sid}`);
});

test('creation errors: category mismatch, external preferred, unknown event, bad times', async () => {
  const t = gps('2024-03-04T00:00:00Z');
  const test1 = await cbcEvent(t, { group: 'Test' });
  const mismatch = await api(
    'POST',
    'superevents/',
    { t_start: t, t_0: t, t_end: t, preferred_event: test1.graceid, category: 'P' },
    true,
  );
  assert.equal(mismatch.status, 400);
  assert.equal(
    mismatch.text,
    `"Event ${test1.graceid} is of type 'Test', and cannot be assigned to a superevent of type 'Production'"`,
  );
  const unknown = await api(
    'POST',
    'superevents/',
    { t_start: t, t_0: t, t_end: t, preferred_event: 'G999999', category: 'P' },
    true,
  );
  assert.equal(unknown.text, '"Event with graceid=G999999 does not exist."');
  const several = await api(
    'POST',
    'superevents/',
    { t_0: 't', preferred_event: 'G999999', category: 'X' },
    true,
  );
  assert.deepEqual(several.json(), [
    'This field is required.',
    'A valid number is required.',
    'This field is required.',
    '"X" is not a valid choice.',
    'Event with graceid=G999999 does not exist.',
  ]);
  const precise = await api('POST', 'superevents/', {
    t_start: '1000000000.1234567',
    t_0: '1000000000',
    t_end: '1000000001',
    preferred_event: test1.graceid,
    category: 'T',
  });
  assert.equal(precise.text, '"Ensure that there are no more than 6 decimal places."');
  const grb = await g.client.createEvent(
    readFileSync(new URL('../fixtures/gracedb/grb-notice.xml', import.meta.url)),
    'GRB',
    'Fermi',
    'External',
  );
  const external = await api(
    'POST',
    'superevents/',
    { t_start: t, t_0: t, t_end: t, preferred_event: grb.graceid, category: 'P' },
    true,
  );
  assert.equal(external.status, 400);
  assert.match(external.text, /external event/);
});

test('JSON GPS times are rounded to 6 decimals', async () => {
  const t = gps('2024-03-05T00:00:00Z');
  const event = await cbcEvent(t);
  const created = await api(
    'POST',
    'superevents/',
    {
      t_start: t - 0.12345678,
      t_0: t + 0.12345612,
      t_end: t + 1,
      preferred_event: event.graceid,
      category: 'P',
    },
    true,
  );
  assert.equal(created.status, 201);
  const s = created.json();
  assert.equal(s.t_start, Math.round((t - 0.12345678) * 1e6) / 1e6);
  assert.equal(s.t_0, t + 0.123456);
});

test('update: preferred event change (member or not), logs on both events, window change', async () => {
  const t = gps('2024-03-06T00:00:00Z');
  const { sid, event: first } = await newSuperevent(t);
  const member = await cbcEvent(t + 0.1, { snr: 20 });
  await g.client.addEventToSuperevent(sid, member.graceid);
  const outsider = await cbcEvent(t + 0.2, { snr: 30 });
  await g.client.updateSuperevent(sid, {
    preferred_event: member.graceid,
    t_0: t + 0.1,
    t_end: t + 2,
  });
  let s = await g.client.getSuperevent(sid);
  assert.equal(s.preferred_event, member.graceid);
  assert.equal(s.t_0, t + 0.1);
  assert.equal(s.t_end, t + 2);
  assert.equal(
    (await g.client.getLog(sid)).at(-1)!.comment,
    `Updated superevent parameters: t_0: ${t} -> ${t + 0.1}, t_end: ${t + 1} -> ${t + 2}, preferred_event: ${first.graceid} -> ${member.graceid}`,
  );
  assert.equal(
    (await g.client.getLog(first.graceid)).at(-1)!.comment,
    `Removed as preferred event for superevent: ${sid}`,
  );
  assert.equal(
    (await g.client.getLog(member.graceid)).at(-1)!.comment,
    `Set as preferred event for superevent: ${sid}`,
  );
  await g.client.updateSuperevent(sid, { preferred_event: outsider.graceid });
  s = await g.client.getSuperevent(sid);
  assert.deepEqual(s.gw_events, [first.graceid, member.graceid, outsider.graceid]);
  const other = await newSuperevent(t + 500);
  const taken = await api(
    'PATCH',
    `superevents/${sid}/`,
    { preferred_event: other.event.graceid },
    true,
  );
  assert.equal(taken.text, `"Event ${other.event.graceid} is already assigned to a Superevent"`);
  const alerts = g
    .alerts()
    .filter((a) => a.message.uid === first.graceid || a.message.uid === member.graceid);
  assert.ok(
    alerts.some(
      (a) => a.message.uid === first.graceid && a.message.alert_type === 'removed_as_preferred',
    ),
  );
  assert.ok(
    alerts.some(
      (a) => a.message.uid === member.graceid && a.message.alert_type === 'selected_as_preferred',
    ),
  );
});

test('members: external events in em_events; removing; the preferred event stays', async () => {
  const t = gps('2024-03-07T00:00:00Z');
  const { sid, event } = await newSuperevent(t);
  const grb = await g.client.createEvent(
    readFileSync(new URL('../fixtures/gracedb/grb-notice.xml', import.meta.url)),
    'GRB',
    'Fermi',
    'External',
  );
  const extra = await cbcEvent(t + 0.3);
  await g.client.addEventToSuperevent(sid, grb.graceid);
  await g.client.addEventToSuperevent(sid, extra.graceid);
  let s = await g.client.getSuperevent(sid);
  assert.deepEqual(s.gw_events, [event.graceid, extra.graceid]);
  assert.deepEqual(s.em_events, [grb.graceid]);
  assert.equal((await api('DELETE', `superevents/${sid}/events/${extra.graceid}/`)).status, 204);
  const preferred = await api('DELETE', `superevents/${sid}/events/${event.graceid}/`);
  assert.equal(
    preferred.text,
    `"Event ${event.graceid} can't be removed from superevent ${sid} because it is the preferred event"`,
  );
  s = await g.client.getSuperevent(sid);
  assert.deepEqual(s.gw_events, [event.graceid]);
  assert.equal((await g.client.getEvent(extra.graceid)).superevent, null);
  const members = (await api('GET', `superevents/${sid}/events/`)).json();
  assert.deepEqual(members.events, [
    { self: `${g.service.url}events/${event.graceid}`, graceid: event.graceid },
    { self: `${g.service.url}events/${grb.graceid}`, graceid: grb.graceid },
  ]);
});

test('pipeline-preferred events: one per pipeline, replaced, never the preferred removed, no alert', async () => {
  const t = gps('2024-03-08T00:00:00Z');
  const { sid, event } = await newSuperevent(t);
  const pycbc = await cbcEvent(t + 0.1, { pipeline: 'pycbc' });
  const pycbc2 = await cbcEvent(t + 0.2, { pipeline: 'pycbc' });
  await g.client.addEventToSuperevent(sid, pycbc.graceid);
  await g.client.addEventToSuperevent(sid, pycbc2.graceid);
  const before = g.publisher.messages.length;
  await g.client.addPipelinePreferredEvent(sid, pycbc.graceid);
  await g.client.addPipelinePreferredEvent(sid, pycbc2.graceid);
  assert.equal(
    g.publisher.messages.length,
    before,
    'no notification for pipeline-preferred changes',
  );
  let s = await g.client.getSuperevent(sid);
  assert.deepEqual(
    Object.entries(s.pipeline_preferred_events as Record<string, { graceid: string }>).map(
      ([p, e]) => [p, e.graceid],
    ),
    [
      ['gstlal', event.graceid],
      ['pycbc', pycbc2.graceid],
    ],
  );
  const again = await api(
    'POST',
    `superevents/${sid}/pipeline_preferred_events/`,
    { event: pycbc2.graceid },
    true,
  );
  assert.equal(
    again.text,
    `"Event ${pycbc2.graceid} is already the pycbc pipeline-preferred event for ${sid}"`,
  );
  const stranger = await cbcEvent(t + 50);
  const notMember = await api(
    'POST',
    `superevents/${sid}/pipeline_preferred_events/`,
    { event: stranger.graceid },
    true,
  );
  assert.equal(notMember.text, `"Event ${stranger.graceid} is not part of superevent ${sid}"`);
  const preferred = await api(
    'DELETE',
    `superevents/${sid}/pipeline_preferred_events/${event.graceid}/`,
  );
  assert.match(preferred.text, /because it is the preferred event/);
  await g.client.removePipelinePreferredEvent(sid, pycbc2.graceid);
  s = await g.client.getSuperevent(sid);
  assert.deepEqual(Object.keys(s.pipeline_preferred_events as object), ['gstlal']);
});

test('signoffs become labels: ADVREQ silently removed, ADVOK/ADVNO added with an alert', async () => {
  const t = gps('2024-03-09T00:00:00Z');
  const { sid } = await newSuperevent(t);
  const notRequested = await api('POST', `superevents/${sid}/signoffs/`, {
    signoff_type: 'ADV',
    instrument: '',
    status: 'OK',
    comment: '',
  });
  assert.equal(
    notRequested.text,
    `"ADV signoff not requested for superevent ${sid}: label 'ADVREQ' not present."`,
  );
  const noInstrument = await api('POST', `superevents/${sid}/signoffs/`, {
    signoff_type: 'OP',
    instrument: '',
    status: 'OK',
    comment: '',
  });
  assert.equal(noInstrument.text, '"Operator signoffs require an instrument"');
  const advWithIfo = await api('POST', `superevents/${sid}/signoffs/`, {
    signoff_type: 'ADV',
    instrument: 'H1',
    status: 'OK',
    comment: '',
  });
  assert.equal(
    advWithIfo.text,
    '"Advocate signoffs are not relevant to aparticular instrument; do not provide one."',
  );

  await g.client.createLabel('ADVREQ', sid);
  const mark = g.publisher.messages.length;
  await g.client.createSignoff('OK', 'looks good', 'ADV', sid);
  const alerts = g.alerts().slice(mark);
  assert.deepEqual(
    alerts.map((a) => [
      a.message.alert_type,
      (a.message.data as Record<string, unknown>).name ?? null,
    ]),
    [
      ['label_added', 'ADVOK'],
      ['signoff_created', null],
    ],
  );
  assert.deepEqual(alerts[1]!.message.data, {
    self: `${g.service.url}superevents/${sid}/signoffs/ADV/`,
    signoff_type: 'ADV',
    instrument: '',
    status: 'OK',
    submitter: 'emfollow',
    comment: 'looks good',
  });
  assert.deepEqual((alerts[1]!.message.object as Record<string, unknown>).labels, ['ADVOK']);
  const entry = (await g.client.getLog(sid)).at(-1)!;
  assert.equal(
    entry.comment,
    "Advocate signoff certified status as OK: 'looks good'; label ADVREQ removed and label ADVOK applied",
  );
  assert.deepEqual(entry.tag_names, ['em_follow']);

  const swapped = await api('PATCH', `superevents/${sid}/signoffs/ADV/`, { status: 'NO' });
  assert.equal(swapped.status, 200);
  assert.deepEqual([...(await g.client.getLabels(sid))], ['ADVNO']);
  const unchanged = await api('PATCH', `superevents/${sid}/signoffs/ADV/`, { status: 'NO' });
  assert.equal(unchanged.text, '"Request would not modify the signoff."');
  assert.equal((await api('DELETE', `superevents/${sid}/signoffs/ADV/`)).status, 204);
  assert.deepEqual([...(await g.client.getLabels(sid))], ['ADVREQ']);

  await g.client.createLabel('H1OPS', sid);
  await g.client.createSignoff('NO', 'glitch', 'H1', sid);
  assert.deepEqual([...(await g.client.getLabels(sid))], ['ADVREQ', 'H1NO']);
  assert.match(
    (await g.client.getLog(sid)).at(-1)!.comment,
    /^Operator signoff certified status as NO for H1: 'glitch'; label H1OPS removed and label H1NO applied$/,
  );
  const list = (await api('GET', `superevents/${sid}/signoffs/`)).json();
  assert.deepEqual(
    list.signoffs.map(
      (s: { signoff_type: string; instrument: string }) => `${s.signoff_type}${s.instrument}`,
    ),
    ['OPH1'],
  );
});

test('protected and unknown labels are refused; labels are a set in application order', async () => {
  const { sid } = await newSuperevent(gps('2024-03-10T00:00:00Z'));
  const protectedLabel = await api('POST', `superevents/${sid}/labels/`, { name: 'ADVOK' });
  assert.equal(
    protectedLabel.text,
    `"The label 'ADVOK' is managed by an automated process and cannot be manually added"`,
  );
  const unknown = await api('POST', `superevents/${sid}/labels/`, { name: 'NOPE' });
  assert.equal(unknown.text, '"Object with name=NOPE does not exist."');
  for (const label of ['SKYMAP_READY', 'EM_READY', 'SKYMAP_READY', 'DQOK'])
    await g.client.createLabel(label, sid);
  assert.deepEqual((await g.client.getSuperevent(sid)).labels, [
    'SKYMAP_READY',
    'EM_READY',
    'DQOK',
  ]);
  const label = (await api('GET', `superevents/${sid}/labels/EM_READY/`)).json();
  assert.deepEqual(Object.keys(label), ['self', 'name', 'created', 'creator']);
  assert.equal(label.self, `${g.service.url}superevents/${sid}/labels/EM_READY/`);
});

test('expose and hide: permission lists, logs, alerts, anonymous visibility', async () => {
  const { sid } = await newSuperevent(gps('2024-03-11T00:00:00Z'));
  const exposed = await api('POST', `superevents/${sid}/permissions/modify/`, { action: 'expose' });
  assert.deepEqual(exposed.json(), [
    { group: 'gw-astronomy:LV-EM:Observers', permission: 'view_superevent' },
    { group: 'gw-astronomy:LV-EM:Observers', permission: 'annotate_superevent' },
    { group: 'public_users', permission: 'view_superevent' },
  ]);
  assert.equal(
    (await g.client.getLog(sid)).at(-1)!.comment,
    'Exposed to LV-EM observers and the general public.',
  );
  const anonymous = (await (
    await fetch(new URL(`superevents/${sid}/`, g.service.url))
  ).json()) as Record<string, Record<string, Record<string, unknown>>>;
  assert.equal(anonymous.preferred_event, undefined);
  assert.equal(anonymous.gw_events, undefined);
  assert.equal(anonymous.links.events, undefined);
  assert.deepEqual(Object.keys(anonymous.pipeline_preferred_events.gstlal), [
    'graceid',
    'group',
    'pipeline',
    'search',
    'gpstime',
    'far',
  ]);
  const bad = await api('POST', `superevents/${sid}/permissions/modify/`, { action: 'publish' });
  assert.equal(bad.text, `"action must be 'expose' or 'hide'"`);
  assert.deepEqual(
    (await api('POST', `superevents/${sid}/permissions/modify/`, { action: 'hide' })).json(),
    [],
  );
  assert.equal((await fetch(new URL(`superevents/${sid}/`, g.service.url))).status, 404);
});

test('confirmation as GW: the next GW letter of the date, both ids resolve, alerts use it', async () => {
  const t = gps('2024-03-12T00:00:00Z');
  const first = await newSuperevent(t);
  const second = await newSuperevent(t + 100);
  const a = (await api('POST', `superevents/${second.sid}/confirm-as-gw/`)).json();
  const b = (await api('POST', `superevents/${first.sid}/confirm-as-gw/`)).json();
  assert.equal(a.gw_id, 'GW240312A');
  assert.equal(b.gw_id, 'GW240312B');
  assert.equal(b.superevent_id, first.sid);
  assert.equal((await g.client.getSuperevent('GW240312B')).superevent_id, first.sid);
  const again = await api('POST', `superevents/${first.sid}/confirm-as-gw/`);
  assert.equal(again.text, '"Superevent is already confirmed as a GW"');
  const alert = g.alerts().findLast((m) => m.message.alert_type === 'confirmed_as_gw');
  assert.equal(alert!.message.uid, 'GW240312B');
});

test('VOEvents: validation, numbering, file <sid>-<N>-<Type>.xml, IVORN, log, citations', async () => {
  const t = gps('2024-03-13T10:00:00Z');
  const { sid } = await newSuperevent(t, { far: 2e-10 });
  const needsSkymap = await api('POST', `superevents/${sid}/voevents/`, { voevent_type: 'IN' });
  assert.equal(needsSkymap.text, '"Skymap filename is required for initial and update VOEvents."');
  const massGap = await api('POST', `superevents/${sid}/voevents/`, {
    voevent_type: 'PR',
    MassGap: '0.1',
  });
  assert.equal(massGap.text, '"MassGap has been replaced with HasMassGap"');
  const noType = await api('POST', `superevents/${sid}/voevents/`, {
    voevent_type: 'PR',
    skymap_filename: 'bayestar.multiorder.fits',
  });
  assert.equal(noType.text, '"Skymap type is required for VOEvents that include a skymap."');
  const missing = await api('POST', `superevents/${sid}/voevents/`, {
    voevent_type: 'PR',
    skymap_filename: 'bayestar.multiorder.fits',
    skymap_type: 'bayestar',
  });
  assert.equal(
    missing.text,
    '"Skymap file bayestar.multiorder.fits not found for this superevent."',
  );
  const noEmType = await api('POST', `superevents/${sid}/voevents/`, {
    voevent_type: 'PR',
    raven_coinc: 'True',
  });
  assert.equal(noEmType.text, `"em_type for superevent ${sid} not set (is None)"`);
  const outOfRange = await api('POST', `superevents/${sid}/voevents/`, {
    voevent_type: 'PR',
    BNS: '1.5',
  });
  assert.equal(outOfRange.text, '"Ensure this value is less than or equal to 1."');

  await g.client.upload('fits', 'bayestar.multiorder.fits', sid, 'sky map', ['sky_loc']);
  const first = await g.client.createVoevent(sid, 'preliminary', {
    internal: false,
    open_alert: true,
    Significant: true,
    skymap_filename: 'bayestar.multiorder.fits,0',
    skymap_type: 'bayestar',
    ProbHasNS: 0.95,
    BNS: 0.9,
    Terrestrial: 0.1,
  });
  assert.equal(first, `${sid}-1-Preliminary.xml`);
  const second = await g.client.createVoevent(sid, 'initial', {
    skymap_filename: 'bayestar.multiorder.fits',
    skymap_type: 'bayestar',
  });
  assert.equal(second, `${sid}-2-Initial.xml`);
  const list = (await api('GET', `superevents/${sid}/voevents/`)).json();
  assert.equal(list.numRows, 2);
  const v1 = list.voevents[0];
  assert.equal(v1.ivorn, `ivo://gwnet/LVC#${sid}-1-Preliminary`);
  assert.equal(v1.voevent_type, 'PR');
  assert.equal(
    v1.links.file,
    `${g.service.url}superevents/${sid}/files/${sid}-1-Preliminary.xml,0`,
  );
  assert.equal(v1.internal, false);
  assert.equal(v1.open_alert, true);
  assert.equal(v1.significant, true);
  assert.equal(v1.prob_has_ns, 0.95);
  assert.equal(v1.prob_bns, 0.9);
  assert.equal(v1.coinc_comment, false);
  const entry = (await g.client.getLog(sid)).find((e) => e.filename === first)!;
  assert.equal(entry.comment, 'New VOEvent');
  assert.deepEqual(entry.tag_names, ['em_follow']);

  const xml = (await g.client.download(second, sid)).toString();
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
  }).parse(xml);
  assert.equal(doc.VOEvent['@ivorn'], `ivo://gwnet/LVC#${sid}-2-Initial`);
  assert.equal(doc.VOEvent['@role'], 'observation');
  const params = Object.fromEntries(
    (doc.VOEvent.What.Param as { '@name': string; '@value': string }[]).map((p) => [
      p['@name'],
      p['@value'],
    ]),
  );
  assert.equal(params.GraceID, sid);
  assert.equal(params.Pkt_Ser_Num, '2');
  assert.equal(params.Packet_Type, '151');
  assert.equal(params.FAR, '2e-10');
  assert.equal(params.EventPage, `${g.service.url.replace(/api\/$/, '')}superevents/${sid}/view/`);
  const skymap = (
    doc.VOEvent.What.Group as { '@name': string; Param: { '@value': string } }[]
  ).find((gr) => gr['@name'] === 'GW_SKYMAP')!;
  assert.equal(
    skymap.Param['@value'],
    `${g.service.url}superevents/${sid}/files/bayestar.multiorder.fits,0`,
  );
  assert.equal(doc.VOEvent.Citations.EventIVORN['#text'], `ivo://gwnet/LVC#${sid}-1-Preliminary`);
  assert.equal(doc.VOEvent.Citations.EventIVORN['@cite'], 'supersedes');
  assert.equal(
    doc.VOEvent.WhereWhen.ObsDataLocation.ObservationLocation.AstroCoords.Time.TimeInstant.ISOTime,
    '2024-03-13T10:00:00Z',
  );

  const mdc = await newSuperevent(t + 50, { search: 'MDC' });
  const mdcFile = await g.client.createVoevent(mdc.sid, 'preliminary', {});
  assert.match((await g.client.download(mdcFile, mdc.sid)).toString(), /role="test"/);
});

test('RAVEN VOEvents take the external event of em_type', async () => {
  const t = gps('2024-03-14T00:00:00Z');
  const { sid } = await newSuperevent(t);
  const grb = await g.client.createEvent(
    readFileSync(new URL('../fixtures/gracedb/grb-notice.xml', import.meta.url)),
    'GRB',
    'Fermi',
    'External',
  );
  await g.client.addEventToSuperevent(sid, grb.graceid);
  await g.client.updateSuperevent(sid, {
    em_type: grb.graceid,
    time_coinc_far: 1e-9,
    space_coinc_far: 1e-11,
  });
  const file = await g.client.createVoevent(sid, 'preliminary', {
    raven_coinc: true,
    ext_gcn: '702763955',
    ext_pipeline: 'Fermi',
    ext_search: 'GRB',
  });
  const xml = (await g.client.download(file, sid)).toString();
  assert.match(xml, /<Group name="External Coincidence" type="External Coincidence">/);
  assert.match(xml, /name="External_GCN_Notice_Id" value="702763955" ucd="meta.id"/);
  assert.match(
    xml,
    /name="Time_Coincidence_FAR" value="1e-09" unit="Hz" ucd="arith.rate;stat.falsealarm"/,
  );
});

test(
  "gwcelery's superevent fixture: the shape of pipeline-preferred and neighbour entries",
  needsShared('gwcelery/tests/S230413b.json'),
  async () => {
    const fixture = JSON.parse(readFileSync(sharedData('gwcelery/tests/S230413b.json')!, 'utf8'));
    const t = gps('2024-03-15T00:00:00Z');
    const { sid, event } = await newSuperevent(t);
    const s = await g.client.getSuperevent(sid);
    const ppe = (s.pipeline_preferred_events as Record<string, object>).gstlal!;
    assert.deepEqual(Object.keys(ppe), Object.keys(fixture.pipeline_preferred_events.CWB));
    const neighbour = (
      (s.preferred_event_data as Record<string, unknown>).superevent_neighbours as Record<
        string,
        Record<string, object>
      >
    )[sid]!;
    const fixtureNeighbour = fixture.preferred_event_data.superevent_neighbours.S230413b;
    assert.deepEqual(Object.keys(neighbour).sort(), Object.keys(fixtureNeighbour).sort());
    assert.deepEqual(
      Object.keys(neighbour.preferred_event_data!),
      Object.keys(fixtureNeighbour.preferred_event_data),
    );
    assert.deepEqual(
      Object.keys((neighbour.pipeline_preferred_events as Record<string, object>).gstlal!),
      Object.keys(fixtureNeighbour.pipeline_preferred_events.CWB),
    );
    assert.equal(
      (neighbour.preferred_event_data as Record<string, unknown>).graceid,
      event.graceid,
    );
  },
);
