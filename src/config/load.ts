import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { type KeyDefinition, PRESETS, type Preset } from './define.js';
import { type Config, type ConfigKey, configKeys } from './schema.js';

/** Environment variables with the GWCELERY_ prefix that are not configuration keys. */
const RESERVED_ENV = new Set(['GWCELERY_CONFIG', 'GWCELERY_CONFIG_FILE']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadOptions {
  /** Environment to read GWCELERY_* from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Preset name; default GWCELERY_CONFIG or 'development'. */
  preset?: string;
  /** JSON configuration file; default GWCELERY_CONFIG_FILE. */
  file?: string;
  /** Highest-precedence values (command-line options). */
  overrides?: Record<string, unknown>;
}

export function envName(key: string): string {
  return `GWCELERY_${key.toUpperCase()}`;
}

function isKey(key: string): key is ConfigKey {
  return Object.hasOwn(configKeys, key);
}

function describeIssue(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ` : '') + issue.message)
    .join('; ');
}

function validate(key: ConfigKey, value: unknown, source: string): unknown {
  const result = configKeys[key].schema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(
      `configuration key '${key}' (from ${source}) is invalid: ${describeIssue(result.error)}`,
    );
  }
  return result.data;
}

/**
 * Environment values are strings; a key whose type is not a string takes JSON (numbers,
 * booleans, objects). A string key takes the raw text.
 */
function parseEnvValue(key: ConfigKey, raw: string): unknown {
  const schema = configKeys[key].schema;
  if (schema.safeParse(raw).success) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/** Reads the effective configuration: defaults < preset < file < environment < overrides. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const preset = options.preset ?? env.GWCELERY_CONFIG ?? 'development';
  if (!(PRESETS as readonly string[]).includes(preset)) {
    throw new ConfigError(
      `unknown preset '${preset}' (GWCELERY_CONFIG): expected one of ${PRESETS.join(', ')}`,
    );
  }
  const values: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(configKeys) as [string, KeyDefinition][]) {
    const presets = def.presets as Partial<Record<Preset, unknown>> | undefined;
    values[key] =
      presets && Object.hasOwn(presets, preset) ? presets[preset as Preset] : def.default;
  }

  const file = options.file ?? env.GWCELERY_CONFIG_FILE;
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`cannot read configuration file ${file}: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`configuration file ${file} must hold a JSON object`);
    }
    for (const [key, value] of Object.entries(parsed)) {
      if (!isKey(key)) throw new ConfigError(`unknown configuration key '${key}' in ${file}`);
      values[key] = validate(key, value, file);
    }
  }

  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('GWCELERY_') || RESERVED_ENV.has(name) || raw === undefined) continue;
    const key = name.slice('GWCELERY_'.length).toLowerCase();
    if (!isKey(key)) {
      throw new ConfigError(`unknown configuration key '${key}' (environment variable ${name})`);
    }
    values[key] = validate(key, parseEnvValue(key, raw), `environment variable ${name}`);
  }

  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) continue;
    if (!isKey(key)) throw new ConfigError(`unknown configuration key '${key}'`);
    values[key] = validate(key, value, 'command line');
  }

  for (const key of Object.keys(configKeys) as ConfigKey[]) {
    values[key] = validate(key, values[key], 'defaults');
  }
  if (typeof values.data_dir === 'string' && values.data_dir) {
    values.data_dir = resolve(expandHome(values.data_dir));
  }
  return Object.freeze({ ...values, preset }) as Config;
}

/** The configuration as `gwcelery config` prints it: secrets masked, passwords in URLs hidden. */
export function maskedConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = { preset: config.preset };
  for (const [key, def] of Object.entries(configKeys) as [string, KeyDefinition][]) {
    const value = (config as Record<string, unknown>)[key];
    out[key] = def.secret ? maskSecret(value) : value;
  }
  return out;
}

/** Field names whose values are credentials inside a secret key holding an object. */
const SECRET_FIELD = /pass|secret|token|credential|key$/i;

function maskSecret(value: unknown, field?: string): unknown {
  // A secret key holding an object (credentials per server) keeps its shape, so that an
  // operator sees which servers and user names are configured, but loses every credential.
  if (Array.isArray(value)) return value.map((v) => maskSecret(v, field));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecret(v, k)]));
  }
  if (typeof value !== 'string' || value === '') return value;
  if (field !== undefined && (!SECRET_FIELD.test(field) || field.endsWith('_file'))) return value;
  // URLs keep their shape (an operator needs to see which host) but lose credentials.
  try {
    const url = new URL(value);
    if (url.password || url.username) {
      url.password = url.password ? '****' : '';
      url.username = url.username ? '****' : '';
    }
    if (url.host) return url.toString();
  } catch {
    // not a URL
  }
  return '****';
}
