import { parentPort } from 'node:worker_threads';
import { PixelEvaluator } from './pixel-evaluator.js';
import { computeRadialTableRows } from './radial-integrator.js';
import { READY, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

/**
 * Entry point of a localization worker thread (see worker-pool.ts): builds table rows and
 * evaluates pixel batches on request. The interpolation tables arrive in SharedArrayBuffers,
 * so every worker reads the same memory.
 */

if (!parentPort) throw new Error('localization-worker.ts must run in a worker thread');
const port = parentPort;
let evaluator: PixelEvaluator | undefined;

port.on('message', (message: WorkerRequest) => {
  try {
    switch (message.type) {
      case 'rows': {
        const values = computeRadialTableRows(
          message.spec,
          message.powers,
          message.start,
          message.end,
        );
        port.postMessage(
          { id: message.id, ok: true, values } satisfies WorkerReply,
          values.map((v) => v.buffer as ArrayBuffer),
        );
        return;
      }
      case 'prepare':
        evaluator = new PixelEvaluator(message.event, message.tables);
        port.postMessage({ id: message.id, ok: true } satisfies WorkerReply);
        return;
      case 'evaluate': {
        if (!evaluator) throw new Error('evaluate before prepare');
        const values = evaluator.evaluate(message.request);
        port.postMessage({ id: message.id, ok: true, values: [values] } satisfies WorkerReply, [
          values.buffer as ArrayBuffer,
        ]);
        return;
      }
    }
  } catch (err) {
    port.postMessage({
      id: message.id,
      ok: false,
      error: (err as Error).stack ?? String(err),
    } satisfies WorkerReply);
  }
});

port.postMessage(READY);
