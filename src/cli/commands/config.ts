import type { Command } from 'commander';
import type { KeyDefinition } from '../../config/define.js';
import { configKeys, envName, maskedConfig } from '../../config/index.js';
import { configFor } from '../command.js';

export function register(program: Command): void {
  program
    .command('config')
    .description('print the effective configuration (secrets masked)')
    .option('--describe', 'print every key with its type source, default and description')
    .option('--json', 'print JSON')
    .action((opts: { describe?: boolean; json?: boolean }, command: Command) => {
      const config = configFor(command);
      const masked = maskedConfig(config);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(masked, null, 2)}\n`);
        return;
      }
      process.stdout.write(`# preset: ${config.preset}\n`);
      for (const [key, def] of Object.entries(configKeys) as [string, KeyDefinition][]) {
        const value = JSON.stringify(masked[key]);
        if (opts.describe) {
          process.stdout.write(`${key} = ${value}\n    ${def.description} (${envName(key)})\n`);
        } else {
          process.stdout.write(`${key} = ${value}\n`);
        }
      }
    });
}
