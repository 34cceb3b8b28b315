export { App, checkClaim, type SendTaskOptions } from './app.js';
export { Beat, beatSchedule, type PeriodicEntry, registerPeriodic } from './beat.js';
export type { Broker, QueueStats, WorkerInfo } from './broker.js';
export { chain, chord, group } from './canvas.js';
export { currentTask, type TaskContext } from './context.js';
export { createApp, createBroker, isEmbedded } from './create.js';
export {
  ClaimCheckError,
  RetryRequest,
  TaskFailedError,
  TaskTimeoutError,
  TimeLimitExceeded,
  UnknownTaskError,
} from './errors.js';
export type { TaskEvent, TaskEventType } from './events.js';
export type { ResultRecord, SendOptions, TaskMessage, TaskState } from './message.js';
export { QUEUE_NAMES, QUEUES, type QueueName } from './queue-names.js';
export { AsyncResult, GroupResult } from './result.js';
export type { RetryPolicy } from './retry.js';
export {
  DEFAULT_QUEUE,
  defineTask,
  getTask,
  registeredTasks,
  Task,
  type TaskOptions,
} from './task.js';
export { Worker, type WorkerOptions } from './worker.js';
