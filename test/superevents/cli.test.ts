import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Explanation } from '../../src/pipeline/superevents/explain.js';
import { processCandidate } from '../../src/pipeline/superevents/process-candidate.js';
import {
  type CandidateEvent,
  DEFAULT_SUPEREVENT_SETTINGS,
} from '../../src/pipeline/superevents/rules.js';
import { startTestGraceDb, TOKEN } from '../gracedb/helpers.js';
import { gwcelery } from '../helpers/process.js';
import { cbcEvent, cwbEvent, READY } from './events.js';
import { upload } from './gracedb-uploads.js';

const QUIET = { GWCELERY_LOG_LEVEL: 'error' };

async function run(args: string[], env: Record<string, string> = {}) {
  const child = gwcelery(args, { ...QUIET, ...env });
  const code = await child.exited;
  return { code, output: child.output };
}

test('gwcelery superevents explain: files of events, alerts and lists; text and JSON', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'superevents-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const list = join(dir, 'events.json');
  writeFileSync(
    list,
    JSON.stringify([
      cbcEvent({ graceid: 'G1', snr: 10, labels: READY }),
      cbcEvent({ graceid: 'G2', snr: 30 }),
    ]),
  );
  const alert = join(dir, 'alert.json');
  writeFileSync(
    alert,
    JSON.stringify({
      alert_type: 'new',
      uid: 'G3',
      object: cwbEvent({ graceid: 'G3', far: 1e-3 }),
    }),
  );
  const json = await run(['superevents', 'explain', list, alert, '--json']);
  assert.equal(json.code, 0, json.output);
  const explanation = JSON.parse(json.output) as Explanation;
  assert.equal(explanation.preferred, 'G1', 'complete beats louder');
  const g3 = explanation.candidates.find((c) => c.graceid === 'G3')!;
  assert.equal(g3.entry?.process, false);
  assert.match(g3.entry!.process ? '' : g3.entry!.reason, /above superevent_far_threshold/);
  assert.deepEqual(explanation.candidates[0]!.labels, [
    'EM_READY',
    'ADVREQ',
    'SIGNIF_LOCKED',
    'LOW_SIGNIF_LOCKED',
  ]);

  const text = await run(['superevents', 'explain', list]);
  assert.equal(text.code, 0, text.output);
  assert.match(text.output, /^G1 {2}← preferred by the rules$/m);
  assert.match(text.output, /complete {9}no, missing PASTRO_READY, EMBRIGHT_READY, SKYMAP_READY/);
  assert.match(text.output, /significant {6}PASS {2}\(FAR×trials 6\.000e-10 vs 3\.858e-7\)/);

  const missing = await run(['superevents', 'explain', join(dir, 'nope.json')]);
  assert.equal(missing.code, 1);
  assert.match(missing.output, /cannot read .*nope\.json/);
});

test('gwcelery superevents explain: a superevent id explains its members against its preferred event', async (t) => {
  const g = await startTestGraceDb();
  t.after(() => g.close());
  const a = await upload(g.client, { pipeline: 'gstlal', gpstime: 1400000000, far: 1e-6, snr: 9 });
  const b = await upload(g.client, {
    pipeline: 'pycbc',
    gpstime: 1400000000.2,
    far: 1e-6,
    snr: 11,
  });
  let sid = '';
  for (const event of [a, b]) {
    sid = (
      await processCandidate(g.client, DEFAULT_SUPEREVENT_SETTINGS, {
        alert_type: 'new',
        object: event as CandidateEvent,
      })
    ).superevent_id;
  }
  const env = { GWCELERY_GRACEDB_HOST: g.service.url, GWCELERY_GRACEDB_TOKEN: TOKEN };
  const out = await run(['superevents', 'explain', sid, '--json'], env);
  assert.equal(out.code, 0, out.output);
  const explanation = JSON.parse(out.output) as Explanation & { notes: string[] };
  assert.deepEqual(
    explanation.candidates.map((c) => c.graceid).sort(),
    [a.graceid, b.graceid].sort(),
  );
  assert.equal(explanation.preferred, b.graceid);
  assert.match(
    explanation.notes[0]!,
    new RegExp(`^${sid}: preferred event ${b.graceid}; labels \\(none\\)$`),
  );
  const byId = await run(['superevents', 'explain', String(a.graceid)], env);
  assert.equal(byId.code, 0, byId.output);
  assert.match(byId.output, new RegExp(`^${a.graceid}`));
});
