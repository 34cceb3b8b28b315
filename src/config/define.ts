import type { z } from 'zod';

/** The presets an operator chooses between with GWCELERY_CONFIG. */
export const PRESETS = ['development', 'test', 'playground', 'production'] as const;
export type Preset = (typeof PRESETS)[number];

/**
 * One configuration key: its type, its default, a one-line description, and the presets that
 * override the default. Keeping the whole story of a key in one place lets `gwcelery config
 * --describe` print it and keeps presets from drifting away from the schema.
 */
export interface KeyDefinition<S extends z.ZodType = z.ZodType> {
  schema: S;
  default: z.output<S>;
  description: string;
  /** Masked by `gwcelery config` and in logs. */
  secret?: boolean;
  presets?: Partial<Record<Preset, z.output<S>>>;
}

export type KeyDefinitions = Record<string, KeyDefinition>;

/** Identity helper that keeps each key's default type-checked against its own schema. */
export function defineKeys<T extends { [K in keyof T]: KeyDefinition<z.ZodType> }>(
  keys: { [K in keyof T]: T[K] & KeyDefinition<T[K]['schema']> },
): T {
  return keys;
}

export type ConfigOf<T extends KeyDefinitions> = { [K in keyof T]: z.output<T[K]['schema']> };
