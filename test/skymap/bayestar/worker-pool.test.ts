import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeRadialTableRows } from '../../../src/skymap/bayestar/radial-integrator.js';
import { WorkerPool } from '../../../src/skymap/bayestar/worker-pool.js';

test('the pool builds table rows identical to the calling thread, and reports worker errors', async () => {
  const pool = await WorkerPool.start(2);
  try {
    const spec = { rMin: 0, rMax: 300, pMax: 900, size: 24, alpha: 4 };
    const parallel = await pool.tableRows(spec, [2, 3, 4]);
    const serial = computeRadialTableRows(spec, [2, 3, 4], 0, spec.size);
    assert.deepEqual(parallel, serial);
    // A request the worker cannot serve comes back as an error naming the cause.
    await assert.rejects(
      pool.evaluate({ uniq: Float64Array.of(16, 17), quantity: 'density', detector: -1 }),
      /localization worker failed: Error: evaluate before prepare/,
    );
    await assert.rejects(
      pool.tableRows({ ...spec, rMax: -1 }, [2]),
      /maximum distance must be finite/,
    );
  } finally {
    await pool.close();
  }
  await assert.rejects(
    pool.tableRows({ rMin: 0, rMax: 300, pMax: 900, size: 8, alpha: 4 }, [2]),
    /exited/,
  );
});

test('thread counts must be positive integers', async () => {
  await assert.rejects(WorkerPool.start(0), /thread count must be a positive integer, got 0/);
  await assert.rejects(WorkerPool.start(1.5), /got 1.5/);
});
