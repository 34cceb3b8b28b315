export { defineKeys, type KeyDefinition, PRESETS, type Preset } from './define.js';
export { ConfigError, envName, type LoadOptions, loadConfig, maskedConfig } from './load.js';
export { type Config, type ConfigKey, configKeys } from './schema.js';
