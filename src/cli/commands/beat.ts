import type { Command } from 'commander';
import { Beat, beatSchedule } from '../../engine/index.js';
import { installSentry } from '../../ops/sentry.js';
import { bootApp, onShutdown } from '../boot.js';

export function register(program: Command): void {
  program
    .command('beat')
    .description('run the periodic-task scheduler (one leader among all beat processes)')
    .option('-f, --logfile <path>', 'log file (JSON lines; reopened on SIGHUP)')
    .option('-l, --loglevel <level>', 'log level')
    .action(async (flags: { logfile?: string; loglevel?: string }, command: Command) => {
      const { config, app } = await bootApp(command, {
        logFile: flags.logfile,
        logLevel: flags.loglevel,
        processName: 'gwcelery-beat',
      });
      const beat = new Beat(app, beatSchedule(config));
      const sentry = installSentry({ config, app });
      beat.start();
      onShutdown(async () => {
        await beat.stop();
        await app.close();
        await sentry?.close();
      });
    });
}
