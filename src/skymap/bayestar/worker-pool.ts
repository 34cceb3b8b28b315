import { Worker } from 'node:worker_threads';
import type { ConditionedEvent } from './conditioned-event.js';
import type { LocalizationEngine } from './localization-engine.js';
import type { EvaluationRequest } from './pixel-evaluator.js';
import {
  type RadialIntegratorData,
  type RadialTableSpec,
  radialRowLength,
} from './radial-integrator.js';
import { READY, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

/** Table rows per task and pixels per task: small enough to balance, big enough to amortize a message. */
const ROWS_PER_TASK = 8;
const TASKS_PER_THREAD = 6;

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void };

/** One worker thread, with its replies matched to requests by id. */
class WorkerHandle {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      const entry = this.pending.get(reply.id);
      if (!entry) return;
      this.pending.delete(reply.id);
      entry.resolve(reply);
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const entry of this.pending.values()) entry.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`localization worker exited with code ${code}`)));
  }

  request(message: WithoutId<WorkerRequest>, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }
}

function unwrap(reply: WorkerReply): Float64Array[] {
  if (!reply.ok) throw new Error(`localization worker failed: ${reply.error}`);
  return reply.values ?? [];
}

/**
 * Starts one worker thread on localization-worker. The project runs TypeScript through tsx
 * without a build step, and Node 20 does not apply `--import tsx` from a worker's execArgv to
 * the worker's entry module; so when this module is a .ts file the worker starts from a
 * bootstrap that registers tsx (resolved to an absolute URL: any working directory works) and
 * then imports the .ts entry. Compiled to .js, the entry starts directly.
 */
function startWorker(index: number): Worker {
  const name = `bayestar-${index}`;
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./localization-worker.js', import.meta.url), { name });
  }
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./localization-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, name });
}

/** Worker-thread engine: table rows and pixel batches spread over threads. */
export class WorkerPool implements LocalizationEngine {
  private constructor(
    private readonly handles: WorkerHandle[],
    readonly threads: number,
  ) {}

  static async start(threads: number): Promise<WorkerPool> {
    if (!(Number.isInteger(threads) && threads >= 1)) {
      throw new Error(`thread count must be a positive integer, got ${threads}`);
    }
    const handles: WorkerHandle[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < threads; i++) {
      const worker = startWorker(i);
      // The worker says 'ready' once its modules have loaded, so that a broken start fails here.
      ready.push(
        new Promise<void>((resolve, reject) => {
          const onMessage = (message: unknown) => {
            if (message === READY) {
              worker.off('message', onMessage);
              resolve();
            }
          };
          worker.on('message', onMessage);
          worker.once('error', reject);
          worker.once('exit', (code) =>
            reject(new Error(`localization worker exited with code ${code} while starting`)),
          );
        }),
      );
      handles.push(new WorkerHandle(worker));
    }
    const pool = new WorkerPool(handles, threads);
    try {
      await Promise.all(ready);
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  async tableRows(spec: RadialTableSpec, powers: readonly number[]): Promise<Float64Array[]> {
    const rowLength = radialRowLength(spec);
    const tables = powers.map(() => new Float64Array(spec.size * rowLength));
    const tasks: [number, number][] = [];
    for (let start = 0; start < spec.size; start += ROWS_PER_TASK) {
      tasks.push([start, Math.min(spec.size, start + ROWS_PER_TASK)]);
    }
    await this.runQueue(tasks.length, async (handle, t) => {
      const [start, end] = tasks[t];
      const values = unwrap(
        await handle.request({ type: 'rows', spec, powers: [...powers], start, end }),
      );
      values.forEach((v, k) => {
        tables[k].set(v, start * rowLength);
      });
    });
    return tables;
  }

  async prepare(event: ConditionedEvent, tables: readonly RadialIntegratorData[]): Promise<void> {
    await Promise.all(
      this.handles.map(async (h) =>
        unwrap(await h.request({ type: 'prepare', event, tables: [...tables] })),
      ),
    );
  }

  async evaluate(request: EvaluationRequest): Promise<Float64Array> {
    const total = request.uniq.length;
    const width = request.quantity === 'distance' ? 2 : 1;
    const out = new Float64Array(width * total);
    const chunk = Math.max(1, Math.ceil(total / (this.threads * TASKS_PER_THREAD)));
    const count = Math.ceil(total / chunk);
    await this.runQueue(count, async (handle, t) => {
      const start = t * chunk;
      const uniq = request.uniq.slice(start, Math.min(total, start + chunk));
      const [values] = unwrap(
        await handle.request({ type: 'evaluate', request: { ...request, uniq } }, [uniq.buffer]),
      );
      out.set(values, width * start);
    });
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.handles.map((h) => h.worker.terminate()));
  }

  /** Runs tasks 0 … count−1, each worker taking the next task as soon as it is free. */
  private async runQueue(
    count: number,
    run: (handle: WorkerHandle, task: number) => Promise<void>,
  ) {
    let next = 0;
    await Promise.all(
      this.handles.map(async (handle) => {
        while (next < count) {
          const task = next++;
          await run(handle, task);
        }
      }),
    );
  }
}
