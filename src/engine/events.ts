import type { TaskMessage } from './message.js';

export type TaskEventType =
  | 'task-sent'
  | 'task-started'
  | 'task-succeeded'
  | 'task-failed'
  | 'task-retried'
  | 'task-rejected';

/** What the console, `gwcelery inspect` and the history see of a task's life. */
export interface TaskEvent {
  type: TaskEventType;
  id: string;
  name: string;
  /** ms since the epoch. */
  timestamp: number;
  queue?: string;
  priority?: number;
  /** A short, readable summary of the arguments (never the whole payload). */
  args?: string;
  eta?: number;
  parentId?: string;
  rootId?: string;
  worker?: string;
  runtimeMs?: number;
  result?: string;
  error?: string;
  traceback?: string;
  retries?: number;
  /** Superevent or event ids found in the arguments, so history can be searched by them. */
  subjects?: string[];
}

const SUMMARY_LIMIT = 240;

/** Compact, bounded rendering of a value for events and logs. */
export function summarize(value: unknown, limit = SUMMARY_LIMIT): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v) => {
      if (typeof v === 'string' && v.length > 80) return `${v.slice(0, 77)}...`;
      if (v instanceof Uint8Array) return `<${v.length} bytes>`;
      return v;
    });
  } catch {
    text = String(value);
  }
  if (text === undefined) text = 'undefined';
  return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}

// GraceDB ids: superevents (S, MS, TS + date + letters), G-events and external events.
const SUBJECT_PATTERN = /\b(?:[MT]?S\d{6}[a-z]{1,3}|[GMTE]\d{1,9}|GW\d{6}_\d{6})\b/g;

export function subjectsOf(message: Pick<TaskMessage, 'args' | 'kwargs'>): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (found.size >= 8 || depth > 4) return;
    if (typeof value === 'string') {
      if (value.length > 4096) return;
      for (const match of value.matchAll(SUBJECT_PATTERN)) found.add(match[0]);
    } else if (Array.isArray(value)) {
      for (const item of value.slice(0, 32)) visit(item, depth + 1);
    } else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const key of ['superevent_id', 'graceid', 'uid', 'preferred_event']) {
        if (typeof record[key] === 'string') visit(record[key], depth + 1);
      }
      for (const item of Object.values(record).slice(0, 32)) {
        if (typeof item !== 'object') visit(item, depth + 1);
      }
    }
  };
  visit(message.args, 0);
  visit(message.kwargs, 0);
  return [...found];
}

export function sentEvent(message: TaskMessage): TaskEvent {
  return {
    type: 'task-sent',
    id: message.id,
    name: message.task,
    timestamp: message.sentAt,
    queue: message.queue,
    priority: message.priority,
    args: summarize(message.args),
    eta: message.eta,
    parentId: message.parentId,
    rootId: message.rootId,
    subjects: subjectsOf(message),
  };
}
