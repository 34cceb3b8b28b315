import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../../../config/index.js';
import { gwceleryCommand, submitHelperCommand } from '../installation.js';
import { deployHostname } from '../manifest.js';
import { execProgram, runCaptured } from '../run-command.js';
import { shellCommandLine } from '../shell-quote.js';
import { deploymentJobs } from './job-queue.js';
import { deploymentConstraint } from './quote.js';
import { submitDescription } from './submit-description.js';

export interface CondorContext {
  config: Config;
  /** The deployment directory: the jobs' Iwd. */
  cwd: string;
  /** A configuration file named on the command line (absolute path). */
  configFile?: string;
  stderr?: (text: string) => void;
}

const ALREADY_RUNNING = [
  'error: GWCelery jobs are already running in this directory.',
  'First remove existing jobs with "gwcelery condor rm".',
  'To see the status of those jobs, run "gwcelery condor q".',
].join('\n');

function constraintArgs(cwd: string): string[] {
  return ['-constraint', deploymentConstraint(cwd)];
}

function writeStderr(ctx: CondorContext, text: string): void {
  (ctx.stderr ?? ((t: string) => process.stderr.write(t)))(`${text}\n`);
}

/** Where `submit` writes the submit description (relative to the deployment directory). */
export function submitFilePath(config: Config): string {
  return join(config.deploy_state_dir, 'gwcelery.sub');
}

/** The submit description of this deployment, as `submit` would write it. */
export function renderSubmitDescription(ctx: CondorContext): string {
  return submitDescription(ctx.config, {
    submitHost: deployHostname(ctx.config),
    gwcelery: gwceleryCommand(ctx.config),
    submitHelper: submitHelperCommand(ctx.config),
    ...(ctx.configFile ? { configFile: ctx.configFile } : {}),
  });
}

/** Writes the file whole or not at all: condor_submit never reads half a description. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

async function execSubmit(ctx: CondorContext): Promise<number> {
  const text = renderSubmitDescription(ctx);
  const relative = submitFilePath(ctx.config);
  writeAtomically(join(ctx.cwd, relative), text);
  // condor_submit refuses a job event log in a directory that does not exist.
  mkdirSync(resolve(ctx.cwd, ctx.config.deploy_log_dir), { recursive: true });
  return execProgram([
    'condor_submit',
    `accounting_group=${ctx.config.condor_accounting_group}`,
    relative,
  ]);
}

/** `gwcelery condor submit`: refuses a second deployment in the same directory. */
export async function condorSubmit(ctx: CondorContext): Promise<number> {
  if ((await deploymentJobs(ctx.cwd)).length > 0) {
    writeStderr(ctx, ALREADY_RUNNING);
    return 1;
  }
  return execSubmit(ctx);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `gwcelery condor resubmit`: removes the running jobs, waits until the queue has none left
 * (condor_stop_timeout_s, polling every condor_stop_poll_s), then submits. Jobs that will not
 * leave (stuck in X) stop it with an error rather than start a second deployment beside them.
 */
export async function condorResubmit(ctx: CondorContext): Promise<number> {
  const { config, cwd } = ctx;
  if ((await deploymentJobs(cwd)).length > 0) {
    const rm = ['condor_rm', ...constraintArgs(cwd)];
    process.stdout.write(`${shellCommandLine(rm)}\n`);
    const run = await runCaptured(rm);
    process.stdout.write(run.stdout);
    if (run.code !== 0) {
      writeStderr(ctx, `error: condor_rm failed (exit status ${run.code}): ${run.stderr.trim()}`);
      return 1;
    }
  }
  const start = performance.now();
  const timeoutMs = config.condor_stop_timeout_s * 1000;
  for (;;) {
    const left = await deploymentJobs(cwd);
    if (left.length === 0) break;
    if (performance.now() - start >= timeoutMs) {
      writeStderr(ctx, 'error: Could not stop all GWCelery jobs');
      return 1;
    }
    await sleep(config.condor_stop_poll_s * 1000);
  }
  return execSubmit(ctx);
}

export type JobAction = 'rm' | 'hold' | 'release' | 'q';

/** `gwcelery condor rm|hold|release|q`: the HTCondor tool on this deployment's jobs. */
export function condorJobAction(ctx: CondorContext, action: JobAction): Promise<number> {
  const argv =
    action === 'q'
      ? ['condor_q', '-nobatch', ...constraintArgs(ctx.cwd)]
      : [`condor_${action}`, ...constraintArgs(ctx.cwd)];
  return execProgram(argv);
}
