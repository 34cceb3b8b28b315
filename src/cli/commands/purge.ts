import type { Command } from 'commander';
import { bootApp } from '../boot.js';

export function register(program: Command): void {
  program
    .command('purge <queue>')
    .description('remove waiting and scheduled tasks from a queue')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (queue: string, flags: { force?: boolean }, command: Command) => {
      if (!flags.force && process.stdin.isTTY) {
        const { createInterface } = await import('node:readline/promises');
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        const answer = await rl.question(
          `Remove every waiting and scheduled task from '${queue}'? [y/N] `,
        );
        rl.close();
        if (!/^y(es)?$/i.test(answer.trim())) return;
      }
      const { app } = await bootApp(command, { needsSharedBroker: true, logLevel: 'warn' });
      try {
        const n = await app.broker.purge(queue);
        process.stdout.write(`purged ${n} task(s) from ${queue}\n`);
      } finally {
        await app.close();
      }
    });
}
