/**
 * Topic names every driver accepts: Kafka's legal characters (letters, digits, '.', '_', '-')
 * and length, so that a topic that works in-process also works on the real brokers.
 */
const LEGAL = /^[A-Za-z0-9._-]{1,249}$/;

export function validateTopicName(topic: string): void {
  if (typeof topic !== 'string' || !LEGAL.test(topic) || topic === '.' || topic === '..') {
    throw new Error(
      `invalid topic name '${topic}': use 1-249 letters, digits, '.', '_' or '-' (Kafka's rules)`,
    );
  }
}
