import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';

/**
 * Reads every message now in the given topics (from the start), as a consumer of the alert
 * stream would: a fresh consumer group, stopping once each partition's end offset is reached.
 */
export async function readTopics(
  brokers: string[],
  topics: string[],
): Promise<Record<string, KafkaMessage[]>> {
  const kafka = new Kafka({ clientId: 'test-reader', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic))
      ends.set(`${topic}/${p.partition}`, BigInt(p.high));
  }
  await admin.disconnect();
  const out: Record<string, KafkaMessage[]> = Object.fromEntries(topics.map((t) => [t, []]));
  const pending = new Set([...ends].filter(([, end]) => end > 0n).map(([k]) => k));
  if (pending.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      out[topic].push(message);
      if (BigInt(message.offset) + 1n >= ends.get(`${topic}/${partition}`)!)
        pending.delete(`${topic}/${partition}`);
    },
  });
  const deadline = Date.now() + 30_000;
  while (pending.size > 0 && Date.now() < deadline) await sleep(20);
  await consumer.disconnect();
  if (pending.size > 0) throw new Error(`could not read to the end of ${[...pending].join(', ')}`);
  return out;
}
