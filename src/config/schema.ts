import type { ConfigOf, KeyDefinitions } from './define.js';
import { bayestarKeys } from './keys/bayestar.js';
import { engineKeys } from './keys/engine.js';
import { loggingKeys } from './keys/logging.js';
import { scienceKeys } from './keys/science.js';

/**
 * The one configuration schema: the union of every layer's keys. A layer that needs keys adds a
 * file under keys/ and one spread here.
 */
export const configKeys = {
  ...engineKeys,
  ...loggingKeys,
  ...scienceKeys,
  ...bayestarKeys,
} satisfies KeyDefinitions;

export type Config = ConfigOf<typeof configKeys> & { readonly preset: string };
export type ConfigKey = keyof typeof configKeys;
