import type { Config } from '../config/index.js';
import type { Broker } from './broker.js';
import { freeze, resultId, taskIds } from './canvas.js';
import { clearCurrentApp, currentTask, setCurrentApp } from './context.js';
import { ClaimCheckError } from './errors.js';
import { EventBuffer } from './event-buffer.js';
import { sentEvent } from './events.js';
import type {
  CanvasNode,
  ChordMembership,
  RemoteError,
  SendOptions,
  TaskMessage,
} from './message.js';
import { AsyncResult, GroupResult } from './result.js';
import { DEFAULT_QUEUE, getTask } from './task.js';

interface DispatchContext {
  /** The previous task's result, prepended to a mutable signature's arguments. */
  previous?: { value: unknown };
  callbacks: CanvasNode[];
  chord?: ChordMembership;
  parent?: { id: string; rootId: string; priority: number };
}

/** Options of App.sendTask: what the notification listener and the CLI pass. */
export interface SendTaskOptions extends SendOptions {
  kwargs?: Record<string, unknown>;
}

/**
 * The engine as one object: configuration, broker, task events, and sending. Workers and beat
 * run on top of it; every process has one.
 */
export class App {
  readonly events: EventBuffer;

  constructor(
    readonly config: Config,
    readonly broker: Broker,
  ) {
    this.events = new EventBuffer(broker);
  }

  /** Makes `task.delay()` outside a task send through this app. */
  makeCurrent(): this {
    setCurrentApp(this);
    return this;
  }

  get resultTtlMs(): number {
    return this.config.result_expires * 1000;
  }

  /** Sends a task by name (the form the listener and the command line use). */
  async sendTask(
    name: string,
    args: unknown[] = [],
    options: SendTaskOptions = {},
  ): Promise<AsyncResult> {
    const { kwargs = {}, ...send } = options;
    const node: CanvasNode = {
      kind: 'task',
      id: send.taskId ?? '',
      task: name,
      args,
      kwargs,
      options: send,
      immutable: true,
    };
    return (await this.apply(node)) as AsyncResult;
  }

  /** Sends a signature or a whole canvas; resolves once every first message is durable. */
  async apply(canvas: CanvasNode): Promise<AsyncResult | GroupResult> {
    const frozen = freeze(withCallerIds(canvas));
    const parentTask = currentTask();
    const parent = parentTask
      ? { id: parentTask.id, rootId: parentTask.rootId, priority: parentTask.priority }
      : undefined;
    await this.dispatch(frozen, { callbacks: [], parent });
    return this.resultFor(frozen);
  }

  result(id: string): AsyncResult {
    return new AsyncResult(id, this.broker);
  }

  private resultFor(node: CanvasNode): AsyncResult | GroupResult {
    switch (node.kind) {
      case 'task':
        return new AsyncResult(node.id, this.broker);
      case 'chain':
        return this.resultFor(node.tasks[node.tasks.length - 1]);
      case 'group':
        return new GroupResult(node.tasks.map((t) => this.resultFor(t)));
      case 'chord':
        return this.resultFor(node.body);
    }
  }

  /** Turns one canvas node into messages. Exposed to the worker for chain continuations. */
  async dispatch(node: CanvasNode, ctx: DispatchContext): Promise<void> {
    switch (node.kind) {
      case 'task':
        await this.publishTask(node, ctx);
        return;
      case 'chain': {
        const [first, ...rest] = node.tasks;
        await this.dispatch(first, { ...ctx, callbacks: [...rest, ...ctx.callbacks] });
        return;
      }
      case 'group': {
        if (ctx.callbacks.length > 0) {
          // A group followed by more work is a chord whose body is that work.
          const [body, ...after] = ctx.callbacks;
          const asChord = freeze({ kind: 'chord', id: '', header: node.tasks, body } as const);
          await this.dispatch(asChord, { ...ctx, callbacks: after });
          return;
        }
        if (ctx.chord) {
          throw new Error('a group directly inside a chord header is not supported; use a chord');
        }
        await Promise.all(node.tasks.map((t) => this.dispatch(t, { ...ctx, callbacks: [] })));
        return;
      }
      case 'chord': {
        if (node.header.length === 0) {
          await this.dispatch(node.body, { ...ctx, previous: { value: [] } });
          return;
        }
        const membership: ChordMembership = {
          id: node.id,
          size: node.header.length,
          memberIds: node.header.map(resultId),
          body: node.body,
          bodyCallbacks: ctx.callbacks,
          ...(ctx.chord ? { outer: ctx.chord } : {}),
        };
        await Promise.all(
          node.header.map((t) => this.dispatch(t, { ...ctx, callbacks: [], chord: membership })),
        );
        return;
      }
    }
  }

