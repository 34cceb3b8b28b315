import { hostname } from 'node:os';
import { getLogger, withLogContext } from '../log/index.js';
import { type App, checkClaim } from './app.js';
import type { Consumer, DeliveryInfo, Outcome, WorkerInfo } from './broker.js';
import { runInTaskContext, type TaskContext } from './context.js';
import { RetryRequest, TimeLimitExceeded, toRemoteError, UnknownTaskError } from './errors.js';
import { subjectsOf, summarize } from './events.js';
import { isFinal, type TaskMessage } from './message.js';
import { NO_RETRY, retryDelayMs } from './retry.js';
import { getTask, type Task } from './task.js';

const log = getLogger('worker');

export interface WorkerOptions {
  queues: string[];
  /** Tasks of each queue running at once in this worker. */
  concurrency: number;
  /** Node name, unique per worker (`gwcelery-worker@host`). */
  name?: string;
}

/**
 * Takes tasks from queues and runs them: time limits, retries, results, task events, and the
 * continuation of chains and chords.
 */
export class Worker {
  readonly name: string;
  private readonly consumers: Consumer[] = [];
  private readonly running = new Map<string, { name: string; startedAt: number }>();
  private readonly startedAt = Date.now();
  private readonly stats: Record<string, unknown> = {};
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly app: App,
    readonly options: WorkerOptions,
  ) {
    if (options.queues.length === 0) throw new Error('a worker needs at least one queue');
    if (!(options.concurrency >= 1)) throw new Error('worker concurrency must be at least 1');
    this.name = options.name ?? `gwcelery-worker-${process.pid}@${hostname()}`;
  }

  async start(): Promise<void> {
    for (const queue of this.options.queues) {
      this.consumers.push(
        this.app.broker.consume(
          {
            queue,
            concurrency: this.options.concurrency,
            workerName: this.name,
            serial: this.options.concurrency === 1,
          },
          (message, info) => this.execute(message, info),
        ),
      );
    }
    await this.heartbeat();
    const everyMs = this.app.config.worker_heartbeat_s * 1000;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), everyMs);
    this.heartbeatTimer.unref();
    log.info(
      { worker: this.name, queues: this.options.queues, concurrency: this.options.concurrency },
      'worker ready',
    );
  }

  /** Extra state shown by `gwcelery inspect` (listener topics, peers, ...). */
  setStat(key: string, value: unknown): void {
    this.stats[key] = value;
  }

  info(): WorkerInfo {
    return {
      name: this.name,
      hostname: hostname(),
      pid: process.pid,
      queues: this.options.queues,
      concurrency: this.options.concurrency,
      startedAt: this.startedAt,
      lastHeartbeat: Date.now(),
      active: [...this.running].map(([id, r]) => ({ id, name: r.name, startedAt: r.startedAt })),
      stats: this.stats,
    };
  }

  private async heartbeat(stoppedAt?: number): Promise<void> {
    const ttl = this.app.config.worker_heartbeat_s * 1000 * 3;
    try {
      await this.app.broker.heartbeat({ ...this.info(), ...(stoppedAt ? { stoppedAt } : {}) }, ttl);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'worker heartbeat failed');
    }
  }

  /**
   * Stops taking tasks and waits up to graceMs for the running ones; tasks still running then
   * are left to the broker (Redis redelivers them; the embedded journal re-runs them at start).
   */
  stop(graceMs = this.app.config.worker_shutdown_grace_s * 1000): Promise<void> {
    this.stopping ??= (async () => {
      log.info({ worker: this.name, running: this.running.size, graceMs }, 'worker stopping');
      if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
      await Promise.all(this.consumers.map((c) => c.close(graceMs)));
      await this.app.events.flush();
      await this.heartbeat(Date.now());
      log.info({ worker: this.name }, 'worker stopped');
    })();
    return this.stopping;
  }

  private async execute(message: TaskMessage, info: DeliveryInfo): Promise<Outcome> {
    const startedAt = Date.now();
    this.running.set(message.id, { name: message.task, startedAt });
    try {
      return await this.run(message, info, startedAt);
    } finally {
      this.running.delete(message.id);
    }
  }

  private async run(message: TaskMessage, info: DeliveryInfo, startedAt: number): Promise<Outcome> {
    const { app } = this;
    app.events.emit({
      type: 'task-started',
      id: message.id,
      name: message.task,
      timestamp: startedAt,
      queue: message.queue,
      worker: this.name,
      retries: message.retries,
      subjects: subjectsOf(message),
    });
    if (info.redelivered > 0) {
      // The worker that had it died. If it finished the work before dying, do not redo it.
      const previous = await app.broker.getResult(message.id);
      if (previous && isFinal(previous.state)) {
        log.warn({ task_id: message.id, state: previous.state }, 'redelivered task had finished');
        return { kind: 'ack' };
      }
      log.warn({ task_id: message.id, redelivered: info.redelivered }, 'task redelivered');
    }
    const task = getTask(message.task);
    const controller = new AbortController();
    try {
      if (!task) {
        throw new UnknownTaskError(
          `task '${message.task}' is not registered in worker ${this.name} (missing --include?)`,
        );
      }
      const value = await this.invoke(task, message, controller);
      if (!task.ignoreResult || message.chord) {
        checkClaim(`result of task ${message.task}`, value, app.config.claim_check_limit_bytes);
        await app.broker.saveResult(
          {
            id: message.id,
            task: message.task,
            state: 'SUCCESS',
            result: value ?? null,
            retries: message.retries,
            worker: this.name,
            finishedAt: Date.now(),
          },
          app.resultTtlMs,
        );
      }
      const runtimeMs = Date.now() - startedAt;
      app.events.emit({
        type: 'task-succeeded',
        id: message.id,
        name: message.task,
        timestamp: Date.now(),
        worker: this.name,
        runtimeMs,
        result: summarize(value),
      });
      await app.continueAfterSuccess(message, value ?? null);
      return { kind: 'ack' };
    } catch (err) {
      controller.abort(err);
      return this.failed(task, message, err, startedAt);
    }
  }

  private async invoke(
    task: Task<unknown[], unknown>,
    message: TaskMessage,
    controller: AbortController,
  ): Promise<unknown> {
    const limitS =
      message.timeLimitS ?? task.timeLimitS ?? this.app.config.task_default_time_limit_s;
    const context: TaskContext = {
      id: message.id,
      name: message.task,
      queue: message.queue,
      priority: message.priority,
      retries: message.retries,
      rootId: message.rootId,
      parentId: message.parentId,
      kwargs: message.kwargs,
      worker: this.name,
      signal: controller.signal,
      app: this.app,
      log: getLogger(`task.${message.task}`),
      retry: (options = {}) => {
        throw new RetryRequest(options.countdownS, options.reason);
      },
    };
    const work = withLogContext({ task_id: message.id, task_name: message.task }, () =>
      runInTaskContext(context, () =>
        Promise.resolve().then(() => task.handler(context, ...message.args)),
      ),
    );
    if (!limitS) return work;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(new TimeLimitExceeded(`task ${message.task} exceeded its ${limitS} s time limit`)),
        limitS * 1000,
      );
    });
    try {
      return await Promise.race([work, limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async failed(
    task: Task<unknown[], unknown> | undefined,
    message: TaskMessage,
    err: unknown,
    startedAt: number,
  ): Promise<Outcome> {
    const { app } = this;
    const delayMs = retryDelayMs(task?.retry ?? NO_RETRY, err, message.retries);
    if (delayMs !== undefined) {
      log.warn(
        {
          task_id: message.id,
          task_name: message.task,
          retries: message.retries + 1,
          delayMs,
          err: (err as Error)?.message,
        },
        'task will retry',
      );
      app.events.emit({
        type: 'task-retried',
        id: message.id,
        name: message.task,
        timestamp: Date.now(),
        worker: this.name,
        retries: message.retries + 1,
        error: summarize((err as Error)?.message ?? err),
        eta: Date.now() + delayMs,
      });
      await app.broker.saveResult(
        {
          id: message.id,
          task: message.task,
          state: 'RETRY',
          error: toRemoteError(err),
          retries: message.retries + 1,
        },
        app.resultTtlMs,
      );
      return {
        kind: 'retry',
        message: { ...message, retries: message.retries + 1, eta: Date.now() + delayMs },
        delayMs,
      };
    }
    const remote = toRemoteError(err instanceof RetryRequest && err.reason ? err.reason : err);
    log.error(
      { task_id: message.id, task_name: message.task, err: remote.message, stack: remote.stack },
      `task ${message.task} failed`,
    );
    await app.broker.saveResult(
      {
        id: message.id,
        task: message.task,
        state: 'FAILURE',
        error: remote,
        retries: message.retries,
        worker: this.name,
        finishedAt: Date.now(),
      },
      app.resultTtlMs,
    );
    app.events.emit({
      type: 'task-failed',
      id: message.id,
      name: message.task,
      timestamp: Date.now(),
      worker: this.name,
      runtimeMs: Date.now() - startedAt,
      error: `${remote.type}: ${remote.message}`,
      traceback: remote.stack,
      retries: message.retries,
      subjects: subjectsOf(message),
    });
    await app.continueAfterFailure(message, remote);
    return { kind: 'ack' };
  }
}
