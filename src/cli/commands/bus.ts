import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Bus } from '../../bus/bus.js';
import { createBus } from '../../bus/create-bus.js';
import { wireTopic } from '../../bus/igwn-alert/topics.js';
import { type BusMessage, parseStartPosition } from '../../bus/message.js';
import type { Config } from '../../config/index.js';
import { configFor } from '../command.js';

interface ServerOptions {
  server?: string;
  igwnAlert?: boolean;
}

/** The bus a subcommand talks to: --server, the IGWN Alert server, or bus_url. */
function openBus(config: Config, options: ServerOptions): Bus {
  if (options.server !== undefined) return createBus(options.server, config);
  if (options.igwnAlert && config.igwn_alert_server) {
    return createBus(config.igwn_alert_server, config, { noauth: config.igwn_alert_noauth });
  }
  return createBus(config.bus_url, config);
}

function printable(message: BusMessage): Record<string, unknown> {
  const text = message.value.toString('utf8');
  const binary = !Buffer.from(text, 'utf8').equals(message.value);
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: new Date(message.timestamp).toISOString(),
    key: message.key,
    headers: message.headers,
    ...(binary ? { value_base64: message.value.toString('base64') } : { value: text }),
  };
}

function collectHeader(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new Error(`--header expects name=value, got '${value}'`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

export function register(program: Command): void {
  const bus = program
    .command('bus')
    .description(
      'the notification bus: topics, publish, tail, seek (IGWN Alert, GCN Kafka, local)',
    );

  const serverOptions = (command: Command) =>
    command
      .option(
        '--server <url>',
        "bus URL ('', memory://, redis://..., kafka://host:port); default bus_url",
      )
      .option('--igwn-alert', 'use igwn_alert_server (with igwn_alert_noauth) instead of bus_url');

  serverOptions(
    bus
      .command('topics')
      .description(
        'list the topics on the bus; with --igwn-alert, the subscribed IGWN topics and whether the server has them',
      ),
  ).action(async (opts: ServerOptions, command: Command) => {
    const config = configFor(command);
    const client = openBus(config, opts);
    try {
      const topics = await client.listTopics();
      if (opts.igwnAlert) {
        const present = new Set(topics);
        for (const topic of config.igwn_alert_topics) {
          const wire = wireTopic(config.igwn_alert_group, topic);
          process.stdout.write(`${wire}\t${present.has(wire) ? 'present' : 'MISSING'}\n`);
        }
      } else {
        for (const topic of topics) process.stdout.write(`${topic}\n`);
      }
    } finally {
      await client.close();
    }
  });

  serverOptions(
    bus
      .command('publish <topic> [file]')
      .description('publish one message (the file, or standard input) and print its offset')
      .option('--key <key>', 'message key')
      .option('--header <name=value>', 'message header (repeatable)', collectHeader, {}),
  ).action(
    async (
      topic: string,
      file: string | undefined,
      opts: ServerOptions & { key?: string; header: Record<string, string> },
      command: Command,
    ) => {
      const config = configFor(command);
      let value: Buffer;
      try {
        value = readFileSync(file ?? 0);
      } catch (err) {
        throw new Error(`cannot read ${file ?? 'standard input'}: ${(err as Error).message}`);
      }
      const client = openBus(config, opts);
      try {
        const result = await client.publish(topic, value, { key: opts.key, headers: opts.header });
        process.stdout.write(`${JSON.stringify({ topic, ...result })}\n`);
      } finally {
        await client.close();
      }
    },
  );

  serverOptions(
    bus
      .command('tail <topics...>')
      .description('print messages as JSON lines (a throw-away consumer group unless --group)')
      .option(
        '--from <position>',
        'earliest, latest, an offset or an ISO 8601 time (default: latest, or where --group stopped)',
      )
      .option('--group <group>', 'consumer group (its committed offsets move!)')
      .option('-n, --count <n>', 'stop after this many messages'),
  ).action(
    async (
      topics: string[],
      opts: ServerOptions & { from?: string; group?: string; count?: string },
      command: Command,
    ) => {
      const config = configFor(command);
      // A named group resumes where it stopped unless told otherwise; a throw-away one starts
      // at the end unless told otherwise.
      const position =
        opts.from !== undefined ? parseStartPosition(opts.from) : opts.group ? undefined : 'latest';
      const count = opts.count === undefined ? Number.POSITIVE_INFINITY : Number(opts.count);
      if (!(count > 0)) throw new Error(`--count must be a positive number, got ${opts.count}`);
      const client = openBus(config, opts);
      let seen = 0;
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const subscription = client.subscribe({
        group: opts.group ?? `gwcelery-tail-${randomUUID().slice(0, 8)}`,
        topics,
        from: position,
        initial: 'latest',
        handler: async (message) => {
          if (seen >= count) return;
          process.stdout.write(`${JSON.stringify(printable(message))}\n`);
          if (++seen >= count) finish();
        },
      });
      process.once('SIGINT', finish);
      process.once('SIGTERM', finish);
      await finished;
      await subscription.close();
      await client.close();
    },
  );

  serverOptions(
    bus
      .command('seek <group> <topic> <position>')
      .description(
        'move a consumer group on a topic (replay from an offset or a time, or skip ahead); the group should be stopped',
      ),
  ).action(
    async (
      group: string,
      topic: string,
      positionText: string,
      opts: ServerOptions,
      command: Command,
    ) => {
      const config = configFor(command);
      const position = parseStartPosition(positionText);
      const client = openBus(config, opts);
      try {
        await client.seekGroup(group, topic, position);
        process.stdout.write(`moved group ${group} on ${topic} to ${positionText}\n`);
      } finally {
        await client.close();
      }
    },
  );
}
