import { z } from 'zod';
import { defineKeys } from '../define.js';

/**
 * The IGWN Alert topics the listener subscribes to (gwcelery-spec §1.3): the `<group>_<pipeline>`
 * event topics, the two production superevent categories and the external-trigger topics. Test
 * superevents (`test_superevent`) are deliberately not among them.
 */
export const IGWN_ALERT_TOPICS = [
  'superevent',
  'mdc_superevent',
  'cbc_gstlal',
  'cbc_spiir',
  'cbc_pycbc',
  'cbc_mbta',
  'burst_olib',
  'burst_cwb',
  'burst_mly',
  'external_fermi',
  'external_swift',
  'external_integral',
  'external_snews',
] as const;

/**
 * How to reach one Kafka server. SCiMMA (IGWN Alert, alerts out) wants TLS with
 * SASL/SCRAM-SHA-512 user and password; GCN wants TLS with SASL/OAUTHBEARER client credentials.
 * Secrets come inline (masked by `gwcelery config`) or from a file readable only by the
 * deployment account (`*_file`).
 */
export const kafkaServerAuthSchema = z
  .object({
    mechanism: z
      .enum(['none', 'plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'])
      .default('none'),
    /** TLS; defaults to on whenever a SASL mechanism is used. */
    tls: z.boolean().optional(),
    ca_file: z.string().optional(),
    reject_unauthorized: z.boolean().default(true),
    username: z.string().optional(),
    password: z.string().optional(),
    password_file: z.string().optional(),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
    client_secret_file: z.string().optional(),
    token_endpoint: z.string().url().optional(),
    scope: z.string().optional(),
  })
  .strict();

export type KafkaServerAuth = z.output<typeof kafkaServerAuthSchema>;

/**
 * One GCN Kafka stream the pipeline consumes (gwcelery-spec §5.1): where it is and how its
 * records are encoded ('xml' for GCN Classic VOEvents, 'json' for the unified-schema notices).
 */
export const gcnStreamSchema = z
  .object({
    url: z.string().regex(/^kafka:\/\/[^/]+\/[A-Za-z0-9._-]+$/, 'expected kafka://host/topic'),
    suffix: z.enum(['xml', 'json']),
  })
  .strict();

export type GcnStream = z.output<typeof gcnStreamSchema>;

const classic = (packet: string): GcnStream => ({
  url: `kafka://kafka.gcn.nasa.gov/gcn.classic.voevent.${packet}`,
  suffix: 'xml',
});

/** `kafka_consumer_config` of the reference (base): 12 streams by key. */
export const DEFAULT_GCN_STREAMS: Record<string, GcnStream> = {
  fermi_gbm_alert: classic('FERMI_GBM_ALERT'),
  fermi_gbm_flt_pos: classic('FERMI_GBM_FLT_POS'),
  fermi_gbm_gnd_pos: classic('FERMI_GBM_GND_POS'),
  fermi_gbm_fin_pos: classic('FERMI_GBM_FIN_POS'),
  fermi_gbm_subthresh: classic('FERMI_GBM_SUBTHRESH'),
  swift_bat_grb_pos_ack: classic('SWIFT_BAT_GRB_POS_ACK'),
  integral_wakeup: classic('INTEGRAL_WAKEUP'),
  integral_refined: classic('INTEGRAL_REFINED'),
  integral_offline: classic('INTEGRAL_OFFLINE'),
  snews: classic('SNEWS'),
  fermi_targeted: {
    url: 'kafka://kafka.test.gcn.nasa.gov/fermi.gbm.targeted.private.igwn',
    suffix: 'json',
  },
  swift_targeted: { url: 'kafka://kafka.gcn.nasa.gov/gcn.notices.swift.bat.guano', suffix: 'json' },
};

/** Production reads the private Fermi targeted-search topic from the production cluster. */
export const PRODUCTION_GCN_STREAMS: Record<string, GcnStream> = {
  ...DEFAULT_GCN_STREAMS,
  fermi_targeted: {
    url: 'kafka://kafka.gcn.nasa.gov/fermi.gbm.targeted.private.igwn',
    suffix: 'json',
  },
};

const positive = z.number().positive();
const busUrl = z
  .string()
  .regex(
    /^(|memory:\/\/|redis:\/\/.*|rediss:\/\/.*|kafka:\/\/.+)$/,
    "expected '', 'memory://', 'redis://...' or 'kafka://host:port'",
  );

const HOSTED_KAFKA_AUTH = {
  'kafka.scimma.org': kafkaServerAuthSchema.parse({ mechanism: 'scram-sha-512' }),
  '*.gcn.nasa.gov': kafkaServerAuthSchema.parse({ mechanism: 'oauthbearer' }),
};

