import type { ConfigOf } from '../../config/define.js';
import { supereventKeys } from '../../config/keys/superevents.js';

/**
 * The configuration keys the superevent rules read. A loaded `Config` is one; so are the
 * defaults below, which the pure rules use when a caller passes nothing.
 */
export type SupereventSettings = ConfigOf<typeof supereventKeys>;

/** The reference's values (no preset overrides them: they are policy, not deployment). */
export const DEFAULT_SUPEREVENT_SETTINGS: SupereventSettings = Object.freeze(
  Object.fromEntries(
    Object.entries(supereventKeys).map(([key, definition]) => [key, definition.default]),
  ),
) as unknown as SupereventSettings;
