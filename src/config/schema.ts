import type { ConfigOf, KeyDefinitions } from './define.js';
import { alertsKeys } from './keys/alerts.js';
import { bayestarKeys } from './keys/bayestar.js';
import { busKeys } from './keys/bus.js';
import { deployKeys } from './keys/deploy.js';
import { detcharKeys } from './keys/detchar.js';
import { engineKeys } from './keys/engine.js';
import { gracedbKeys } from './keys/gracedb.js';
import { loggingKeys } from './keys/logging.js';
import { mockKeys } from './keys/mock.js';
import { opsKeys } from './keys/ops.js';
import { orchestratorKeys } from './keys/orchestrator.js';
import { scienceKeys } from './keys/science.js';
import { supereventKeys } from './keys/superevents.js';

/**
 * The one configuration schema: the union of every layer's keys. A layer that needs keys adds a
 * file under keys/ and one spread here.
 */
export const configKeys = {
  ...engineKeys,
  ...alertsKeys,
  ...busKeys,
  ...deployKeys,
  ...gracedbKeys,
  ...loggingKeys,
  ...mockKeys,
  ...orchestratorKeys,
  ...detcharKeys,
  ...scienceKeys,
  ...supereventKeys,
  ...opsKeys,
  ...bayestarKeys,
} satisfies KeyDefinitions;

export type Config = ConfigOf<typeof configKeys> & { readonly preset: string };
export type ConfigKey = keyof typeof configKeys;
