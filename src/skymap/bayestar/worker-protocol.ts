import type { ConditionedEvent } from './conditioned-event.js';
import type { EvaluationRequest } from './pixel-evaluator.js';
import type { RadialIntegratorData, RadialTableSpec } from './radial-integrator.js';

/** Messages between the worker pool (worker-pool.ts) and its threads (localization-worker.ts). */

/** What a worker posts once its modules have loaded. */
export const READY = 'bayestar-worker-ready';

export type WorkerRequest =
  | {
      id: number;
      type: 'rows';
      spec: RadialTableSpec;
      powers: number[];
      start: number;
      end: number;
    }
  | { id: number; type: 'prepare'; event: ConditionedEvent; tables: RadialIntegratorData[] }
  | { id: number; type: 'evaluate'; request: EvaluationRequest };

export type WorkerReply =
  | { id: number; ok: true; values?: Float64Array[] }
  | { id: number; ok: false; error: string };
