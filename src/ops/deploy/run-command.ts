import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { shellCommandLine } from './shell-quote.js';

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The exit status a shell would report: the code, or 128 + the signal's number. */
function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

function notFound(program: string, err: NodeJS.ErrnoException): Error {
  return err.code === 'ENOENT'
    ? new Error(`${program} not found on PATH (${process.env.PATH ?? ''})`)
    : new Error(`cannot run ${program}: ${err.message}`);
}

/** Runs a program to completion and keeps its output. */
export function runCaptured(argv: readonly string[]): Promise<CapturedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('error', (err) => reject(notFound(argv[0], err)));
    child.once('close', (code, signal) =>
      resolve({ code: exitStatus(code, signal), stdout, stderr }),
    );
  });
}

/**
 * What the reference does with exec: print the command line (shell-quoted, so that it can be
 * copied), then become that program. Node cannot replace itself, so the program runs as a child
 * on our terminal, receives the signals we get, and its exit status becomes ours.
 */
export function execProgram(
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; echo?: boolean } = {},
): Promise<number> {
  if (options.echo !== false) process.stdout.write(`${shellCommandLine(argv)}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      stdio: 'inherit',
      env: options.env ?? process.env,
    });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
    for (const s of signals) process.on(s, forward);
    const cleanup = (): void => {
      for (const s of signals) process.off(s, forward);
    };
    child.once('error', (err) => {
      cleanup();
      reject(notFound(argv[0], err));
    });
    child.once('exit', (code, signal) => {
      cleanup();
      resolve(exitStatus(code, signal));
    });
  });
}
