import { hostname } from 'node:os';
import type { Command } from 'commander';
import { Beat, beatSchedule, QUEUES, Worker } from '../../engine/index.js';
import { getLogger } from '../../log/index.js';
import { bootApp, onShutdown } from '../boot.js';

interface StartFlags {
  data?: string;
  loglevel?: string;
}

export function register(program: Command): void {
  program
    .command('start')
    .description(
      'run the whole pipeline in one process on its embedded defaults (broker, workers for every queue, beat)',
    )
    .option('--data <dir>', 'data directory (journal, files, logs); resumes from it on restart')
    .option('-l, --loglevel <level>', 'log level')
    .action(async (flags: StartFlags, command: Command) => {
      const { config, app } = await bootApp(command, {
        overrides: { ...(flags.data ? { data_dir: flags.data } : {}) },
        logLevel: flags.loglevel,
        processName: 'gwcelery',
      });
      const log = getLogger('cli.start');
      const workers = Object.entries(QUEUES).map(
        ([queue, concurrency]) =>
          new Worker(app, {
            queues: [queue],
            concurrency,
            name: `gwcelery-${queue}-worker@${hostname()}`,
          }),
      );
      for (const worker of workers) await worker.start();
      const beat = new Beat(app, beatSchedule(config));
      beat.start();
      const lines = [
        'gwcelery is running.',
        `  broker:      ${app.broker.kind}${config.data_dir ? ` (journal ${config.data_dir}/engine.sqlite)` : ' (in memory)'}`,
        `  data:        ${config.data_dir || '(none: nothing survives a restart)'}`,
        `  queues:      ${Object.entries(QUEUES)
          .map(([q, c]) => `${q}×${c}`)
          .join(' ')}`,
        `  periodic:    ${beat.entries.map((e) => `${e.name} every ${e.everyS} s`).join(', ') || '(none)'}`,
        'Press Ctrl-C to stop.',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      onShutdown(async (signal) => {
        log.info({ signal }, 'stopping');
        await beat.stop();
        await Promise.all(workers.map((w) => w.stop()));
        await app.close();
        process.stdout.write('gwcelery stopped.\n');
      });
    });
}
