import type { Command } from 'commander';
import { bootApp } from '../boot.js';

function parseJson(what: string, text: string | undefined, fallback: unknown): unknown {
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not valid JSON: ${(err as Error).message}`);
  }
}

export function register(program: Command): void {
  program
    .command('call <task>')
    .description('send a task by name and print its id')
    .option('-a, --args <json>', 'positional arguments as a JSON array', '[]')
    .option('-k, --kwargs <json>', 'keyword arguments as a JSON object', '{}')
    .option('--countdown <seconds>', 'run no sooner than this many seconds from now')
    .option('--eta <iso-time>', 'run no sooner than this time')
    .option('-Q, --queue <queue>', "override the task's queue")
    .option('--priority <n>', '0 (first) or 1')
    .action(
      async (
        name: string,
        flags: {
          args: string;
          kwargs: string;
          countdown?: string;
          eta?: string;
          queue?: string;
          priority?: string;
        },
        command: Command,
      ) => {
        const args = parseJson('--args', flags.args, []);
        const kwargs = parseJson('--kwargs', flags.kwargs, {});
        if (!Array.isArray(args)) throw new Error('--args must be a JSON array');
        if (!kwargs || typeof kwargs !== 'object' || Array.isArray(kwargs)) {
          throw new Error('--kwargs must be a JSON object');
        }
        const { app } = await bootApp(command, { needsSharedBroker: true, logLevel: 'warn' });
        try {
          const result = await app.sendTask(name, args, {
            kwargs: kwargs as Record<string, unknown>,
            ...(flags.countdown ? { countdown: Number(flags.countdown) } : {}),
            ...(flags.eta ? { eta: flags.eta } : {}),
            ...(flags.queue ? { queue: flags.queue } : {}),
            ...(flags.priority ? { priority: Number(flags.priority) } : {}),
          });
          process.stdout.write(`${result.id}\n`);
        } finally {
          await app.close();
        }
      },
    );
}
