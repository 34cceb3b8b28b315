/**
 * The queues of the reference deployment, kept by name because operators know them, with the
 * concurrency each gets when everything runs in one process (`gwcelery start`).
 */
export const QUEUES = {
  celery: 16,
  superevent: 1,
  exttrig: 1,
  openmp: 1,
  multiprocessing: 1,
  highmem: 2,
  'em-bright': 2,
  voevent: 1,
  kafka: 1,
} as const satisfies Record<string, number>;

export type QueueName = keyof typeof QUEUES;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];
