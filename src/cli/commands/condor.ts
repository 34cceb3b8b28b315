import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  type CondorContext,
  condorJobAction,
  condorResubmit,
  condorSubmit,
  renderSubmitDescription,
} from '../../ops/deploy/condor/condor-commands.js';
import { configFor } from '../command.js';

function context(command: Command): CondorContext {
  let root = command;
  while (root.parent) root = root.parent;
  const configFile = root.opts().configFile as string | undefined;
  return {
    config: configFor(command),
    cwd: process.cwd(),
    ...(configFile ? { configFile: resolve(configFile) } : {}),
  };
}

export function register(program: Command): void {
  const condor = program
    .command('condor')
    .description(
      'run the deployment as HTCondor jobs; the jobs of batch "gwcelery" started in this directory are one deployment',
    );

  condor
    .command('submit')
    .description(
      'write .local/state/gwcelery.sub from deploy_processes and submit it (refused if this directory already has jobs)',
    )
    .action(async (_opts: unknown, command: Command) => {
      process.exitCode = await condorSubmit(context(command));
    });

  condor
    .command('resubmit')
    .description(
      'remove the jobs of this directory, wait for them to leave the queue (condor_stop_timeout_s), submit again',
    )
    .action(async (_opts: unknown, command: Command) => {
      process.exitCode = await condorResubmit(context(command));
    });

  const actions = {
    rm: 'remove the jobs of this directory (condor_rm)',
    hold: 'hold the jobs of this directory (condor_hold)',
    release: 'release the held jobs of this directory (condor_release)',
    q: 'show the jobs of this directory (condor_q -nobatch); status R running, I idle, H held, X removed',
  } as const;
  for (const [action, description] of Object.entries(actions) as [keyof typeof actions, string][]) {
    condor
      .command(action)
      .description(description)
      .action(async (_opts: unknown, command: Command) => {
        process.exitCode = await condorJobAction(context(command), action);
      });
  }

  condor
    .command('print')
    .description('print the submit description that submit would write, without submitting')
    .action((_opts: unknown, command: Command) => {
      process.stdout.write(renderSubmitDescription(context(command)));
    });
}