/** Keys of the notification bus, the IGWN Alert listener and the GCN Kafka consumers. */
export const busKeys = defineKeys({
  bus_url: {
    schema: busUrl,
    default: '',
    description:
      "Notification bus: '' in-process with a SQLite journal in data_dir (memory only without one), 'memory://' in-process without journal, 'redis://host:port/db' Redis Streams, 'kafka://host:port' Kafka",
    secret: true,
    presets: {
      test: 'memory://',
      production: 'redis://127.0.0.1:6379/0',
      playground: 'redis://127.0.0.1:6379/0',
    },
  },
  bus_stream_max_length: {
    schema: z.number().int().nonnegative(),
    default: 100_000,
    description:
      'Approximate number of messages kept per topic (Redis XADD MAXLEN ~, in-process journal); 0: no cap',
  },
  bus_stream_max_age_s: {
    schema: z.number().nonnegative(),
    default: 7 * 86400,
    description:
      'Seconds a message is kept on a topic (Redis XTRIM MINID ~, in-process journal); 0: forever',
  },
  bus_claim_idle_s: {
    schema: positive,
    default: 60,
    description:
      'Redis: seconds a delivered but unacknowledged message waits before another consumer of the group claims it (XAUTOCLAIM)',
    presets: { test: 1 },
  },
  bus_publish_timeout_s: {
    schema: positive,
    default: 30,
    description: 'Seconds a publish keeps retrying through a broker outage before it fails',
    presets: { test: 5 },
  },
  bus_reconnect_initial_ms: {
    schema: positive,
    default: 200,
    description: 'First delay before reconnecting to a broker or redelivering a failed message',
    presets: { test: 20 },
  },
  bus_reconnect_max_ms: {
    schema: positive,
    default: 30_000,
    description: 'Longest delay between reconnection attempts (exponential back-off)',
    presets: { test: 500 },
  },
  igwn_alert_server: {
    schema: busUrl,
    default: '',
    description:
      "Where GraceDB's IGWN Alert notifications are read: a bus URL like bus_url, '' for the pipeline's own bus (embedded GraceDB)",
    presets: {
      production: 'kafka://kafka.scimma.org',
      playground: 'kafka://kafka.scimma.org',
      test: '',
    },
  },
  igwn_alert_group: {
    schema: z.string().regex(/^[A-Za-z0-9_-]+$/),
    default: 'gracedb-local',
    description: "IGWN Alert topic namespace: topics on the wire are '<group>.<topic>'",
    presets: {
      production: 'gracedb',
      playground: 'gracedb-playground',
      test: 'gracedb-test',
      development: 'gracedb-local',
    },
  },
  igwn_alert_noauth: {
    schema: z.boolean(),
    default: false,
    description: 'Connect to igwn_alert_server without TLS or SASL credentials',
  },
  igwn_alert_topics: {
    schema: z.array(z.string().regex(/^[a-z0-9_]+$/)).min(1),
    default: [...IGWN_ALERT_TOPICS],
    description: 'IGWN Alert topics the listener subscribes to (without the group prefix)',
  },
  igwn_alert_consumer_group: {
    schema: z.string().regex(/^[A-Za-z0-9._-]+$/),
    default: 'gwcelery-igwn-alert',
    description:
      "Consumer group whose committed offsets let the listener resume after a restart (SCiMMA wants it to start with the credential's user name)",
  },
  igwn_alert_heartbeat_topic: {
    schema: z.string().regex(/^([A-Za-z0-9._{}-]*)$/),
    default: '{group}.gwcelery-heartbeat',
    description:
      "Topic the listener publishes its heartbeat to and reads it back from ('{group}' is replaced; '' disables: the credential must be allowed to write it)",
  },
  igwn_alert_heartbeat_s: {
    schema: positive,
    default: 5,
    description: 'Seconds between listener heartbeats',
    presets: { test: 0.2 },
  },
  igwn_alert_heartbeat_stale_s: {
    schema: positive,
    default: 30,
    description: 'The listener is unhealthy when its last heartbeat came back longer ago than this',
    presets: { test: 2 },
  },
  igwn_alert_dedup_retention_s: {
    schema: positive,
    default: 7 * 86400,
    description:
      'Seconds the listener remembers a dispatched change (by its identity and by its topic offset) so that a restart or replay does not dispatch it again',
  },
  igwn_alert_dedup_window_s: {
    schema: positive,
    default: 3600,
    description:
      'Seconds within which two messages with identical content but no identifying field (update, event_added, ...) count as one change',
  },
  igwn_alert_reconcile_gap_s: {
    schema: positive,
    default: 30,
    description:
      'A silence longer than this (outage, restart) makes the listener ask GraceDB what changed meanwhile and dispatch what it missed',
    presets: { test: 1 },
  },
  igwn_alert_reconcile_max_s: {
    schema: positive,
    default: 6 * 3600,
    description:
      'Longest stretch reconciliation looks back: after a longer gap only the most recent changes are replayed (old ones would act on stale state)',
  },
  kafka_consumer_config: {
    schema: z.record(z.string(), gcnStreamSchema),
    default: DEFAULT_GCN_STREAMS,
    description:
      'GCN Kafka streams consumed for external triggers: {key: {url: "kafka://host/topic", suffix: "xml"|"json"}}',
    presets: { production: PRODUCTION_GCN_STREAMS },
  },
  gcn_kafka_consumer_group: {
    schema: z.string().regex(/^[A-Za-z0-9._-]+$/),
    default: 'gwcelery-gcn',
    description:
      'Consumer group of the GCN Kafka consumers, so that notices published during a restart are still read',
  },
  kafka_auth: {
    schema: z.record(z.string(), kafkaServerAuthSchema),
    default: {},
    description:
      'Kafka authentication per server host ("*.domain" matches subdomains): mechanism none|plain|scram-sha-256|scram-sha-512|oauthbearer, tls, ca_file, username, password(_file), client_id, client_secret(_file), token_endpoint',
    secret: true,
    presets: {
      production: HOSTED_KAFKA_AUTH,
      playground: HOSTED_KAFKA_AUTH,
      test: {},
    },
  },
  kafka_auth_file: {
    schema: z.string(),
    default: '',
    description:
      'JSON file with kafka_auth entries (merged per host over kafka_auth), so that credentials stay out of the configuration',
  },
});
