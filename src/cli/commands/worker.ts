import type { Command } from 'commander';
import { getBootstep } from '../../engine/bootsteps.js';
import { Beat, beatSchedule, QUEUE_NAMES, Worker } from '../../engine/index.js';
import { getLogger } from '../../log/index.js';
import { installSentry } from '../../ops/sentry.js';
import { startQueueBootsteps } from '../../pipeline/queue-bootsteps.js';
import { bootApp, onShutdown, parseList } from '../boot.js';

interface WorkerFlags {
  queues: string[];
  concurrency?: string;
  hostname?: string;
  logfile?: string;
  loglevel?: string;
  beat?: boolean;
  include: string[];
  igwnAlert?: boolean;
  email?: boolean;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('run tasks from queues (the reference: celery worker)')
    .option('-Q, --queues <queues>', 'comma-separated queues to serve', parseList, [])
    .option('-c, --concurrency <n>', 'tasks of each queue running at once (1 = strictly serial)')
    .option('-n, --hostname <name>', 'node name, unique per worker (e.g. gwcelery-worker@host)')
    .option('-f, --logfile <path>', 'log file (JSON lines; reopened on SIGHUP for logrotate)')
    .option('-l, --loglevel <level>', 'log level')
    .option('-B, --beat', 'also run the periodic-task scheduler')
    .option('-I, --include <modules>', 'extra task modules to import', parseList, [])
    .option('--igwn-alert', 'run the IGWN Alert listener in this worker')
    .option('--email', 'run the GCN e-mail notice receiver in this worker')
    .action(async (flags: WorkerFlags, command: Command) => {
      const { config, app } = await bootApp(command, {
        logFile: flags.logfile,
        logLevel: flags.loglevel,
        processName: flags.hostname,
        include: flags.include,
      });
      const log = getLogger('cli.worker');
      const sentry = installSentry({ config, app });
      const queues = flags.queues.length ? flags.queues : ['celery'];
      const unknownQueues = queues.filter((q) => !(QUEUE_NAMES as string[]).includes(q));
      if (unknownQueues.length)
        log.warn({ queues: unknownQueues }, 'serving queues outside the standard set');
      const concurrency = flags.concurrency ? Number(flags.concurrency) : config.worker_concurrency;
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new Error(`--concurrency must be a positive integer, got ${flags.concurrency}`);
      }
      const worker = new Worker(app, { queues, concurrency, name: flags.hostname });
      const stops: (() => Promise<void>)[] = [];
      for (const name of ['igwn-alert', 'email'] as const) {
        const enabled = name === 'igwn-alert' ? flags.igwnAlert : flags.email;
        if (!enabled) continue;
        const step = getBootstep(name);
        if (!step) throw new Error(`--${name}: no ${name} subsystem is available in this build`);
        stops.push(await step.start({ app, worker, config }));
      }
      stops.push(...(await startQueueBootsteps(app, worker, config)));
      await worker.start();
      const beat = flags.beat ? new Beat(app, beatSchedule(config)) : undefined;
      beat?.start();
      onShutdown(async (signal) => {
        log.info({ signal }, 'shutting down');
        await beat?.stop();
        // Running tasks finish first (a notice being sent needs its delivery), then subsystems.
        await worker.stop();
        for (const stop of stops.reverse()) await stop();
        await app.close();
        await sentry?.close();
      });
    });
}
