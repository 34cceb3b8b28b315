import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { execProgram } from '../run-command.js';

export class SubmitHelperError extends Error {
  override name = 'SubmitHelperError';
}

/**
 * The submit host's name from an HTCondor machine ad (the file named by _CONDOR_MACHINE_AD in
 * a running job): its `ClientMachine = "<host>"` line. Attribute names are case-insensitive in
 * ClassAds; the value is a ClassAd string, whose escapes are JSON's.
 */
export function clientMachine(ad: string, file: string): string {
  const match = ad.match(/^\s*ClientMachine\s*=\s*("(?:[^"\\\n]|\\.)*")\s*$/im);
  if (!match)
    throw new SubmitHelperError(`no ClientMachine = "<host>" attribute in the machine ad ${file}`);
  let host: unknown;
  try {
    host = JSON.parse(match[1]);
  } catch {
    throw new SubmitHelperError(`ClientMachine in ${file} is not a valid string: ${match[1]}`);
  }
  if (typeof host !== 'string' || host === '') {
    throw new SubmitHelperError(`ClientMachine in ${file} is empty`);
  }
  return host;
}

/**
 * The broker on the submit host. A configured redis:// URL keeps its port, database and
 * credentials and only changes host; otherwise `redis://<host>` (gwcelery-spec §2.7).
 */
export function brokerUrlFor(host: string, configured: string | undefined): string {
  if (configured && /^rediss?:\/\//.test(configured)) {
    try {
      const url = new URL(configured);
      url.hostname = host;
      return url.toString();
    } catch {
      // not a URL we can edit: fall back to the reference's form
    }
  }
  return `redis://${host}`;
}

export interface HelperPlan {
  argv: string[];
  env: NodeJS.ProcessEnv;
}

/** What `gwcelery-condor-submit-helper CMD ARGS...` runs, and with which environment. */
export function planSubmitHelper(
  args: string[],
  env: NodeJS.ProcessEnv,
  host = hostname(),
): HelperPlan {
  if (args.length === 0) {
    throw new SubmitHelperError('usage: gwcelery-condor-submit-helper CMD [ARGS...]');
  }
  const adFile = env._CONDOR_MACHINE_AD;
  if (!adFile) {
    throw new SubmitHelperError(
      '_CONDOR_MACHINE_AD is not set: this helper runs inside an HTCondor job on a cluster node',
    );
  }
  let ad: string;
  try {
    ad = readFileSync(adFile, 'utf8');
  } catch (err) {
    throw new SubmitHelperError(`cannot read the machine ad ${adFile}: ${(err as Error).message}`);
  }
  const submitHost = clientMachine(ad, adFile);
  return {
    // The job's log file and node name say where it runs: only known here.
    argv: args.map((a) => a.replaceAll('{host}', host)),
    env: { ...env, GWCELERY_BROKER_URL: brokerUrlFor(submitHost, env.GWCELERY_BROKER_URL) },
  };
}

/** The helper's main: prepares, then runs CMD with our terminal and signals; returns its status. */
export async function submitHelperMain(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let plan: HelperPlan;
  try {
    plan = planSubmitHelper(args, env);
  } catch (err) {
    if (!(err instanceof SubmitHelperError)) throw err;
    process.stderr.write(`gwcelery-condor-submit-helper: error: ${err.message}\n`);
    return err.message.startsWith('usage:') ? 2 : 1;
  }
  try {
    return await execProgram(plan.argv, { env: plan.env, echo: false });
  } catch (err) {
    process.stderr.write(`gwcelery-condor-submit-helper: error: ${(err as Error).message}\n`);
    return 127;
  }
}
