import { shellCommandLine } from './shell-quote.js';

export interface LogrotateOptions {
  /** Absolute log directory of the deployment. */
  logDir: string;
  /** Deployment directory, where the reopen command runs. */
  cwd: string;
  /** Absolute state directory (where the supervisor's pid file is). */
  stateDir: string;
  /** Command prefix that runs gwcelery. */
  gwcelery: string[];
  /**
   * Copy then truncate instead of asking the processes to reopen: for HTCondor deployments,
   * whose workers on cluster nodes no signal from the submit host reaches. Our logs are opened
   * in append mode, so writes continue at the new end of the truncated file.
   */
  copytruncate?: boolean;
}

/**
 * logrotate configuration for the deployment's logs (gwcelery-spec §8.5: weekly, keep 4,
 * compress, date extension, missing OK). After moving the files, postrotate asks the supervisor
 * to reopen its log and to pass SIGHUP to every process, which reopen theirs; nothing is lost
 * and nothing keeps writing into the rotated file.
 */
export function logrotateConfig(options: LogrotateOptions): string {
  const reopen = shellCommandLine([...options.gwcelery, 'deploy', 'reopen-logs']);
  const after = options.copytruncate
    ? ['    copytruncate']
    : [
        '    sharedscripts',
        '    postrotate',
        `        cd ${shellCommandLine([options.cwd])} && GWCELERY_DEPLOY_STATE_DIR=${shellCommandLine([options.stateDir])} ${reopen}`,
        '    endscript',
      ];
  return [
    `# Logs of the gwcelery deployment in ${options.cwd} (written by \`gwcelery deploy logrotate\`).`,
    '# Run hourly from cron as the deployment account:',
    '#   logrotate --state ~/.local/state/logrotate.status <this file>',
    `${options.logDir}/*.log {`,
    '    weekly',
    '    rotate 4',
    '    compress',
    '    dateext',
    '    missingok',
    ...after,
    '}',
    '',
  ].join('\n');
}
