/**
 * The alert tasks the operations console sends by name: update and initial alerts from the
 * superevent's files (named or found in its log), a request sent twice makes one notice, the
 * change of preferred event copies files without a notice, and a missing sky map is refused
 * with a log line.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { GraceDbClient } from '../../../src/gracedb/client.js';
import { unixToGps } from '../../../src/gracedb/gps-time.js';
import { readSkyMap } from '../../../src/skymap/io.js';
import { coincXml } from '../../gracedb/coinc-fixture.js';
import { eventually } from '../../helpers/process.js';
import { startOrchestratorStack, uploadSimulated, waitForLabel, waitForLog } from './stack.js';

const SKYMAP = readFileSync(
  new URL('../../fixtures/skymap/gaussian-blob.multiorder.fits', import.meta.url),
);
const EM_BRIGHT = '{"HasNS": 1.0, "HasRemnant": 1.0, "HasMassGap": 0.0}';
const P_ASTRO = '{"BNS": 0.9, "NSBH": 0.05, "BBH": 0.0, "Terrestrial": 0.05}';

async function voevents(gracedb: GraceDbClient, sid: string): Promise<string[]> {
  return Object.keys(await gracedb.getSupereventFileList(sid))
    .filter((name) => /-\d+-[A-Za-z]+\.xml$/.test(name))
    .sort();
}

test('console alerts: update from the log, the same request twice, explicit files, copy-only, no sky map', async (t) => {
  const { stack, ledger } = await startOrchestratorStack(t);
  const { gracedb, app } = stack;
  const t0 = unixToGps(Date.parse('2024-09-01T00:00:00Z') / 1000);
  // FAR above the superevent manager's cut: no superevent of its own, no automated alert.
  const event = await gracedb.createEvent(
    coincXml({ gpstime: t0, far: 1e-3, ifos: ['H1', 'L1'] }),
    'AllSky',
    'gstlal',
    'CBC',
  );
  const gid = event.graceid;
  const sid = (await gracedb.createSuperevent(gid, t0, t0 - 1, t0 + 1))!;

  const initial = await app.sendTask('orchestrator.initial_alert', [null, sid, { requestId: 'a' }]);
  assert.deepEqual(await initial.get(60_000), { sent: false, reason: 'no-skymap' });
  await waitForLog(
    gracedb,
    sid,
    /^Not sending an initial alert: the superevent has no public multi-order sky map$/,
  );

  await gracedb.upload(SKYMAP, 'bayestar.multiorder.fits', sid, 'sky map', ['sky_loc', 'public']);
  await gracedb.upload(EM_BRIGHT, 'em_bright.json', sid, 'em_bright', ['em_bright', 'public']);
  await gracedb.upload(P_ASTRO, 'gstlal.p_astro.json', sid, 'p_astro', ['p_astro', 'public']);
  const update = await app.sendTask('orchestrator.update_alert', [
    [null, null, null],
    sid,
    { requestId: 'form-1' },
  ]);
  const first = (await update.get(60_000)) as { sent: boolean; spec: Record<string, unknown> };
  assert.equal(first.sent, true);
  assert.equal(first.spec.voevent, `${sid}-1-Update.xml`);
  assert.equal(first.spec.skymap, 'bayestar.multiorder.fits,0', 'found in the log');
  assert.equal(first.spec.emBright, 'em_bright.json,0');
  assert.equal(first.spec.pAstro, 'gstlal.p_astro.json,0');

  // The same request again (a redelivery, a double click): the same notice, resumed.
  const again = await app.sendTask('orchestrator.update_alert', [
    [null, null, null],
    sid,
    { requestId: 'form-1' },
  ]);
  const second = (await again.get(60_000)) as { resumed: boolean; spec: Record<string, unknown> };
  assert.equal(second.resumed, true);
  assert.equal(second.spec.voevent, `${sid}-1-Update.xml`);

  // A new request with named files: a new notice.
  await gracedb.upload(SKYMAP, 'bayestar.multiorder.fits', sid, 'sky map', ['sky_loc', 'public']);
  const named = await app.sendTask('orchestrator.update_alert', [
    ['bayestar.multiorder.fits,1', 'em_bright.json,0', null],
    sid,
    { requestId: 'form-2' },
  ]);
  const third = (await named.get(60_000)) as { spec: Record<string, unknown> };
  assert.equal(third.spec.voevent, `${sid}-2-Update.xml`);
  assert.equal(third.spec.skymap, 'bayestar.multiorder.fits,1');
  await eventually(
    async () =>
      (await ledger(sid)).filter((r) => r.state === 'delivered').length >= 6 ? true : undefined,
    60_000,
    'both updates delivered',
  );
  const records = await ledger(sid);
  assert.deepEqual(
    records.map((r) => `${r.alertType}#${r.serial}→${r.destination}`).sort(),
    [1, 2].flatMap((n) => ['file-avro', 'file-json', 'file-xml'].map((d) => `update#${n}→${d}`)),
    'the repeated request was not sent again',
  );

  // "Create Update GCN Circular": the text, from the newest files; nothing uploaded.
  const circular = await app.sendTask('circulars.create_update_circular', [sid], {
    kwargs: { update_types: ['sky_localization', 'p_astro'] },
  });
  const text = (await circular.get(60_000)) as string;
  assert.match(text, new RegExp(`^SUBJECT: LIGO/Virgo/KAGRA ${sid}: `));
  assert.match(text, /bayestar\.multiorder\.fits,1/, 'the newest sky map');
  const refused = await app.sendTask('circulars.create_update_circular', [sid], {
    kwargs: { update_types: ['weather'] },
  });
  await assert.rejects(refused.get(60_000), /update_types must name at least one of/);

  // "Change preferred event": the event's files are copied and annotated, no notice.
  await gracedb.upload(SKYMAP, 'bayestar.multiorder.fits', gid, 'sky map', ['sky_loc', 'public']);
  await gracedb.upload(EM_BRIGHT, 'em_bright.json', gid, 'em_bright', ['em_bright', 'public']);
  await gracedb.upload(P_ASTRO, 'gstlal.p_astro.json', gid, 'p_astro', ['p_astro', 'public']);
  // As the console sends it (docs/console.md): the event, {uid, object}, kwargs.
  const copy = await app.sendTask(
    'orchestrator.earlywarning_preliminary_alert',
    [
      await gracedb.getEvent(gid),
      { uid: sid, object: await gracedb.getSuperevent(sid) },
      'preliminary',
    ],
    { kwargs: { initiate_voevent: false } },
  );
  const copied = (await copy.get(60_000)) as { sent: boolean; reason: string };
  assert.deepEqual([copied.sent, copied.reason], [false, 'no-voevent-requested']);
  await waitForLog(gracedb, sid, new RegExp(`^Localization copied from ${gid}$`));
  assert.deepEqual(await voevents(gracedb, sid), [`${sid}-1-Update.xml`, `${sid}-2-Update.xml`]);
});

test('console: BAYESTAR with disabled detectors makes bayestar.no-<IFOS>, annotated; all disabled does nothing', async (t) => {
  const { stack } = await startOrchestratorStack(t);
  const { gracedb, app } = stack;
  // FAR above the superevent manager's cut: the event stays alone.
  const { graceid: gid } = await uploadSimulated(gracedb, 3000, 1e-3, 'AllSky');
  await waitForLabel(gracedb, gid, 'SKYMAP_READY', 120_000);
  const variant = await app.sendTask('bayestar.localize', [gid], {
    kwargs: {
      disabled_detectors: ['L1'],
      filename: 'bayestar.no-L1.multiorder.fits',
      tags: ['sky_loc', 'public'],
      annotate: true,
    },
  });
  assert.equal(await variant.get(120_000), 'bayestar.no-L1.multiorder.fits,0');
  const map = readSkyMap(await gracedb.download('bayestar.no-L1.multiorder.fits', gid));
  assert.deepEqual(map.meta.instruments, ['H1'], 'localized with H1 alone');
  await waitForLog(gracedb, gid, /^Mollweide projection of .*bayestar\.no-L1\.multiorder\.fits,0/);
  const none = await app.sendTask('bayestar.localize', [gid], {
    kwargs: { disabled_detectors: ['H1', 'L1'] },
  });
  assert.equal(await none.get(60_000), null);
  const names = (await gracedb.getLog(gid)).map((e) => e.filename).filter(Boolean);
  assert.ok(!names.some((n) => n.includes('no-H1L1')), 'no file when every detector is disabled');
});
