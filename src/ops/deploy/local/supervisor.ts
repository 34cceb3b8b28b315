import type { Logger } from '../../../log/index.js';
import type { RestartPolicy } from './backoff.js';
import type { ProcessIdentity } from './process-identity.js';
import {
  type ExitRecord,
  type ProcessDefinition,
  type ProcessReport,
  SupervisedProcess,
} from './supervised-process.js';

export interface SupervisorOptions {
  policy: RestartPolicy;
  graceMs: number;
  log: Logger;
  /** Called with every running process whenever one starts or exits. */
  onChange?: (running: RegisteredProcess[]) => void;
}

/** A running child as the registry on disk records it. */
export interface RegisteredProcess extends ProcessIdentity {
  name: string;
}

export interface SupervisorReport {
  pid: number;
  startedAt: number;
  cwd: string;
  stopping: boolean;
  processes: ProcessReport[];
}

export interface StopRecord {
  name: string;
  /** It had a process to stop (it was not held, waiting to restart or completed). */
  wasRunning: boolean;
  lastExit?: ExitRecord;
}

export class UnknownProcessError extends Error {
  override name = 'UnknownProcessError';
}

/**
 * Runs the processes of a deployment as children and keeps them running: the local back end,
 * for hosts without HTCondor. Processes are stopped in parallel, like `condor_rm` of the jobs.
 */
export class Supervisor {
  readonly processes: SupervisedProcess[];
  readonly startedAt = Date.now();
  private stopping: Promise<StopRecord[]> | undefined;

  constructor(
    definitions: ProcessDefinition[],
    private readonly options: SupervisorOptions,
  ) {
    const { log } = options;
    this.processes = definitions.map(
      (definition) =>
        new SupervisedProcess(definition, {
          policy: options.policy,
          graceMs: options.graceMs,
          // A child's own log holds what it logs; its stdout and stderr (a crash before its
          // logging started, a native abort) land here, under its name.
          output: (name, stream, line) =>
            log[stream === 'stderr' ? 'warn' : 'info']({ process: name, stream }, line),
          event: (name, what, details) => {
            const level =
              what === 'exited unexpectedly' || what.startsWith('grace') ? 'warn' : 'info';
            log[level]({ process: name, ...details }, `${name} ${what}`);
          },
          changed: () => this.options.onChange?.(this.registered()),
        }),
    );
  }

  start(): void {
    for (const p of this.processes) p.start();
  }

  registered(): RegisteredProcess[] {
    return this.processes.flatMap((p) => (p.running ? [{ name: p.name, ...p.running }] : []));
  }

  /**
   * The processes an operator named: an instance (`gwcelery-openmp-worker-3`) or a manifest
   * entry with all its instances (`gwcelery-openmp-worker`). No names: all of them.
   */
  select(names: readonly string[]): SupervisedProcess[] {
    if (names.length === 0) return this.processes;
    const chosen = new Set<SupervisedProcess>();
    for (const name of names) {
      const matching = this.processes.filter(
        (p) =>
          p.name === name ||
          (p.name.startsWith(`${name}-`) && /^\d+$/.test(p.name.slice(name.length + 1))),
      );
      if (matching.length === 0) {
        throw new UnknownProcessError(
          `no process named '${name}' (processes: ${this.processes.map((p) => p.name).join(', ')})`,
        );
      }
      for (const p of matching) chosen.add(p);
    }
    return [...chosen];
  }

  private refuseWhileStopping(): void {
    if (this.stopping) throw new Error('the supervisor is stopping');
  }

  async restart(names: readonly string[]): Promise<void> {
    this.refuseWhileStopping();
    await Promise.all(this.select(names).map((p) => p.restart()));
  }

  async hold(names: readonly string[]): Promise<void> {
    this.refuseWhileStopping();
    await Promise.all(this.select(names).map((p) => p.stop('held')));
  }

  release(names: readonly string[]): void {
    this.refuseWhileStopping();
    for (const p of this.select(names)) p.release();
  }

  reopenLogs(): void {
    for (const p of this.processes) p.reopenLog();
  }

  report(cwd: string): SupervisorReport {
    return {
      pid: process.pid,
      startedAt: this.startedAt,
      cwd,
      stopping: this.stopping !== undefined,
      processes: this.processes.map((p) => p.report()),
    };
  }

  /** Stops every process (SIGTERM, SIGKILL after the grace time); the same promise to all callers. */
  shutdown(): Promise<StopRecord[]> {
    this.stopping ??= (async () => {
      this.options.log.info({ graceMs: this.options.graceMs }, 'stopping every process');
      const wasRunning = new Set(this.processes.filter((p) => p.running));
      await Promise.all(this.processes.map((p) => p.stop('stopped')));
      return this.processes.map((p) => {
        const { lastExit } = p.report();
        return { name: p.name, wasRunning: wasRunning.has(p), ...(lastExit ? { lastExit } : {}) };
      });
    })();
    return this.stopping;
  }
}
