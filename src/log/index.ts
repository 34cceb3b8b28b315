import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggingOptions {
  level?: string;
  format?: 'auto' | 'json' | 'pretty';
  /** Log file (pino JSON lines); reopened on SIGHUP so that logrotate can move it. */
  file?: string;
  /** Process name written on every line (e.g. the worker's node name). */
  name?: string;
}

/**
 * Bindings that every line logged inside the current asynchronous context carries. The task
 * engine puts the task id and name here, so that a line logged deep inside a GraceDB call still
 * says which task it belongs to.
 */
const context = new AsyncLocalStorage<Record<string, unknown>>();

export function withLogContext<T>(bindings: Record<string, unknown>, fn: () => T): T {
  const parent = context.getStore();
  return context.run(parent ? { ...parent, ...bindings } : bindings, fn);
}

export function currentLogContext(): Record<string, unknown> | undefined {
  return context.getStore();
}

// Before a command configures logging (and in tests, which never do), follow the environment:
// the test preset is quiet unless GWCELERY_LOG_LEVEL says otherwise.
let root: Logger = makeLogger({
  level:
    process.env.GWCELERY_LOG_LEVEL ?? (process.env.GWCELERY_CONFIG === 'test' ? 'warn' : 'info'),
  format: 'auto',
});
let fileDestination: ReturnType<typeof pino.destination> | undefined;
let sighupInstalled = false;
let generation = 0;

function makeLogger(options: LoggingOptions, stream?: DestinationStream): Logger {
  let destination = stream;
  if (!destination) {
    const wantPretty =
      options.format === 'pretty' || (options.format !== 'json' && process.stderr.isTTY);
    destination = wantPretty
      ? pretty({ colorize: process.stderr.isTTY, destination: 2, sync: true })
      : pino.destination({ dest: 2, sync: true });
  }
  return pino(
    {
      level: options.level ?? 'info',
      base: options.name ? { pid: process.pid, name: options.name } : { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => context.getStore() ?? {},
    },
    destination,
  );
}

/** Configures the process-wide logger; called once by each command at start-up. */
export function configureLogging(options: LoggingOptions): Logger {
  if (fileDestination) fileDestination.end();
  fileDestination = undefined;
  if (options.file) {
    mkdirSync(dirname(options.file), { recursive: true });
    fileDestination = pino.destination({ dest: options.file, sync: false, mkdir: true });
    root = makeLogger(options, fileDestination);
    if (!sighupInstalled) {
      sighupInstalled = true;
      process.on('SIGHUP', () => fileDestination?.reopen());
    }
  } else {
    root = makeLogger(options);
  }
  generation++;
  return root;
}

/** A logger for one component; its lines carry `component` and the current task context. */
export function getLogger(component: string): Logger {
  let child: Logger | undefined;
  let seen = -1;
  // Resolved lazily so that loggers created at import time follow configureLogging().
  const current = (): Logger => {
    if (seen !== generation) {
      child = root.child({ component });
      seen = generation;
    }
    return child!;
  };
  return new Proxy({} as Logger, {
    get(_target, prop) {
      const logger = current();
      const value = Reflect.get(logger, prop, logger);
      return typeof value === 'function' ? value.bind(logger) : value;
    },
  });
}

/** Flushes a file destination; call before process exit. */
export function flushLogs(): void {
  try {
    fileDestination?.flushSync();
  } catch {
    // a destination that is not ready yet has nothing to flush
  }
}
