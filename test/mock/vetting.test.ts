import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/pipeline/mock/random.js';
import { vettingDecision } from '../../src/pipeline/mock/vetting.js';

test('the mock advocate says OK with the configured probability', () => {
  const random = seededRandom(3);
  let ok = 0;
  const n = 4000;
  for (let i = 0; i < n; i++) {
    const decision = vettingDecision(new Set(['ADVREQ']), 0.3, random);
    assert.equal(decision.action, 'signoff');
    if (decision.action === 'signoff' && decision.status === 'OK') ok++;
  }
  // Binomial(4000, 0.3): σ ≈ 29, so ±150 is five sigma.
  assert.ok(Math.abs(ok - 0.3 * n) < 150, `${ok} OK of ${n}`);
  assert.deepEqual(vettingDecision(new Set(), 1, random), { action: 'signoff', status: 'OK' });
  assert.deepEqual(vettingDecision(new Set(), 0, random), { action: 'signoff', status: 'NO' });
});

test('a superevent already signed off is left alone', () => {
  for (const label of ['ADVOK', 'ADVNO']) {
    const decision = vettingDecision(new Set(['ADVREQ', label]), 1, seededRandom(1));
    assert.equal(decision.action, 'skip');
    assert.match(decision.action === 'skip' ? decision.reason : '', new RegExp(label));
  }
});
