import { resolve } from 'node:path';
import type { Config } from '../../../config/index.js';
import { gwceleryCommand } from '../installation.js';
import { processInstances } from '../manifest.js';
import type { RestartPolicy } from './backoff.js';
import type { ProcessDefinition } from './supervised-process.js';

/** A deployment directory and how it was configured. */
export interface LocalDeployment {
  config: Config;
  cwd: string;
  /** A configuration file named on the command line (absolute): the processes read it too. */
  configFile?: string;
}

/** The supervisor's own log, beside the processes' logs. */
export function supervisorLogFile(d: LocalDeployment): string {
  return resolve(d.cwd, d.config.deploy_log_dir, 'gwcelery-supervisor.log');
}

export function restartPolicy(config: Config): RestartPolicy {
  return {
    baseS: config.deploy_restart_backoff_s,
    maxS: config.deploy_restart_backoff_max_s,
    stableAfterS: config.deploy_stable_after_s,
  };
}

/** The manifest as children of the supervisor: command lines, environments, log files. */
export function processDefinitions(
  d: LocalDeployment,
  baseEnv: NodeJS.ProcessEnv = process.env,
): ProcessDefinition[] {
  const command = gwceleryCommand(d.config);
  return processInstances(d.config).map((instance) => {
    const env: NodeJS.ProcessEnv = { ...baseEnv };
    if (d.configFile) env.GWCELERY_CONFIG_FILE = d.configFile;
    for (const [key, value] of Object.entries(instance.env)) {
      if (value === null) delete env[key];
      else env[key] = value;
    }
    return {
      name: instance.name,
      argv: [...command, ...instance.args],
      env,
      cwd: d.cwd,
      logFile: instance.logFile,
      restart: instance.spec.restart,
      reopensLogOnHup: instance.args.includes(instance.logFile),
    };
  });
}
