import type { Config } from '../../../config/index.js';
import { type DeployProcess, fillProcess, manifest } from '../manifest.js';
import { condorArguments, condorEnvironment } from './quote.js';

export interface SubmitDescriptionOptions {
  /** `{host}` of local-universe jobs, which run on the submit host. */
  submitHost: string;
  /** Command prefix that runs gwcelery (see installation.ts). */
  gwcelery: string[];
  /** Command prefix that runs the submit helper on a cluster node. */
  submitHelper: string[];
  /** A configuration file given on the command line: the jobs must read it too. */
  configFile?: string;
}

/** Disk every job asks for unless its entry says otherwise (the reference's value). */
const DEFAULT_REQUEST_DISK = '7GB';

/** Settings common to every job (gwcelery-spec §2.2). */
function header(config: Config): string[] {
  return [
    '# The gwcelery deployment as HTCondor jobs, written by `gwcelery condor submit` from the',
    '# deploy_processes configuration: change that, not this file, which is rewritten at every submit.',
    'JobBatchName = gwcelery',
    'executable = /usr/bin/env',
    'getenv = true',
    `log = ${config.deploy_log_dir}/gwcelery-condor.log`,
    '# Jobs restart whenever they exit, like a service.',
    'on_exit_remove = false',
    `request_disk = ${DEFAULT_REQUEST_DISK}`,
    'job_max_vacate_time = 20',
    'kill_sig = SIGKILL',
    ...(config.condor_accounting_group_user
      ? [`accounting_group_user = ${config.condor_accounting_group_user}`]
      : []),
  ];
}

/** Every per-job command, with the value this job needs (undefined: HTCondor's default). */
function jobSettings(
  spec: DeployProcess,
  env: Record<string, string | null>,
  configFile: string | undefined,
): Map<string, string | undefined> {
  const set = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== null),
  );
  if (configFile) set.GWCELERY_CONFIG_FILE = configFile;
  const c = spec.condor;
  return new Map<string, string | undefined>([
    ['environment', Object.keys(set).length ? condorEnvironment(set) : undefined],
    ['request_cpus', c.request_cpus === undefined ? undefined : String(c.request_cpus)],
    ['request_memory', c.request_memory],
    ['request_disk', c.request_disk ?? DEFAULT_REQUEST_DISK],
    ['requirements', c.requirements],
    ...Object.entries(c.attributes).map(([k, v]): [string, string] => [`+${k}`, v]),
  ]);
}

/** How a command a later job leaves unset is reset to HTCondor's default. */
function unsetValue(command: string): string {
  if (command === 'environment') return ' ""';
  if (command.startsWith('+')) return ' undefined';
  return '';
}

/**
 * The submit description of the whole deployment. Submit commands carry over from one `queue`
 * to the next, so each job states every command whose value differs from what the previous job
 * left, including resets (an empty value, `""` for the environment, `undefined` for a custom
 * attribute). Jobs with several instances are one `queue N`, numbered by `$(Step)`.
 */
export function submitDescription(config: Config, options: SubmitDescriptionOptions): string {
  const lines = header(config);
  const current = new Map<string, string | undefined>([['request_disk', DEFAULT_REQUEST_DISK]]);
  for (const spec of manifest(config)) {
    const several = spec.instances > 1;
    const helper = spec.condor.submit_helper ?? spec.condor.universe === 'vanilla';
    const name = several ? `${spec.name}-$(Step)` : spec.name;
    const filled = fillProcess(spec, {
      name,
      instance: several ? '$(Step)' : '0',
      // Away from the submit host, only the helper knows where the job landed.
      host: helper ? '{host}' : options.submitHost,
      log_dir: config.deploy_log_dir,
    });
    const unset = Object.entries(filled.env)
      .filter(([, v]) => v === null)
      .flatMap(([k]) => ['--unset', k]);
    const argv = [
      ...unset,
      ...(helper ? options.submitHelper : []),
      ...options.gwcelery,
      ...filled.args,
    ];
    lines.push(
      '',
      `# ${spec.name}${several ? ` x${spec.instances}` : ''}: ${spec.condor.universe} universe`,
      `universe = ${spec.condor.universe}`,
      `description = ${name}`,
      `arguments = ${condorArguments(argv)}`,
    );
    const wanted = jobSettings(spec, filled.env, options.configFile);
    const dropped = [...current.keys()].filter((k) => !wanted.has(k));
    for (const command of [...wanted.keys(), ...dropped]) {
      const value = wanted.get(command);
      if (value === current.get(command)) continue;
      lines.push(
        value === undefined ? `${command} =${unsetValue(command)}` : `${command} = ${value}`,
      );
      if (value === undefined) current.delete(command);
      else current.set(command, value);
    }
    lines.push(several ? `queue ${spec.instances}` : 'queue');
  }
  return `${lines.join('\n')}\n`;
}
