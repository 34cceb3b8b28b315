/**
 * The release checklist (gwcelery-spec §8.7) end to end through the embedded GraceDB and the
 * Redis broker: coinc.xml uploads written by the BAYESTAR simulation and the LIGO_LW writer
 * (PSDs and SNR series; a 1024 Hz noise-free HL BNS keeps BAYESTAR cheap), every step of the
 * pipeline as tasks on Redis: superevents, em_bright, p_astro, BAYESTAR, annotations, both
 * preliminaries, DQR_REQUEST, ADVOK → initial, ADVNO → retraction, and a less-significant
 * candidate that gets the less-significant flow and no significant alert.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeAlertAvro, decodeAlertJson } from '../../../src/formats/alert/index.js';
import { readLvkVoevent } from '../../../src/formats/voevent/index.js';
import type { GraceDbClient } from '../../../src/gracedb/client.js';
import { closeBayestarPool } from '../../../src/pipeline/bayestar.js';
import { readSkyMap } from '../../../src/skymap/io.js';
import { eventually } from '../../helpers/process.js';
import { deletePrefix, SHARED_REDIS_URL, uniquePrefix } from '../../helpers/redis.js';
import { startOrchestratorStack, uploadSimulated, waitForLabel, waitForLog } from './stack.js';

async function superevent(gracedb: GraceDbClient, gid: string): Promise<string> {
  return eventually(
    async () => (await gracedb.getEvent(gid)).superevent ?? undefined,
    90_000,
    `the superevent of ${gid}`,
  );
}

async function files(gracedb: GraceDbClient, sid: string): Promise<string[]> {
  return Object.keys(await gracedb.getSupereventFileList(sid));
}

test('the release checklist on Redis: BAYESTAR, classification, two preliminaries, initial, retraction, less-significant', async (t) => {
  const prefix = uniquePrefix('orch-e2e');
  t.after(() => deletePrefix(SHARED_REDIS_URL, prefix));
  t.after(() => closeBayestarPool());
  const { stack, alertsDir, ledger } = await startOrchestratorStack(t, {
    broker_url: SHARED_REDIS_URL,
    redis_prefix: prefix,
  });
  const gracedb = stack.gracedb;

  // 1. A significant mock (MDC) candidate.
  const significant = await uploadSimulated(gracedb, 0, 1e-10, 'MDC');
  const gid = significant.graceid;
  const sid = await superevent(gracedb, gid);
  await waitForLabel(gracedb, gid, 'SKYMAP_READY', 120_000);
  for (const label of ['EMBRIGHT_READY', 'PASTRO_READY']) await waitForLabel(gracedb, gid, label);
  const map = readSkyMap(await gracedb.download('bayestar.multiorder.fits', gid));
  assert.equal(map.meta.objectId, gid, 'BAYESTAR wrote the event id into the map');

  for (const label of ['EMBRIGHT_READY', 'PASTRO_READY', 'SKYMAP_READY', 'GCN_PRELIM_SENT']) {
    await waitForLabel(gracedb, sid, label);
  }
  await waitForLabel(gracedb, sid, 'DQR_REQUEST');
  await waitForLog(gracedb, sid, /^Alert preliminary-2: VOEvent .*-2-Preliminary\.xml created$/);
  await eventually(
    async () => {
      const names = await files(gracedb, sid);
      return [
        'bayestar.multiorder.fits',
        'bayestar.png',
        'bayestar.html',
        'bayestar.fits.gz',
        'em_bright.json',
        'em_bright.png',
        'gstlal.p_astro.json',
        'gstlal.p_astro.png',
        'preliminary-circular.txt',
      ].every((f) => names.includes(f))
        ? true
        : undefined;
    },
    120_000,
    'the checklist files on the superevent',
  );
  await eventually(
    async () =>
      (await ledger(sid)).filter((r) => r.state === 'delivered').length >= 6 ? true : undefined,
    60_000,
    'two preliminaries delivered',
  );
  for (const n of [1, 2]) {
    const notice = readLvkVoevent(readFileSync(join(alertsDir, `${sid}-${n}-preliminary.xml`)));
    assert.equal(notice.serial, n);
    assert.equal(notice.type, 'Preliminary');
    assert.match(notice.skymapUrl ?? '', /bayestar\.multiorder\.fits,\d+$/);
    const json = decodeAlertJson(readFileSync(join(alertsDir, `${sid}-${n}-preliminary.json`)));
    const avro = decodeAlertAvro(readFileSync(join(alertsDir, `${sid}-${n}-preliminary.avro`)));
    for (const packet of [json, avro]) {
      assert.equal(packet.alert_type, 'PRELIMINARY');
      assert.equal(packet.event?.significant, true);
      assert.ok((packet.event?.skymap?.byteLength ?? 0) > 100_000, 'the BAYESTAR map');
    }
  }

  // In the order of the checklist: the annotations complete the candidate, the first
  // preliminary marks GCN_PRELIM_SENT, the clean-up timeout brings DQR_REQUEST and the second.
  const log = (await gracedb.getLog(sid)).map((e) => e.comment);
  const at = (pattern: RegExp) => {
    const i = log.findIndex((c) => pattern.test(c));
    assert.ok(i >= 0, `${pattern} in the log of ${sid}`);
    return i;
  };
  const order = [
    /^Added label: SIGNIF_LOCKED$/,
    /^Localization copied from /,
    /^Added label: SKYMAP_READY$/,
    /^Alert preliminary-1: VOEvent /,
    /^Added label: GCN_PRELIM_SENT$/,
    /^Superevent cleaned up after first preliminary alert$/,
    /^Added label: DQR_REQUEST$/,
    /^Alert preliminary-2: VOEvent /,
  ].map(at);
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
    `checklist order: ${order}`,
  );
  const eventLog = (await gracedb.getLog(gid)).map((e) => e.comment);
  for (const step of [
    'em bright complete',
    'p_astro computation complete',
    'sky localization complete',
  ]) {
    assert.ok(eventLog.includes(step), `${step} on ${gid}`);
  }

  await gracedb.createSignoff('OK', 'checklist', 'ADV', sid);
  await eventually(
    () =>
      ['json', 'avro', 'xml'].every((e) => existsSync(join(alertsDir, `${sid}-3-initial.${e}`)))
        ? true
        : undefined,
    60_000,
    'the initial alert',
  );
  assert.equal(
    decodeAlertJson(readFileSync(join(alertsDir, `${sid}-3-initial.json`))).alert_type,
    'INITIAL',
  );

  // 2. Another significant candidate, rejected by the advocate: the retraction.
  const rejected = await uploadSimulated(gracedb, 1000, 1e-10, 'MDC');
  const rejectedSid = await superevent(gracedb, rejected.graceid);
  await waitForLabel(gracedb, rejectedSid, 'GCN_PRELIM_SENT', 120_000);
  await gracedb.createSignoff('NO', 'checklist', 'ADV', rejectedSid);
  await waitForLog(gracedb, rejectedSid, /^Alert retraction: VOEvent .*-Retraction\.xml created$/);
  await eventually(
    async () =>
      (await ledger(rejectedSid)).some(
        (r) =>
          r.alertType === 'retraction' && r.destination === 'file-json' && r.state === 'delivered',
      )
        ? true
        : undefined,
    60_000,
    'the retraction delivered',
  );

  // 3. A less-significant production candidate (gstlal uploads its own p_astro).
  const quiet = await uploadSimulated(gracedb, 2000, 1e-6, 'AllSky');
  await gracedb.upload(
    '{"BNS": 0.6, "NSBH": 0.1, "BBH": 0.0, "Terrestrial": 0.3}',
    'gstlal.p_astro.json',
    quiet.graceid,
    'p_astro from the search',
    ['p_astro', 'public'],
  );
  await gracedb.createLabel('PASTRO_READY', quiet.graceid);
  const quietSid = await superevent(gracedb, quiet.graceid);
  await waitForLabel(gracedb, quietSid, 'LOW_SIGNIF_PRELIM_SENT', 120_000);
  await waitForLog(gracedb, quietSid, /^Alert less-significant-2: VOEvent/);
  await eventually(
    async () =>
      (await ledger(quietSid)).filter((r) => r.state === 'delivered').length >= 6
        ? true
        : undefined,
    60_000,
    'two less-significant alerts delivered',
  );
  const quietRecords = await ledger(quietSid);
  assert.ok(quietRecords.every((r) => r.alertType === 'less-significant'));
  const labels = await gracedb.getLabels(quietSid);
  assert.ok(!labels.has('SIGNIF_LOCKED') && !labels.has('GCN_PRELIM_SENT'));
});
