import type { Command } from 'commander';
import {
  condorJobAction,
  condorResubmit,
  condorSubmit,
  renderSubmitDescription,
} from '../../ops/deploy/condor/condor-commands.js';
import { deploymentOf } from '../command.js';

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
      process.exitCode = await condorSubmit(deploymentOf(command));
    });

  condor
    .command('resubmit')
    .description(
      'remove the jobs of this directory, wait for them to leave the queue (condor_stop_timeout_s), submit again',
    )
    .action(async (_opts: unknown, command: Command) => {
      process.exitCode = await condorResubmit(deploymentOf(command));
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
        process.exitCode = await condorJobAction(deploymentOf(command), action);
      });
  }

  condor
    .command('print')
    .description('print the submit description that submit would write, without submitting')
    .action((_opts: unknown, command: Command) => {
      process.stdout.write(renderSubmitDescription(deploymentOf(command)));
    });
}
