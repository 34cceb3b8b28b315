/**
 * What travels through a broker. Everything here is plain JSON so that both brokers (and the
 * console, and an operator reading Redis) see the same thing.
 */

/** A node of a canvas as it travels with a message: the rest of a chain, a chord's body. */
export type CanvasNode = TaskNode | ChainNode | GroupNode | ChordNode;

export interface TaskNode {
  kind: 'task';
  /** Result id, assigned when the canvas is frozen (before anything is sent). */
  id: string;
  task: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  options: SendOptions;
  /** An immutable signature does not receive its parent's result as first argument. */
  immutable: boolean;
}

export interface ChainNode {
  kind: 'chain';
  id: string;
  tasks: CanvasNode[];
}

export interface GroupNode {
  kind: 'group';
  id: string;
  tasks: CanvasNode[];
}

export interface ChordNode {
  kind: 'chord';
  id: string;
  header: CanvasNode[];
  body: CanvasNode;
}

/** Per-call options, as Celery's apply_async takes them. */
export interface SendOptions {
  queue?: string;
  /** 0 runs before 1. Children inherit their parent's priority unless they set one. */
  priority?: number;
  /** Seconds from now. */
  countdown?: number;
  /** Absolute time (ms since the epoch, a Date, or an ISO string). */
  eta?: number | string | Date;
  /** A caller-chosen id makes sending idempotent: a second send with the same id is dropped. */
  taskId?: string;
  timeLimitS?: number;
}

/** Membership of a chord header: who to tell, and how many members there are. */
export interface ChordMembership {
  id: string;
  size: number;
  /** Result ids of every header member, in order: the body receives their results. */
  memberIds: string[];
  body: CanvasNode;
  /** What follows the chord's body (a chord inside a chain). */
  bodyCallbacks: CanvasNode[];
  /** The enclosing chord when this chord is itself a member of one. */
  outer?: ChordMembership;
}

export interface TaskMessage {
  id: string;
  task: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  queue: string;
  priority: number;
  /** Not before this time (ms since the epoch); absent for immediate tasks. */
  eta?: number;
  /** Retries already made. */
  retries: number;
  timeLimitS?: number;
  parentId?: string;
  rootId: string;
  /** The rest of a chain: applied in order, each receiving the previous result. */
  callbacks?: CanvasNode[];
  chord?: ChordMembership;
  sentAt: number;
}

export type TaskState = 'PENDING' | 'STARTED' | 'RETRY' | 'SUCCESS' | 'FAILURE' | 'REVOKED';

export interface RemoteError {
  type: string;
  message: string;
  stack?: string;
}

export interface ResultRecord {
  id: string;
  task?: string;
  state: TaskState;
  result?: unknown;
  error?: RemoteError;
  retries?: number;
  worker?: string;
  finishedAt?: number;
}

export function isFinal(state: TaskState): boolean {
  return state === 'SUCCESS' || state === 'FAILURE' || state === 'REVOKED';
}
