import type { Command } from 'commander';
import { openAlertLedger } from '../../alerts/ledger/open-ledger.js';
import { isEmbedded } from '../../engine/index.js';
import { getLogger } from '../../log/index.js';
import { hashPassword } from '../../ops/console/auth/password-hash.js';
import { startConsole } from '../../ops/console/start-console.js';
import { installSentry } from '../../ops/sentry.js';
import { bootApp, onShutdown } from '../boot.js';

interface ConsoleFlags {
  port?: string;
  bind?: string;
  data?: string;
  loglevel?: string;
  logfile?: string;
}

/** Reads a password: without echo on a terminal (asked twice), else the first line of stdin. */
async function readPassword(): Promise<string> {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += chunk;
    return text.split(/\r?\n/)[0] ?? '';
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve, reject) => {
      stderr.write(prompt);
      stdin.setRawMode(true);
      stdin.resume();
      let value = '';
      const onData = (data: Buffer) => {
        for (const c of data.toString('utf8')) {
          if (c === '\r' || c === '\n') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            stderr.write('\n');
            resolve(value);
            return;
          }
          if (c === '\u0003') {
            stdin.setRawMode(false);
            reject(new Error('interrupted'));
            return;
          }
          value = c === '\u007f' ? value.slice(0, -1) : value + c;
        }
      };
      stdin.on('data', onData);
    });
  const first = await ask('Password: ');
  const second = await ask('Again: ');
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

export function register(program: Command): void {
  const consoleCommand = program
    .command('console')
    .description(
      'the operations console: live and historical tasks, workers, queues, superevents, health, metrics and the operator forms (http://127.0.0.1:5556/)',
    )
    .option('-p, --port <port>', 'port (default console_port, 5556)')
    .option('--bind <address>', 'address to listen on (default console_bind)')
    .option('--data <dir>', 'data directory (task history, sky-map image cache, session key)')
    .option('-l, --loglevel <level>', 'log level')
    .option('-f, --logfile <path>', 'log file')
    .action(async (flags: ConsoleFlags, command: Command) => {
      const port = flags.port === undefined ? undefined : Number(flags.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
        throw new Error(`--port must be a port number, got ${flags.port}`);
      }
      const { config, app } = await bootApp(command, {
        overrides: {
          ...(flags.data ? { data_dir: flags.data } : {}),
          ...(port !== undefined ? { console_port: port } : {}),
          ...(flags.bind ? { console_bind: flags.bind } : {}),
        },
        logLevel: flags.loglevel,
        logFile: flags.logfile,
        processName: 'gwcelery-console',
      });
      const log = getLogger('cli.console');
      if (isEmbedded(config)) {
        log.warn(
          'the broker is the embedded one: this console sees only its own process (run the console inside `gwcelery start`, or set GWCELERY_BROKER_URL=redis://...)',
        );
      }
      const sentry = installSentry({ config, app });
      // The alert ledger the pipeline writes (Redis with a Redis broker, else data_dir/SQLite).
      const ledger = openAlertLedger(config);
      const running = await startConsole({ app, config, ledger });
      process.stdout.write(`gwcelery console at ${running.url}\n`);
      onShutdown(async (signal) => {
        log.info({ signal }, 'console stopping');
        await running.close();
        await ledger.close();
        await app.close();
        await sentry?.close();
      });
    });

  consoleCommand
    .command('hash-password')
    .description(
      'print the scrypt hash of a password for console_users (reads it from the terminal, or the first line of stdin)',
    )
    .action(async () => {
      const password = await readPassword();
      process.stdout.write(`${await hashPassword(password)}\n`);
    });
}
