import { hostname } from 'node:os';
import type { Config } from '../../config/index.js';
import type { DeployProcess } from '../../config/keys/deploy.js';
import { fillPlaceholders } from './placeholders.js';

export type { DeployProcess } from '../../config/keys/deploy.js';

/** One process to run: a manifest entry, or one of its instances, with placeholders filled. */
export interface ProcessInstance {
  /** Unique: the entry's name, or `<name>-<i>` when the entry has several instances. */
  name: string;
  spec: DeployProcess;
  instance: number;
  /** Arguments of the gwcelery command. */
  args: string[];
  logFile: string;
  /** Variables to set; null removes one. */
  env: Record<string, string | null>;
}

/** The values of the placeholders of one instance, before `{log_file}` is known. */
export interface PlaceholderValues {
  name: string;
  instance: string;
  host: string;
  log_dir: string;
}

/** The host name `{host}` stands for on this machine. */
export function deployHostname(config: Config): string {
  return config.deploy_hostname || hostname();
}

/**
 * The manifest with `deploy_instances` applied: entries with no instance left are dropped. A
 * count for a name that is not in the manifest is an error (a typo would otherwise silently
 * leave the openmp workers at 15).
 */
export function manifest(config: Config): DeployProcess[] {
  const names = new Set(config.deploy_processes.map((p) => p.name));
  const unknown = Object.keys(config.deploy_instances).filter((n) => !names.has(n));
  if (unknown.length) {
    throw new Error(
      `deploy_instances names ${unknown.map((n) => `'${n}'`).join(', ')}, not in deploy_processes ` +
        `(known: ${[...names].join(', ')})`,
    );
  }
  return config.deploy_processes
    .map((spec) => ({ ...spec, instances: config.deploy_instances[spec.name] ?? spec.instances }))
    .filter((spec) => spec.instances > 0);
}

/** Arguments, log file and environment of one instance, for the given placeholder values. */
export function fillProcess(
  spec: DeployProcess,
  values: PlaceholderValues,
): { args: string[]; logFile: string; env: Record<string, string | null> } {
  const base = { ...values } as Record<string, string>;
  const logFile = fillPlaceholders(spec.log_file, base);
  const all = { ...base, log_file: logFile };
  return {
    args: spec.args.map((a) => fillPlaceholders(a, all)),
    logFile,
    env: Object.fromEntries(
      Object.entries(spec.env).map(([k, v]) => [k, v === null ? null : fillPlaceholders(v, all)]),
    ),
  };
}

/** Every process to run on this host, in manifest order (the local back end). */
export function processInstances(config: Config, host = deployHostname(config)): ProcessInstance[] {
  const out: ProcessInstance[] = [];
  for (const spec of manifest(config)) {
    for (let i = 0; i < spec.instances; i++) {
      const name = spec.instances === 1 ? spec.name : `${spec.name}-${i}`;
      const filled = fillProcess(spec, {
        name,
        instance: String(i),
        host,
        log_dir: config.deploy_log_dir,
      });
      out.push({ name, spec, instance: i, ...filled });
    }
  }
  return out;
}
