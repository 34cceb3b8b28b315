import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatMatch, logFiles, searchLogs } from '../../ops/deploy/log-search.js';
import { configFor } from '../command.js';

export function register(program: Command): void {
  program
    .command('logs')
    .description(
      "find a task's log lines across every process's log, rotated archives included, in time order",
    )
    .requiredOption('--task <id>', 'task id (any text: every line containing it is shown)')
    .option('--dir <dir>', 'log directory (default: deploy_log_dir of this deployment)')
    .option('--raw', 'print the lines as they are, prefixed by their file (like grep)')
    .action(async (flags: { task: string; dir?: string; raw?: boolean }, command: Command) => {
      const dir = resolve(flags.dir ?? configFor(command).deploy_log_dir);
      const matches = await searchLogs(dir, flags.task);
      if (matches.length === 0) {
        process.stderr.write(
          `no line mentions ${flags.task} in the ${logFiles(dir).length} log files of ${dir}\n`,
        );
        process.exitCode = 1;
        return;
      }
      for (const m of matches) {
        process.stdout.write(
          `${flags.raw ? `${basename(m.file)}:${m.line}` : formatMatch(m, basename(m.file))}\n`,
        );
      }
    });
}
