import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The project's shared fixtures live beside the checkout (../shared/data), never in the repo.
 * A fresh clone has no ../shared: tests that need it skip with this message.
 */
const sharedRoot = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

export const SHARED_MISSING = `shared fixtures not found at ${sharedRoot} (fresh clone without ../shared): skipped`;

/** Absolute path of a file under ../shared/data, or undefined when it is not there. */
export function sharedData(path: string): string | undefined {
  const full = sharedRoot + path;
  return existsSync(full) ? full : undefined;
}

/** Options for node:test's `test(name, options, fn)` that skip when a shared fixture is missing. */
export function needsShared(...paths: string[]): { skip: string | false } {
  return { skip: paths.every((p) => sharedData(p)) ? false : SHARED_MISSING };
}
