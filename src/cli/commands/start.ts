import { join } from 'node:path';
import type { Command } from 'commander';
import { getLogger } from '../../log/index.js';
import { startLocalStack } from '../../ops/local-stack.js';
import { bootApp, onShutdown } from '../boot.js';

interface StartFlags {
  data?: string;
  gracedbPort?: string;
  consolePort?: string;
  console?: boolean;
  mockInterval?: string;
  loglevel?: string;
}

export function register(program: Command): void {
  program
    .command('start')
    .description(
      'run the whole pipeline in one process on its embedded defaults: GraceDB, notification bus, broker, workers for every queue, listener, beat',
    )
    .option(
      '--data <dir>',
      'data directory (journal, GraceDB, files, logs); resumes from it on restart',
    )
    .option('--gracedb-port <port>', 'port of the embedded GraceDB', '8000')
    .option('--console-port <port>', 'port of the console (default: console_port, 5556)')
    .option('--no-console', 'do not run the console')
    .option(
      '--mock-interval <seconds>',
      'seconds between mock events (0: none; default mock_events_interval_s: 300 in development)',
    )
    .option('-l, --loglevel <level>', 'log level')
    .action(async (flags: StartFlags, command: Command) => {
      const { config, app } = await bootApp(command, {
        overrides: {
          ...(flags.data ? { data_dir: flags.data } : {}),
          ...(flags.mockInterval !== undefined
            ? { mock_events_interval_s: Number(flags.mockInterval) }
            : {}),
        },
        logLevel: flags.loglevel,
        processName: 'gwcelery',
      });
      // bootApp made an app for the configured broker; the stack makes its own on the same one.
      await app.close();
      const log = getLogger('cli.start');
      const port = portNumber('--gracedb-port', flags.gracedbPort ?? '8000');
      const consolePort =
        flags.console === false
          ? false
          : portNumber('--console-port', flags.consolePort ?? String(config.console_port));
      const stack = await startLocalStack(config, { gracedbPort: port, consolePort, beat: true });
      const lines = [
        'gwcelery is running.',
        `  GraceDB:     ${stack.service.url.replace(/api\/$/, '')}  (API ${stack.service.url}; write token in ${config.data_dir}/gracedb-token)`,
        ...(stack.consoleUrl
          ? [
              `  console:     ${stack.consoleUrl}${stack.consoleLogin ? `  (user ${stack.consoleLogin.user}, password in ${stack.consoleLogin.passwordFile})` : ''}`,
            ]
          : []),
        `  data:        ${config.data_dir}`,
        `  alerts:      ${config.alert_output_dir ? join(config.data_dir, config.alert_output_dir) : '(no local alert files)'}`,
        `  broker:      ${stack.app.broker.kind} (journal ${config.data_dir}/engine.sqlite)`,
        `  bus:         ${stack.bus.description}`,
        `  workers:     ${stack.workers.map((w) => `${w.options.queues[0]}×${w.options.concurrency}`).join(' ')}`,
        `  periodic:    ${stack.beat?.entries.map((e) => `${e.name} every ${e.everyS} s`).join(', ') || '(none)'}`,
        'Press Ctrl-C to stop.',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      onShutdown(async (signal) => {
        log.info({ signal }, 'stopping');
        await stack.close();
        process.stdout.write('gwcelery stopped.\n');
      });
    });
}

function portNumber(flag: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${flag} must be a port number, got ${text}`);
  }
  return port;
}
