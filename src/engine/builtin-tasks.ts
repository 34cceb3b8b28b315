import { defineTask } from './task.js';

/** Answers with its argument: the smallest end-to-end check of a deployment. */
export const ping = defineTask({ name: 'gwcelery.ping' }, (_ctx, value: unknown = 'pong') => value);

/** Does nothing; what the engine benchmark measures. */
export const noop = defineTask(
  { name: 'gwcelery.noop', ignoreResult: true },
  (_ctx, ..._args: unknown[]) => undefined,
);

/** Sleeps; for exercising time limits, shutdown grace and redelivery. */
export const sleep = defineTask({ name: 'gwcelery.sleep' }, async (ctx, seconds: number) => {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, seconds * 1000);
    ctx.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(ctx.signal.reason);
    });
  });
  return seconds;
});
