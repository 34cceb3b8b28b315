import type { Command } from 'commander';
import { configureLogging, flushLogs } from '../../log/index.js';
import { exitCodeOf, formatNagiosResult } from '../../ops/nagios/nagios-status.js';
import { runNagios } from '../../ops/nagios/run-nagios.js';
import { configFor } from '../command.js';

export function register(program: Command): void {
  program
    .command('nagios')
    .description(
      'Nagios plugin: checks the deployment (broker, workers and queues, IGWN Alert topics, VOEvent and Kafka links, MDC superevents); exit 0 OK, 2 CRITICAL, 3 UNKNOWN',
    )
    .option('--data <dir>', 'check the one-command pipeline running on this data directory')
    .action(async (flags: { data?: string }, command: Command) => {
      let output: string;
      let code: number;
      try {
        const config = configFor(command);
        // The plugin's output is its status line: nothing else may reach stdout or stderr.
        configureLogging({ level: 'silent', format: 'json' });
        const result = await runNagios(config, { dataDir: flags.data });
        output = formatNagiosResult(result);
        code = exitCodeOf(result);
      } catch (err) {
        output = formatNagiosResult({
          status: 'UNKNOWN',
          message: 'Unexpected error',
          detail: (err as Error)?.stack ?? String(err),
        });
        code = 3;
      }
      process.stdout.write(output);
      flushLogs();
      process.exit(code);
    });
}