  private async publishTask(
    node: Extract<CanvasNode, { kind: 'task' }>,
    ctx: DispatchContext,
  ): Promise<void> {
    const task = getTask(node.task);
    const args = ctx.previous && !node.immutable ? [ctx.previous.value, ...node.args] : node.args;
    checkClaim(
      `arguments of task ${node.task}`,
      [args, node.kwargs],
      this.config.claim_check_limit_bytes,
    );
    const options = node.options;
    const eta = etaOf(options);
    const message: TaskMessage = {
      id: node.id,
      task: node.task,
      args,
      kwargs: node.kwargs,
      queue: options.queue ?? task?.queue ?? DEFAULT_QUEUE,
      priority: options.priority ?? ctx.parent?.priority ?? task?.priority ?? 0,
      retries: 0,
      rootId: ctx.parent?.rootId ?? node.id,
      sentAt: Date.now(),
      ...(eta !== undefined ? { eta } : {}),
      ...(options.timeLimitS !== undefined ? { timeLimitS: options.timeLimitS } : {}),
      ...(ctx.parent ? { parentId: ctx.parent.id } : {}),
      ...(ctx.callbacks.length ? { callbacks: ctx.callbacks } : {}),
      ...(ctx.chord ? { chord: ctx.chord } : {}),
    };
    await this.broker.publish(message);
    this.events.emit(sentEvent(message));
  }

  /** Called by a worker when a task succeeded: continues its chain or its chord. */
  async continueAfterSuccess(message: TaskMessage, value: unknown): Promise<void> {
    const parent = { id: message.id, rootId: message.rootId, priority: message.priority };
    if (message.callbacks?.length) {
      const [next, ...rest] = message.callbacks;
      await this.dispatch(next, {
        previous: { value },
        callbacks: rest,
        chord: message.chord,
        parent,
      });
    } else if (message.chord) {
      await this.memberDone(message.chord, message.id, parent);
    }
  }

  /** Called by a worker when a task failed for good: fails what depended on it. */
  async continueAfterFailure(message: TaskMessage, error: RemoteError): Promise<void> {
    const parent = { id: message.id, rootId: message.rootId, priority: message.priority };
    if (message.callbacks?.length) {
      const aborted: RemoteError = {
        type: 'ChainAborted',
        message: `task ${message.task} (${message.id}) failed earlier in the chain: ${error.type}: ${error.message}`,
      };
      const ids = message.callbacks.flatMap((n) => taskIds(n));
      await Promise.all(ids.map((id) => this.failResult(id, aborted)));
    }
    if (message.chord) {
      const memberId = message.callbacks?.length
        ? resultId(message.callbacks[message.callbacks.length - 1])
        : message.id;
      await this.memberDone(message.chord, memberId, parent);
    }
  }

  private async memberDone(
    chord: ChordMembership,
    memberId: string,
    parent: DispatchContext['parent'],
  ): Promise<void> {
    const done = await this.broker.chordMemberDone(chord.id, memberId, this.resultTtlMs);
    // undefined: this member was counted before (a redelivered message), so it must not fire.
    if (done !== chord.size) return;
    const records = await Promise.all(chord.memberIds.map((id) => this.broker.getResult(id)));
    const failed = records.findIndex((r) => r?.state !== 'SUCCESS');
    if (failed >= 0) {
      const cause = records[failed]?.error;
      const error: RemoteError = {
        type: 'ChordError',
        message: `chord member ${chord.memberIds[failed]} failed: ${cause ? `${cause.type}: ${cause.message}` : 'no result'}`,
      };
      const ids = [chord.body, ...chord.bodyCallbacks].flatMap((n) => taskIds(n));
      await Promise.all(ids.map((id) => this.failResult(id, error)));
      if (chord.outer) await this.memberDone(chord.outer, resultId(chord.body), parent);
      return;
    }
    await this.dispatch(chord.body, {
      previous: { value: records.map((r) => r?.result ?? null) },
      callbacks: chord.bodyCallbacks,
      chord: chord.outer,
      parent,
    });
  }

  private async failResult(id: string, error: RemoteError): Promise<void> {
    await this.broker.saveResult(
      { id, state: 'FAILURE', error, finishedAt: Date.now() },
      this.resultTtlMs,
    );
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.broker.close();
    clearCurrentApp(this);
  }
}

/** A caller-chosen task id (options.taskId) becomes the node id, so freeze keeps it. */
function withCallerIds(node: CanvasNode): CanvasNode {
  if (node.kind === 'task')
    return node.options.taskId ? { ...node, id: node.options.taskId } : node;
  if (node.kind === 'chord') {
    return { ...node, header: node.header.map(withCallerIds), body: withCallerIds(node.body) };
  }
  return { ...node, tasks: node.tasks.map(withCallerIds) };
}

function etaOf(options: SendOptions): number | undefined {
  if (options.eta !== undefined) {
    const eta = new Date(options.eta).getTime();
    if (Number.isNaN(eta)) throw new Error(`invalid eta ${String(options.eta)}`);
    return eta;
  }
  if (options.countdown !== undefined && options.countdown > 0) {
    return Date.now() + options.countdown * 1000;
  }
  return undefined;
}

/** Refuses data too large for the broker: it belongs in a file store, passed by reference. */
export function checkClaim(what: string, value: unknown, limit: number): void {
  const text = JSON.stringify(value) ?? 'null';
  // Most payloads are ASCII; only count bytes exactly when the character count is close.
  const size = text.length * 3 < limit ? text.length : Buffer.byteLength(text);
  if (size > limit) {
    throw new ClaimCheckError(
      `${what} are ${size} bytes, above the claim-check limit of ${limit} bytes: ` +
        'store large data (XML, FITS) in the file store or GraceDB and pass a reference',
    );
  }
}
