import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { nextCrashCount, type RestartPolicy, restartDelayS } from './backoff.js';
import { identify, type ProcessIdentity } from './process-identity.js';

/** Status letters, as `condor_q` shows them: running, idle, held, removed (stopping), completed. */
export type StatusLetter = 'R' | 'I' | 'H' | 'X' | 'C';

/** Everything needed to start one process. */
export interface ProcessDefinition {
  name: string;
  argv: string[];
  /** The complete environment of the process. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  restart: 'always' | 'on-failure';
  /** It writes its own log file and reopens it on SIGHUP (a process without one dies of it). */
  reopensLogOnHup: boolean;
}

export interface ExitRecord {
  code: number | null;
  signal: string | null;
  at: number;
  /** SIGKILL was sent because the process outlived the grace time after SIGTERM. */
  killed: boolean;
  /** The process could not be started at all (missing program, ...). */
  error?: string;
}

export interface ProcessReport {
  name: string;
  status: StatusLetter;
  pid?: number;
  /** Restarts after unexpected exits (not those an operator asked for). */
  restarts: number;
  crashesInARow: number;
  startedAt?: number;
  nextStartAt?: number;
  lastExit?: ExitRecord;
  logFile: string;
  argv: string[];
}

export interface ProcessHooks {
  policy: RestartPolicy;
  graceMs: number;
  output(name: string, stream: 'stdout' | 'stderr', line: string): void;
  event(name: string, what: string, details: Record<string, unknown>): void;
  /** Called whenever the pid of a process changes, so that the registry on disk follows. */
  changed(): void;
}

type State = 'waiting' | 'running' | 'stopping' | 'held' | 'stopped';

const LETTER: Record<State, StatusLetter> = {
  running: 'R',
  waiting: 'I',
  held: 'H',
  stopping: 'X',
  stopped: 'C',
};

/**
 * One supervised child: restarted after an unexpected exit with a doubling wait, stopped with
 * SIGTERM then SIGKILL after the grace time. Each child leads its own process group, so that a
 * Ctrl-C on the supervisor's terminal reaches the supervisor only, which then stops the children
 * in order, and so that whatever a child starts is stopped with it.
 */
export class SupervisedProcess {
  private state: State = 'stopped';
  private child: ChildProcess | undefined;
  private identity: ProcessIdentity | undefined;
  private startedAt: number | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private nextStartAt: number | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private killedAfterGrace = false;
  private stopTarget: 'held' | 'stopped' = 'stopped';
  private exitWaiters: (() => void)[] = [];
  private restarts = 0;
  private crashesInARow = 0;
  private lastExit: ExitRecord | undefined;

  constructor(
    readonly definition: ProcessDefinition,
    private readonly hooks: ProcessHooks,
  ) {}

  get name(): string {
    return this.definition.name;
  }

  /** The running process, for the registry that outlives a crash of the supervisor. */
  get running(): ProcessIdentity | undefined {
    return this.identity;
  }

  start(): void {
    this.clearRestartTimer();
    if (this.child) return;
    const { argv, cwd, env } = this.definition;
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    this.state = 'running';
    this.startedAt = Date.now();
    this.killedAfterGrace = false;
    this.identity = child.pid === undefined ? undefined : identify(child.pid);
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream] }).on('line', (line) =>
        this.hooks.output(this.name, stream, line),
      );
    }
    child.once('error', (err) => {
      // A child that started and exits reports 'exit'; this is a child that never started.
      if (child.pid === undefined) this.exited(child, null, null, err.message);
    });
    child.once('exit', (code, signal) => this.exited(child, code, signal));
    this.hooks.event(this.name, 'started', { pid: child.pid, argv });
    this.hooks.changed();
  }

  private exited(
    child: ChildProcess,
    code: number | null,
    signal: NodeJS.Signals | null,
    error?: string,
  ): void {
    if (child !== this.child) return;
    this.child = undefined;
    this.identity = undefined;
    if (this.killTimer) clearTimeout(this.killTimer);
    this.killTimer = undefined;
    const now = Date.now();
    const ranForS = (now - (this.startedAt ?? now)) / 1000;
    this.startedAt = undefined;
    this.lastExit = {
      code,
      signal,
      at: now,
      killed: this.killedAfterGrace,
      ...(error ? { error } : {}),
    };
    if (this.state === 'stopping') {
      this.state = this.stopTarget;
      this.hooks.event(this.name, 'stopped', { ...this.lastExit, ranForS });
      for (const resolve of this.exitWaiters.splice(0)) resolve();
    } else if (this.definition.restart === 'on-failure' && code === 0) {
      this.state = 'stopped';
      this.hooks.event(this.name, 'completed', { ranForS });
    } else {
      this.crashesInARow = nextCrashCount(this.hooks.policy, this.crashesInARow, ranForS);
      this.restarts++;
      const delayS = restartDelayS(this.hooks.policy, this.crashesInARow);
      this.state = 'waiting';
      this.nextStartAt = now + delayS * 1000;
      this.restartTimer = setTimeout(() => this.start(), delayS * 1000);
      this.hooks.event(this.name, 'exited unexpectedly', {
        code,
        signal,
        error,
        ranForS,
        restartInS: delayS,
        restarts: this.restarts,
      });
    }
    this.hooks.changed();
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.nextStartAt = undefined;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone: its exit event is on the way
    }
  }

  /**
   * SIGTERM, then SIGKILL if it is still there after the grace time; resolves once it exited.
   * `target` is what it becomes: held (until released) or stopped.
   */
  stop(target: 'held' | 'stopped'): Promise<void> {
    this.clearRestartTimer();
    this.stopTarget = target;
    if (!this.child) {
      this.state = target;
      return Promise.resolve();
    }
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    if (this.state !== 'stopping') {
      this.state = 'stopping';
      this.signalGroup('SIGTERM');
      this.killTimer = setTimeout(() => {
        this.killedAfterGrace = true;
        this.hooks.event(this.name, 'grace time over, killing', { graceMs: this.hooks.graceMs });
        this.signalGroup('SIGKILL');
      }, this.hooks.graceMs);
    }
    return exited;
  }

  /** Stops it if it runs, then starts it again now; an operator's restart is not a crash. */
  async restart(): Promise<void> {
    await this.stop('stopped');
    this.crashesInARow = 0;
    this.start();
  }

  /** Starts a held process again. */
  release(): void {
    if (this.state !== 'held') return;
    this.crashesInARow = 0;
    this.start();
  }

  /** Asks it to reopen its log file (after logrotate moved it). */
  reopenLog(): void {
    if (this.state === 'running' && this.definition.reopensLogOnHup) {
      try {
        this.child?.kill('SIGHUP');
      } catch {
        // exiting anyway
      }
    }
  }

  report(): ProcessReport {
    return {
      name: this.name,
      status: LETTER[this.state],
      ...(this.child?.pid === undefined ? {} : { pid: this.child.pid }),
      restarts: this.restarts,
      crashesInARow: this.crashesInARow,
      ...(this.startedAt === undefined ? {} : { startedAt: this.startedAt }),
      ...(this.nextStartAt === undefined ? {} : { nextStartAt: this.nextStartAt }),
      ...(this.lastExit ? { lastExit: this.lastExit } : {}),
      logFile: this.definition.logFile,
      argv: this.definition.argv,
    };
  }
}
