/**
 * The keys subsystems write into a worker's `stats` (Worker.setStat) and that `inspect`, the
 * console and `gwcelery nagios` read back (gwcelery-spec §2.6). They are the contract between
 * the producers (the IGWN Alert listener, the VOEvent broadcaster and receiver, the Kafka
 * producers and consumers) and the health checks, so both sides import them from here.
 */
export const STATS_KEYS = {
  /** string[]: configured IGWN Alert topics the listener's broker actually has (bare names). */
  igwnAlertTopics: 'igwn-alert-topics',
  /** ListenerHealth (src/bus/igwn-alert/health.ts): heartbeat age, lag per topic, outages. */
  igwnAlertHealth: 'igwn-alert-health',
  /** string[]: hosts connected to the VOEvent broadcaster (subscribers such as GCN). */
  voeventBrokerPeers: 'voevent-broker-peers',
  /** string[]: VOEvent servers the receiver is connected to. */
  voeventReceiverPeers: 'voevent-receiver-peers',
  /** {name: boolean}: each Kafka alert stream's topic answered the last metadata probe. */
  kafkaTopicUp: 'kafka_topic_up',
  /** {name: boolean}: each Kafka alert stream's last delivery failed (until the next success). */
  kafkaDeliveryFailures: 'kafka_delivery_failures',
  /** string[]: keys of kafka_consumer_config whose GCN consumers are running. */
  activeKafkaConsumers: 'active_kafka_consumers',
} as const;

export type StatsKey = (typeof STATS_KEYS)[keyof typeof STATS_KEYS];

/** Reads a string list written under `key`, or undefined when absent or malformed. */
export function statStringList(
  stats: Record<string, unknown> | undefined,
  key: StatsKey,
): string[] | undefined {
  const value = stats?.[key];
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string');
}

/** Reads a {name: boolean} record written under `key`, or undefined when absent or malformed. */
export function statFlags(
  stats: Record<string, unknown> | undefined,
  key: StatsKey,
): Record<string, boolean> | undefined {
  const value = stats?.[key];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, boolean> = {};
  for (const [name, flag] of Object.entries(value)) if (typeof flag === 'boolean') out[name] = flag;
  return out;
}
