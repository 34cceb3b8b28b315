/**
 * The send step's special cases (gwcelery-spec §4.5 steps 3 and 6): a RAVEN coincidence copies
 * the combined GW × external sky map from the external event and sends the joint alert (External
 * Coincidence group, external_coinc with the combined map, the emcoinc circular); a RapidPE
 * p_astro replaces the pipeline's after taking its Terrestrial probability.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeAlertJson } from '../../../src/formats/alert/index.js';
import { readLvkVoevent } from '../../../src/formats/voevent/index.js';
import { unixToGps } from '../../../src/gracedb/gps-time.js';
import { coincXml } from '../../gracedb/coinc-fixture.js';
import { eventually } from '../../helpers/process.js';
import { startOrchestratorStack, waitForLog } from './stack.js';

const SKYMAP = readFileSync(
  new URL('../../fixtures/skymap/gaussian-blob.multiorder.fits', import.meta.url),
);
const GRB = readFileSync(new URL('../../fixtures/gracedb/grb-notice.xml', import.meta.url));

test('a RAVEN coincidence with a combined sky map, and a RapidPE p_astro, in an initial alert', async (t) => {
  const { stack, alertsDir } = await startOrchestratorStack(t);
  const { gracedb, app } = stack;
  const t0 = unixToGps(Date.parse('2024-10-01T00:00:00Z') / 1000);
  // FAR above the superevent manager's cut: the superevent is made here, no automated alert.
  const event = await gracedb.createEvent(
    coincXml({ gpstime: t0, far: 1e-3, ifos: ['H1', 'L1'] }),
    'AllSky',
    'gstlal',
    'CBC',
  );
  const sid = (await gracedb.createSuperevent(event.graceid, t0, t0 - 1, t0 + 1))!;
  await gracedb.upload(SKYMAP, 'bayestar.multiorder.fits', sid, 'sky map', ['sky_loc', 'public']);
  await gracedb.upload(
    '{"HasNS": 1.0, "HasRemnant": 0.5, "HasMassGap": 0.0}',
    'em_bright.json',
    sid,
    'em_bright',
    ['em_bright', 'public'],
  );
  await gracedb.upload(
    '{"BNS": 0.8, "NSBH": 0.1, "BBH": 0.0, "Terrestrial": 0.1}',
    'gstlal.p_astro.json',
    sid,
    'pipeline p_astro',
    ['p_astro', 'public'],
  );
  await gracedb.upload(
    '{"BNS": 0.5, "NSBH": 0.0, "BBH": 0.0, "Terrestrial": 0.5}',
    'RapidPE_RIFT.p_astro.json',
    sid,
    'RapidPE p_astro',
    ['pe', 'p_astro', 'public'],
  );

  // RAVEN found a GRB: the external event, its combined map, the labels and FARs.
  const grb = await gracedb.createEvent(GRB, 'GRB', 'Fermi', 'External');
  await gracedb.addEventToSuperevent(sid, grb.graceid);
  await gracedb.updateSuperevent(sid, {
    em_type: grb.graceid,
    time_coinc_far: 1e-9,
    space_coinc_far: 1e-11,
  });
  await gracedb.upload(SKYMAP, 'combined-ext.multiorder.fits', grb.graceid, 'combined map', [
    'sky_loc',
  ]);
  for (const label of ['RAVEN_ALERT', 'COMBINEDSKYMAP_READY']) {
    await gracedb.createLabel(label, grb.graceid);
  }
  await gracedb.createLabel('RAVEN_ALERT', sid);

  const sent = await app.sendTask('orchestrator.initial_alert', [
    null,
    sid,
    { requestId: 'raven' },
  ]);
  const outcome = (await sent.get(60_000)) as { spec: Record<string, unknown> };
  assert.equal(outcome.spec.ravenCoinc, true);
  assert.equal(outcome.spec.combinedSkymap, 'combined-ext.multiorder.fits,0');
  assert.ok((await gracedb.getLabels(sid)).has('COMBINEDSKYMAP_READY'));
  // RapidPE's p_astro, renormalised to the pipeline's Terrestrial (0.1), replaces gstlal's.
  assert.equal(outcome.spec.pAstro, 'RapidPE_RIFT.p_astro.json,1');
  const renormalised = JSON.parse(
    (await gracedb.download('RapidPE_RIFT.p_astro.json,1', sid)).toString(),
  );
  assert.equal(renormalised.Terrestrial, 0.1);
  assert.ok(Math.abs(renormalised.BNS - 0.9) < 1e-12);

  const voevent = String(outcome.spec.voevent);
  const notice = readLvkVoevent(await gracedb.download(voevent, sid));
  assert.equal(notice.type, 'Initial');
  assert.equal(notice.classification?.Terrestrial, 0.1);
  assert.equal(notice.externalCoincidence?.observatory, 'Fermi');
  assert.equal(notice.externalCoincidence?.timeCoincidenceFar, 1e-9);
  assert.match(
    notice.externalCoincidence?.jointSkymapUrl ?? '',
    /combined-ext\.multiorder\.fits,0$/,
  );
  const json = join(alertsDir, `${sid}-${notice.serial}-initial.json`);
  await eventually(() => (existsSync(json) ? true : undefined), 60_000, 'the initial alert file');
  const packet = decodeAlertJson(readFileSync(json));
  assert.equal(packet.external_coinc?.observatory, 'Fermi');
  assert.equal(packet.external_coinc?.time_sky_position_coincidence_far, 1e-11);
  assert.ok(Buffer.from(packet.external_coinc!.combined_skymap!).equals(SKYMAP));
  assert.equal(packet.event?.classification.Terrestrial, 0.1);
  await waitForLog(gracedb, sid, /^Template for initial GCN Circular$/);
  assert.ok(
    Object.keys(await gracedb.getSupereventFileList(sid)).includes('initial-emcoinc-circular.txt'),
  );
});
