import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import type { Publisher } from '../../bus/publisher.js';
import { serviceOptionsFromConfig, startGraceDbService } from '../../gracedb/service/server.js';
import { parseTokens } from '../../gracedb/service/token-spec.js';
import { configureLogging, getLogger } from '../../log/index.js';
import { onShutdown } from '../boot.js';
import { configFor } from '../command.js';

interface ServeFlags {
  port?: string;
  bind?: string;
  data?: string;
  token: string[];
  publicUrl?: string;
  alertsTo?: string;
  loglevel?: string;
}

/**
 * Notifications as JSON lines (`{"topic": ..., "message": ...}`) to a file or stdout, for a
 * service run on its own; inside the pipeline the service publishes to the notification bus.
 */
function jsonLinesPublisher(target: string): Publisher {
  const stream = target === '-' ? process.stdout : createWriteStream(target, { flags: 'a' });
  let offset = 0;
  return {
    async publish(topic, value) {
      const message = JSON.parse(typeof value === 'string' ? value : Buffer.from(value).toString());
      await new Promise<void>((resolve, reject) =>
        stream.write(`${JSON.stringify({ topic, message })}\n`, (err) =>
          err ? reject(err) : resolve(),
        ),
      );
      return { offset: String(offset++) };
    },
  };
}

export function register(program: Command): void {
  const group = program.command('gracedb').description('the embedded GraceDB-compatible service');
  group
    .command('serve')
    .description(
      'run the GraceDB-compatible service (SQLite storage and file store in the data directory)',
    )
    .option(
      '-p, --port <port>',
      'port to listen on (0: any free port; default gracedb_service_port)',
    )
    .option('--bind <address>', 'address to listen on (default gracedb_service_bind)')
    .option(
      '--data <dir>',
      'data directory (default gracedb_service_data_dir, else <data_dir>/gracedb)',
    )
    .option(
      '--token <user:token>',
      'a user allowed to write and their bearer token (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option(
      '--public-url <url>',
      'API URL written into links and notifications (default http://<bind>:<port>/api/)',
    )
    .option('--alerts-to <file>', "write notifications as JSON lines to a file ('-': stdout)")
    .option('-l, --loglevel <level>', 'log level')
    .action(async (flags: ServeFlags, command: Command) => {
      const config = configFor(command, {
        ...(flags.port !== undefined ? { gracedb_service_port: Number(flags.port) } : {}),
        ...(flags.bind ? { gracedb_service_bind: flags.bind } : {}),
        ...(flags.data ? { gracedb_service_data_dir: flags.data } : {}),
        ...(flags.publicUrl ? { gracedb_service_public_url: flags.publicUrl } : {}),
      });
      configureLogging({
        level: flags.loglevel ?? config.log_level,
        format: config.log_format,
        name: 'gracedb',
      });
      const options = serviceOptionsFromConfig(config);
      const tokens = { ...options.tokens, ...parseTokens(flags.token) };
      if (Object.keys(tokens).length === 0) {
        getLogger('cli.gracedb').warn(
          'no tokens configured: the service is read-only (give --token USER:TOKEN)',
        );
      }
      const service = await startGraceDbService({
        ...options,
        tokens,
        publisher: flags.alertsTo ? jsonLinesPublisher(flags.alertsTo) : undefined,
      });
      const lines = [
        `GraceDB service listening on ${service.url}`,
        `  data:          ${options.dataDir}`,
        `  writers:       ${Object.keys(tokens).join(', ') || '(none: read-only)'}`,
        `  notifications: ${flags.alertsTo ? `JSON lines to ${flags.alertsTo === '-' ? 'stdout' : flags.alertsTo} (group ${options.alertGroup})` : 'off (no bus in this command; use --alerts-to)'}`,
      ];
      process.stderr.write(`${lines.join('\n')}\n`);
      onShutdown(async () => {
        await service.close();
      });
    });
}
