import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { Config } from '../config/index.js';
import type { App } from '../engine/index.js';
import { createApp, isEmbedded } from '../engine/index.js';
import { configureLogging } from '../log/index.js';
import { configFor } from './command.js';

const projectRoot = new URL('../../', import.meta.url).pathname;

/** Imports the modules that define tasks, so that this process can send and run them. */
export async function importTaskModules(config: Config, extra: string[] = []): Promise<void> {
  await import('../engine/builtin-tasks.js');
  await import('../pipeline/index.js');
  for (const spec of [...config.task_modules, ...extra]) {
    const candidates = isAbsolute(spec) ? [spec] : [resolve(spec), resolve(projectRoot, spec)];
    const found = candidates.find((path) => existsSync(path));
    await import(found ? pathToFileURL(found).href : spec);
  }
}

export interface BootOptions {
  overrides?: Record<string, unknown>;
  logFile?: string;
  logLevel?: string;
  processName?: string;
  include?: string[];
  /** Commands that talk to other processes cannot use the in-process broker. */
  needsSharedBroker?: boolean;
}

/** Configuration, logging, task modules and an app: what every long-running command needs. */
export async function bootApp(
  command: Command,
  options: BootOptions = {},
): Promise<{ config: Config; app: App }> {
  const config = configFor(command, options.overrides);
  configureLogging({
    level: options.logLevel ?? config.log_level,
    format: config.log_format,
    file: options.logFile,
    name: options.processName,
  });
  if (options.needsSharedBroker && isEmbedded(config)) {
    throw new Error(
      'this command talks to workers in other processes, but the configured broker is the embedded ' +
        'in-process one (broker_url is empty): set GWCELERY_BROKER_URL=redis://... to reach a deployment',
    );
  }
  await importTaskModules(config, options.include);
  return { config, app: createApp(config) };
}

/** Runs `stop` on SIGTERM / SIGINT once; a second signal exits at once. */
export function onShutdown(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`gwcelery: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`gwcelery: error while stopping: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

export function parseList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}
