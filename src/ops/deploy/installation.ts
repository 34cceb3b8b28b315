import { fileURLToPath } from 'node:url';
import type { Config } from '../../config/index.js';

/** This installation's entry points, by absolute path: a deployment runs exactly this checkout. */
export const GWCELERY_BIN = fileURLToPath(new URL('../../../bin/gwcelery.js', import.meta.url));
export const SUBMIT_HELPER_BIN = fileURLToPath(
  new URL('../../../bin/gwcelery-condor-submit-helper.js', import.meta.url),
);

/** The command line prefix that runs `gwcelery` in a deployed process. */
export function gwceleryCommand(config: Config): string[] {
  return config.deploy_command.length
    ? [...config.deploy_command]
    : [process.execPath, GWCELERY_BIN];
}

/** The command line prefix that runs `gwcelery-condor-submit-helper` on a cluster node. */
export function submitHelperCommand(config: Config): string[] {
  return config.deploy_submit_helper_command.length
    ? [...config.deploy_submit_helper_command]
    : [process.execPath, SUBMIT_HELPER_BIN];
}
