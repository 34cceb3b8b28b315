/**
 * The console's "Create Medium Latency GRB Circular" task against the embedded GraceDB: an
 * external Fermi event with the targeted searches' result files, one missing file, and an event
 * that is not a GRB.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { coincXml } from '../gracedb/coinc-fixture.js';
import { startOrchestratorStack } from './orchestrator/stack.js';

const NOTICE = readFileSync(new URL('../fixtures/gracedb/grb-notice.xml', import.meta.url));

test('medium-latency GRB circular from the files on the external event', async (t) => {
  const { stack } = await startOrchestratorStack(t, {}, { celery: 1 });
  const { gracedb, app } = stack;
  const grb = await gracedb.createEvent(NOTICE, 'GRB', 'Fermi', 'External');
  const upload = (name: string, doc: unknown) =>
    gracedb.upload(JSON.stringify(doc), name, grb.graceid, `${name} from the targeted search`);
  await upload('false_alarm_probability_x.json', { 'Online Xpipeline': 0.37 });
  await upload('false_alarm_probability_pygrb.json', { 'Online PyGRB': 0.52 });
  await upload('distances_pygrb.json', { 'NSNS Exclusion': 101.3, 'NSBH Exclusion': 180.7 });

  const missing = await app.sendTask('circulars.create_medium_latency_circular', [grb.graceid]);
  await assert.rejects(missing.get(30_000), /no Burst exclusion distance in distances_x\.json/);

  await upload('distances_x.json', { 'Burst Exclusion': 64.9 });
  const task = await app.sendTask('circulars.create_medium_latency_circular', [grb.graceid]);
  const text = (await task.get(30_000)) as string;
  assert.match(
    text,
    /^SUBJECT: Fermi trigger 702763955: Upper limits from LIGO\/Virgo\/KAGRA targeted searches\n\n/,
  );
  assert.match(
    text,
    new RegExp(`GraceDB ${grb.graceid}: http://[^ ]+/events/${grb.graceid}/view/`),
  );
  assert.match(text, /closer than 101 Mpc; .* closer than 181 Mpc/);
  assert.match(text, /we exclude a source closer than 65 Mpc/);

  const cbc = await gracedb.createEvent(
    coincXml({ gpstime: 1365450828, far: 1e-3, ifos: ['H1', 'L1'] }),
    'AllSky',
    'gstlal',
    'CBC',
  );
  const refused = await app.sendTask('circulars.create_medium_latency_circular', [cbc.graceid]);
  await assert.rejects(refused.get(30_000), /written for GRB external events, not search AllSky/);
});
