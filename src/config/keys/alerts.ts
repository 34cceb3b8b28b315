import { z } from 'zod';
import { defineKeys } from '../define.js';

const positive = z.number().positive();
const nonNegativeInt = z.number().int().nonnegative();

/**
 * Credentials of a Kafka destination. The password never sits in the configuration: it is read
 * from an environment variable or a file named here, so `gwcelery config` can print everything.
 */
const kafkaAuth = z.union([
  z.literal(false),
  z
    .object({
      mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
      username: z.string().min(1),
      password_env: z.string().min(1).optional(),
      password_file: z.string().min(1).optional(),
    })
    .refine((a) => Boolean(a.password_env) !== Boolean(a.password_file), {
      message: 'give exactly one of password_env and password_file',
    }),
]);

export const kafkaDestinationSchema = z
  .object({
    /** kafka://host[:port]/topic */
    url: z
      .string()
      .regex(/^kafka:\/\/[^/\s]+\/[A-Za-z0-9._-]+$/, 'expected kafka://host[:port]/topic'),
    suffix: z.enum(['avro', 'json']),
    /**
     * How sky maps travel: raw bytes in Avro, base64 text in JSON. Kept for parity with the
     * reference's configuration; it must agree with the suffix.
     */
    skymap_encoder: z.enum(['raw', 'base64']).optional(),
    auth: kafkaAuth.default(false),
    ssl: z.boolean().default(false),
    /** Seconds one delivery attempt may take before it counts as failed (this destination only). */
    timeout_s: positive.optional(),
    /** Further attempts after a failed one (this destination only). */
    retries: nonNegativeInt.optional(),
    compression: z.enum(['none', 'gzip']).default('gzip'),
  })
  .refine(
    (d) => !d.skymap_encoder || d.skymap_encoder === (d.suffix === 'avro' ? 'raw' : 'base64'),
    { message: 'skymap_encoder must be raw for avro and base64 for json' },
  );
export type KafkaDestinationConfig = z.output<typeof kafkaDestinationSchema>;

function scimma(topic: string) {
  return {
    url: `kafka://kafka.scimma.org/${topic}`,
    suffix: 'avro' as const,
    skymap_encoder: 'raw' as const,
    auth: {
      mechanism: 'scram-sha-512' as const,
      username: 'gwcelery',
      password_env: 'SCIMMA_KAFKA_PASSWORD',
    },
    ssl: true,
    compression: 'gzip' as const,
  };
}

function gcn(host: string) {
  return {
    url: `kafka://${host}/igwn.gwalert`,
    suffix: 'json' as const,
    skymap_encoder: 'base64' as const,
    auth: {
      mechanism: 'scram-sha-512' as const,
      username: 'gwcelery',
      password_env: 'GCN_KAFKA_PASSWORD',
    },
    ssl: true,
    compression: 'gzip' as const,
  };
}

/** Keys of alert delivery: Kafka, the VOEvent broadcaster and receiver, the ledger, local files. */
export const alertsKeys = defineKeys({
  kafka_alert_config: {
    schema: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), kafkaDestinationSchema),
    default: {},
    description:
      'Kafka alert destinations by name: {"scimma": {"url": "kafka://host/topic", "suffix": "avro", "auth": false}}',
    presets: {
      playground: {
        scimma: scimma('igwn.gwalert-playground'),
        gcn: gcn('kafka.test.gcn.nasa.gov'),
      },
      production: { scimma: scimma('igwn.gwalert'), gcn: gcn('kafka.gcn.nasa.gov') },
    },
  },
  voevent_broadcaster_address: {
    schema: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]*):\d+$/, 'expected [host]:port'),
    default: ':5342',
    description:
      'host:port the VOEvent (VTP) broadcaster listens on for subscribers such as GCN (":5341": all interfaces)',
    presets: { playground: ':5341', production: ':5341', test: '127.0.0.1:0' },
  },
  voevent_broadcaster_whitelist: {
    schema: z.array(z.string().min(1)),
    default: [],
    description:
      'Hosts, addresses or CIDR ranges allowed to subscribe to the broadcaster; empty disables broadcasting',
    presets: {
      playground: ['capella2.gsfc.nasa.gov'],
      production: ['capella2.gsfc.nasa.gov'],
    },
  },
  voevent_receiver_address: {
    schema: z.string().regex(/^$|^[^:\s]+:\d+$/, "expected host:port or ''"),
    default: '',
    description:
      "GCN VOEvent server the echo-check receiver subscribes to (host:port; '' disables it)",
    presets: { playground: '50.116.49.68:8094', production: '68.169.57.253:8099' },
  },
  voevent_local_ivo: {
    schema: z.string(),
    default: '',
    description:
      "This node's IVO identifier in VTP transport messages ('' means ivo://<host FQDN>/gwcelery)",
  },
  voevent_iamalive_interval_s: {
    schema: positive,
    default: 60,
    description:
      'Seconds between broadcaster keep-alives; a subscriber that misses one round is dropped',
  },
  voevent_ack_timeout_s: {
    schema: z.number().nonnegative(),
    default: 10,
    description:
      'Seconds a broadcast waits for subscribers to acknowledge the event (0: do not wait)',
  },
  voevent_receiver_silence_s: {
    schema: positive,
    default: 150,
    description: 'Seconds without any traffic after which the receiver reconnects',
  },
  voevent_receiver_max_backoff_s: {
    schema: positive,
    default: 1024,
    description: 'Longest wait between receiver reconnection attempts (back-off doubles from 1 s)',
  },
  alert_ledger: {
    schema: z
      .string()
      .regex(/^$|^sqlite:.+|^rediss?:\/\/.+/, "expected '', sqlite:<path> or redis://..."),
    default: '',
    description:
      "Alert ledger: '' follows broker_url (Redis when distributed, else SQLite in data_dir), or sqlite:<path>, or redis://...",
  },
  alert_send_timeout_s: {
    schema: positive,
    default: 15,
    description: 'Default seconds one delivery attempt to one destination may take',
    presets: { test: 5 },
  },
  alert_send_retries: {
    schema: nonNegativeInt,
    default: 2,
    description: 'Default further attempts per destination after a failed delivery',
  },
  alert_claim_lease_s: {
    schema: positive,
    default: 120,
    description:
      'Seconds a recorded send is reserved for its sender; after that, a retry checks whether it was delivered',
    presets: { test: 2 },
  },
  alert_output_dir: {
    schema: z.string(),
    default: '',
    description:
      "Directory where every alert is also written as a file (relative paths under data_dir; '' disables)",
    presets: { development: 'alerts' },
  },
  alert_output_formats: {
    schema: z.array(z.enum(['json', 'avro', 'xml'])).min(1),
    default: ['json', 'avro', 'xml'],
    description: 'Which encodings the local file destination writes for each alert',
  },
});
