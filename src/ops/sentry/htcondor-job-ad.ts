import { readFileSync } from 'node:fs';

/**
 * `ClusterId.ProcId` of the HTCondor job this process runs in, from the job ad HTCondor names
 * in $_CONDOR_JOB_AD; undefined outside HTCondor (gwcelery-spec §8.2: tag htcondor.cluster_id).
 */
export function htcondorJobId(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = env._CONDOR_JOB_AD;
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const attribute = (name: string) =>
    new RegExp(`^\\s*${name}\\s*=\\s*(\\d+)\\s*$`, 'im').exec(text)?.[1];
  const cluster = attribute('ClusterId');
  if (cluster === undefined) return undefined;
  const proc = attribute('ProcId');
  return proc === undefined ? cluster : `${cluster}.${proc}`;
}
