/**
 * Which source the mock events use: the "First Two Years" coincidences when their file is there
 * (it is not in a fresh clone), or coincidences the project simulates itself.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../../config/index.js';

export type MockSource = { kind: 'first2years'; path: string } | { kind: 'generated' };

export function mockSourceFor(
  config: Pick<Config, 'mock_events_source' | 'first2years_path'>,
): MockSource {
  const path = config.first2years_path;
  switch (config.mock_events_source) {
    case 'generated':
      return { kind: 'generated' };
    case 'first2years':
      if (!path || !existsSync(path)) {
        throw new Error(
          `mock_events_source is 'first2years' but first2years_path ${path ? `(${path}) does not exist` : 'is empty'}: set first2years_path to the gstlal.xml.gz file, or mock_events_source to 'auto' or 'generated'`,
        );
      }
      return { kind: 'first2years', path };
    case 'auto':
      return path && existsSync(path) ? { kind: 'first2years', path } : { kind: 'generated' };
  }
}
