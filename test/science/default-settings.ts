import { type Config, loadConfig } from '../../src/config/index.js';

/** The configuration defaults (test preset, no environment): what a fresh deployment computes. */
export function defaultSettings(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ preset: 'test', env: {} }), ...overrides } as Config;
}
