import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config/index.js';

/** What every file in cli/commands/ exports. */
export interface CommandModule {
  register(program: Command): void;
}

/** The global --config-file option, wherever in the command tree the subcommand sits. */
function configFileOption(command: Command): string | undefined {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts().configFile as string | undefined;
}

/** Loads the configuration for a subcommand, honouring the global --config-file option. */
export function configFor(command: Command, overrides: Record<string, unknown> = {}): Config {
  return loadConfig({ file: configFileOption(command), overrides });
}

/**
 * What the deployment commands (condor, deploy) act on: this directory is one deployment, and a
 * configuration file named on the command line travels to its processes as an absolute path.
 */
export function deploymentOf(command: Command): {
  config: Config;
  cwd: string;
  configFile?: string;
} {
  const configFile = configFileOption(command);
  return {
    config: configFor(command),
    cwd: process.cwd(),
    ...(configFile ? { configFile: resolve(configFile) } : {}),
  };
}
