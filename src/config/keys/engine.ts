import { z } from 'zod';
import { defineKeys } from '../define.js';

const positive = z.number().positive();
const nonNegativeInt = z.number().int().nonnegative();

/** Keys of the task engine (broker, results, workers, beat, task events). */
export const engineKeys = defineKeys({
  broker_url: {
    schema: z.string(),
    default: '',
    description:
      "Task broker: '' or 'memory://' for the embedded in-process broker, 'redis://host:port/db' for Redis (BullMQ)",
    secret: true,
    presets: { production: 'redis://127.0.0.1:6379/0', playground: 'redis://127.0.0.1:6379/0' },
  },
  redis_prefix: {
    schema: z.string().regex(/^[A-Za-z0-9_.:-]+$/),
    default: 'gwcelery',
    description:
      'Prefix of every Redis key the engine writes, so that deployments can share one server',
  },
  data_dir: {
    schema: z.string(),
    default: './gwcelery-data',
    description:
      'Directory for durable local state: embedded broker journal, task history, file store, logs',
    presets: {
      production: '~/.local/state/gwcelery',
      playground: '~/.local/state/gwcelery',
      test: '',
    },
  },
  result_expires: {
    schema: positive,
    default: 7200,
    description: 'Seconds a task result is kept after the task finishes',
  },
  claim_check_limit_bytes: {
    schema: z.number().int().positive(),
    default: 65536,
    description:
      'Largest serialised task argument or result accepted; bigger data must travel by file reference',
  },
  task_events_history_s: {
    schema: positive,
    default: 7 * 86400,
    description: 'Seconds of task events (sent, started, succeeded, ...) kept for the console',
  },
  task_events_max: {
    schema: z.number().int().positive(),
    default: 2_000_000,
    description: 'Upper bound on stored task events, whatever their age, to bound Redis memory',
  },
  worker_concurrency: {
    schema: z.number().int().positive(),
    default: 8,
    description: 'Default concurrency of a worker started without -c',
  },
  worker_shutdown_grace_s: {
    schema: positive,
    default: 60,
    description: 'Seconds a worker waits for running tasks after SIGTERM before it exits anyway',
    presets: { test: 5 },
  },
  worker_heartbeat_s: {
    schema: positive,
    default: 2,
    description:
      'Seconds between worker heartbeats; a worker is offline after three missed heartbeats',
    presets: { test: 0.5 },
  },
  task_lock_ms: {
    schema: z.number().int().positive(),
    default: 30000,
    description:
      'Redis broker: milliseconds a running task stays claimed without renewal; a worker killed mid-task releases its task after this',
    presets: { test: 1500 },
  },
  task_max_redeliveries: {
    schema: nonNegativeInt,
    default: 5,
    description:
      'How many times a task whose worker died is delivered again before it is failed for good',
  },
  task_default_time_limit_s: {
    schema: z.number().nonnegative(),
    default: 0,
    description: 'Default hard time limit of a task in seconds (0: none)',
  },
  task_modules: {
    schema: z.array(z.string()),
    default: [],
    description:
      'Modules that define tasks, imported by every worker and by `gwcelery call` (paths relative to the working directory or the project)',
  },
  beat_tick_s: {
    schema: positive,
    default: 1,
    description: 'Seconds between checks of the periodic-task schedule',
    presets: { test: 0.1 },
  },
  beat_schedule: {
    schema: z.record(
      z.string(),
      z.object({
        task: z.string(),
        every_s: positive,
        args: z.array(z.unknown()).default([]),
        kwargs: z.record(z.string(), z.unknown()).default({}),
      }),
    ),
    default: {},
    description:
      'Extra periodic tasks by name: {"name": {"task": "...", "every_s": 60, "args": []}}',
  },
});
