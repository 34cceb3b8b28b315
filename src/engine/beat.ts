import { randomUUID } from 'node:crypto';
import type { Config } from '../config/index.js';
import { getLogger } from '../log/index.js';
import type { App } from './app.js';
import type { SendOptions } from './message.js';

const log = getLogger('beat');

export interface PeriodicEntry {
  /** Unique name of the schedule entry (also the key of its last-run time). */
  name: string;
  task: string;
  everyS: number;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  options?: SendOptions;
}

type EntrySource = PeriodicEntry | ((config: Config) => PeriodicEntry | undefined);

const registered: EntrySource[] = [];

/**
 * Registers a periodic task (as the reference registers its mock events at app finalisation).
 * A function entry reads its period from the configuration, and may return undefined to turn
 * itself off.
 */
export function registerPeriodic(entry: EntrySource): void {
  registered.push(entry);
}

/** Registered entries plus the configuration's `beat_schedule`. */
export function beatSchedule(config: Config): PeriodicEntry[] {
  const entries = registered
    .map((source) => (typeof source === 'function' ? source(config) : source))
    .filter((entry): entry is PeriodicEntry => entry !== undefined);
  for (const [name, entry] of Object.entries(config.beat_schedule)) {
    entries.push({
      name,
      task: entry.task,
      everyS: entry.every_s,
      args: entry.args,
      kwargs: entry.kwargs,
    });
  }
  return entries;
}

/**
 * Sends periodic tasks. Several beat processes may run (one per deployment is usual, but a
 * restart overlaps); a lease in the broker makes exactly one of them the leader, and the last
 * run of each entry is stored in the broker so that a new leader carries on where the old one
 * stopped instead of firing everything again.
 */
export class Beat {
  private readonly owner = `beat-${process.pid}-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private leader = false;

  constructor(
    private readonly app: App,
    readonly entries: PeriodicEntry[],
  ) {
    for (const entry of entries) {
      if (!(entry.everyS > 0)) throw new Error(`periodic task ${entry.name}: period must be > 0`);
    }
  }

  get isLeader(): boolean {
    return this.leader;
  }

  private get tickMs(): number {
    return this.app.config.beat_tick_s * 1000;
  }

  start(): void {
    log.info(
      { entries: this.entries.map((e) => `${e.name} every ${e.everyS} s`) },
      'beat starting',
    );
    const loop = (): void => {
      this.ticking = this.tick()
        .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'beat tick failed'))
        .finally(() => {
          this.ticking = undefined;
          if (this.timer !== undefined) this.timer = setTimeout(loop, this.tickMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async tick(now = Date.now()): Promise<void> {
    const { broker } = this.app;
    const leaseMs = Math.max(5 * this.tickMs, 1000);
    const leader = await broker.acquireLease('beat', this.owner, leaseMs);
    if (leader !== this.leader) {
      log.info({ owner: this.owner }, leader ? 'beat is the leader' : 'beat lost the leadership');
      this.leader = leader;
    }
    if (!leader) return;
    for (const entry of this.entries) {
      const everyMs = entry.everyS * 1000;
      const key = `beat:last:${entry.name}`;
      const last = Number((await broker.getValue(key)) ?? 0);
      if (now < last + everyMs) continue;
      // Keep the cadence (no drift) unless we are far behind, e.g. after downtime.
      const run = last && now - last < 2 * everyMs ? last + everyMs : now;
      // Recorded before sending: a crash in between skips one run rather than sending twice.
      await broker.setValue(key, String(run));
      const result = await this.app.sendTask(entry.task, entry.args ?? [], {
        ...entry.options,
        kwargs: entry.kwargs ?? {},
        taskId: `beat-${entry.name}-${run}`,
      });
      log.info({ entry: entry.name, task: entry.task, task_id: result.id }, 'periodic task sent');
    }
  }

  async stop(): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.ticking;
    if (this.leader) await this.app.broker.releaseLease('beat', this.owner).catch(() => undefined);
    this.leader = false;
  }
}
