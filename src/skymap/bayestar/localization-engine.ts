import type { ConditionedEvent } from './conditioned-event.js';
import { type EvaluationRequest, PixelEvaluator } from './pixel-evaluator.js';
import {
  computeRadialTableRows,
  type RadialIntegratorData,
  type RadialTableSpec,
} from './radial-integrator.js';

/**
 * Where the expensive parts of a localization run: building the distance tables and
 * evaluating pixels. The inline engine runs them in the calling thread; the worker pool
 * (worker-pool.ts) spreads them over threads. Results never depend on the engine or the
 * thread count: every pixel and table row is computed by the same code from the same inputs.
 */
export interface LocalizationEngine {
  readonly threads: number;
  /** Rows [0, size) of the distance tables for each power (see computeRadialTableRows). */
  tableRows(spec: RadialTableSpec, powers: readonly number[]): Promise<Float64Array[]>;
  /** Makes an event and its interpolation tables current for evaluate(). */
  prepare(event: ConditionedEvent, tables: readonly RadialIntegratorData[]): Promise<void>;
  evaluate(request: EvaluationRequest): Promise<Float64Array>;
  close(): Promise<void>;
}

export class InlineEngine implements LocalizationEngine {
  readonly threads = 1;
  private evaluator: PixelEvaluator | undefined;

  async tableRows(spec: RadialTableSpec, powers: readonly number[]): Promise<Float64Array[]> {
    return computeRadialTableRows(spec, powers, 0, spec.size);
  }

  async prepare(event: ConditionedEvent, tables: readonly RadialIntegratorData[]): Promise<void> {
    this.evaluator = new PixelEvaluator(event, tables);
  }

  async evaluate(request: EvaluationRequest): Promise<Float64Array> {
    if (!this.evaluator) throw new Error('localization engine: evaluate() before prepare()');
    return this.evaluator.evaluate(request);
  }

  async close(): Promise<void> {
    this.evaluator = undefined;
  }
}
