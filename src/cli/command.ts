import type { Command } from 'commander';
import { type Config, loadConfig } from '../config/index.js';

/** What every file in cli/commands/ exports. */
export interface CommandModule {
  register(program: Command): void;
}

/** Loads the configuration for a subcommand, honouring the global --config-file option. */
export function configFor(command: Command, overrides: Record<string, unknown> = {}): Config {
  let root = command;
  while (root.parent) root = root.parent;
  const file = root.opts().configFile as string | undefined;
  return loadConfig({ file, overrides });
}
