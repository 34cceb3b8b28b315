import { readdirSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.js';
import { FitsError } from '../formats/fits/errors.js';
import { LigoLwError } from '../formats/ligolw/errors.js';
import { XmlError } from '../formats/xml/safe-xml.js';
import { flushLogs, getLogger } from '../log/index.js';
import { ScienceInputError } from '../science/errors.js';
import { SkyMapError } from '../skymap/multiorder.js';
import type { CommandModule } from './command.js';

/**
 * Bad input from the person at the terminal (a file that is not FITS, a negative mass, a
 * missing file): the one-line message says it all; a stack trace in the log would only bury it.
 */
function isInputError(err: unknown): boolean {
  return (
    err instanceof ScienceInputError ||
    err instanceof FitsError ||
    err instanceof SkyMapError ||
    err instanceof LigoLwError ||
    err instanceof XmlError ||
    (err as NodeJS.ErrnoException)?.code === 'ENOENT'
  );
}

/**
 * The `gwcelery` command. Each subcommand is one file in commands/, named after it, so adding a
 * subcommand is adding a file. A run that names its subcommand loads only that file: loading them
 * all (the broker, the console, Kafka, the plotting) costs seconds an operator should not wait
 * for `gwcelery config`; help and unknown names load them all.
 */
export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command('gwcelery')
    .description('Low-latency gravitational-wave alert pipeline')
    .option('--config-file <file>', 'JSON configuration file (also GWCELERY_CONFIG_FILE)')
    .showHelpAfterError()
    .enablePositionalOptions();
  const dir = new URL('./commands/', import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  const named = subcommandOf(argv);
  const only = files.filter((f) => f.replace(/\.(ts|js)$/, '') === named);
  for (const file of only.length ? only : files) {
    const mod = (await import(new URL(file, dir).href)) as CommandModule;
    mod.register(program);
  }
  return program;
}

/** The first word after the program's own options (`--config-file F`), if any. */
function subcommandOf(argv: string[]): string | undefined {
  const words = argv.slice(2);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--config-file') i++;
    else if (!word.startsWith('-')) return word;
  }
  return undefined;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(argv);
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      flushLogs();
      process.exit(err.exitCode);
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`gwcelery: configuration error: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    if (isInputError(err)) getLogger('cli').debug({ err }, 'command refused its input');
    else getLogger('cli').error({ err }, 'command failed');
    process.stderr.write(`gwcelery: ${(err as Error).message}\n`);
    flushLogs();
    process.exit(1);
  }
}

// A closed pipe (`gwcelery config | head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

await main(process.argv);
