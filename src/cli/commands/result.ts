import type { Command } from 'commander';
import { TaskFailedError, TaskTimeoutError } from '../../engine/index.js';
import { bootApp } from '../boot.js';

export function register(program: Command): void {
  program
    .command('result <id>')
    .description("wait for a task's result and print it (exit 1 if the task failed)")
    .option('-t, --timeout <seconds>', 'seconds to wait', '10')
    .action(async (id: string, flags: { timeout: string }, command: Command) => {
      const { app } = await bootApp(command, { needsSharedBroker: true, logLevel: 'warn' });
      try {
        const value = await app.result(id).get(Number(flags.timeout) * 1000);
        process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      } catch (err) {
        if (err instanceof TaskFailedError) {
          process.stderr.write(`${err.remote.type}: ${err.remote.message}\n`);
          if (err.remote.stack) process.stderr.write(`${err.remote.stack}\n`);
          process.exitCode = 1;
        } else if (err instanceof TaskTimeoutError) {
          process.stderr.write(
            `no result for ${id} within ${flags.timeout} s (state ${await app.result(id).state()})\n`,
          );
          process.exitCode = 2;
        } else {
          throw err;
        }
      } finally {
        await app.close();
      }
    });
}
