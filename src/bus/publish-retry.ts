import { type Backoff, sleep } from './backoff.js';
import { describeError } from './subscription-state.js';

/**
 * Retries a publish through a broker blip for up to `timeoutMs`, then fails with an error that
 * names the topic and the last reason. A retried publish whose first attempt did reach the broker
 * appears twice on the topic; the IGWN Alert listener deduplicates, which is why retrying here
 * is safe and losing the message would not be.
 */
export async function publishWithRetry<T>(
  topic: string,
  timeoutMs: number,
  backoff: Backoff,
  attempt: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const retry = backoff.clone();
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const delay = retry.next();
      if (Date.now() + delay > deadline) {
        throw new Error(
          `publishing to topic '${topic}' failed after ${retry.attempts} attempt(s) in ${timeoutMs} ms: ${describeError(err)}`,
          { cause: err },
        );
      }
      await sleep(delay);
    }
  }
}
