import { type Backoff, sleep } from './backoff.js';
import type { MessageHandler } from './bus.js';
import type { BusMessage } from './message.js';
import type { SubscriptionState } from './subscription-state.js';

/**
 * Hands one message to the handler until it succeeds or the subscription closes. Retrying in
 * place (rather than skipping) keeps the order within a partition and never loses a message;
 * `whileWaiting` lets a driver keep its session alive (Kafka heartbeats) during a long retry.
 * Returns whether the handler succeeded, i.e. whether the message may be committed.
 */
export async function deliverUntilHandled(
  message: BusMessage,
  handler: MessageHandler,
  state: SubscriptionState,
  backoff: Backoff,
  signal: AbortSignal,
  whileWaiting?: () => Promise<void>,
): Promise<boolean> {
  const retry = backoff.clone();
  for (;;) {
    try {
      await handler(message);
      state.handled(message);
      return true;
    } catch (err) {
      if (signal.aborted) return false;
      const delay = retry.next();
      state.handlerFailed(message, err, delay);
      await sleep(delay, signal);
      if (signal.aborted) return false;
      await whileWaiting?.().catch(() => undefined);
    }
  }
}
