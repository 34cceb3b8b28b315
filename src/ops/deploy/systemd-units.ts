import type { ProcessInstance } from './manifest.js';

const SAFE = /^[A-Za-z0-9_@%+=:,./{}-]+$/;

function doubleQuoted(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * A word of a unit file setting: quoted when it holds anything but safe characters, with `%`
 * (a unit specifier) doubled, and for ExecStart also `$` (a variable reference) doubled.
 */
export function systemdWord(text: string, where: 'exec' | 'environment' = 'exec'): string {
  let escaped = text.replaceAll('%', '%%');
  if (where === 'exec') escaped = escaped.replaceAll('$', '$$$$');
  return escaped !== '' && SAFE.test(escaped) ? escaped : doubleQuoted(escaped);
}

export interface SystemdOptions {
  /** The deployment directory (WorkingDirectory of every unit). */
  cwd: string;
  /** Command prefix that runs gwcelery. */
  gwcelery: string[];
  /** File of GWCELERY_* settings read by every unit (kept out of the world-readable units). */
  environmentFile: string;
  configFile?: string;
  graceS: number;
  restartBackoffS: number;
  restartBackoffMaxS: number;
}

export const TARGET_UNIT = 'gwcelery.target';

/**
 * systemd units for the deployment: one service per process, all part of gwcelery.target, so
 * that `systemctl --user start|stop|restart gwcelery.target` acts on the whole set and systemd
 * supervises (restart with growing delays, SIGTERM then SIGKILL after the grace time,
 * `reload` = SIGHUP = reopen the log). Returns file name → content.
 */
export function systemdUnits(
  instances: ProcessInstance[],
  options: SystemdOptions,
): Map<string, string> {
  const units = new Map<string, string>();
  units.set(
    TARGET_UNIT,
    [
      '[Unit]',
      `Description=gwcelery deployment in ${options.cwd}`,
      `Wants=${instances.map((i) => `${i.name}.service`).join(' ')}`,
      '',
      '[Install]',
      'WantedBy=default.target',
      '',
    ].join('\n'),
  );
  const steps = Math.max(
    0,
    Math.ceil(Math.log2(options.restartBackoffMaxS / options.restartBackoffS)),
  );
  for (const instance of instances) {
    const set = Object.entries({
      ...(options.configFile ? { GWCELERY_CONFIG_FILE: options.configFile } : {}),
      ...instance.env,
    }).filter((e): e is [string, string] => e[1] !== null);
    const unset = Object.entries(instance.env)
      .filter(([, v]) => v === null)
      .map(([k]) => k);
    const argv = [...options.gwcelery, ...instance.args];
    units.set(
      `${instance.name}.service`,
      [
        '[Unit]',
        `Description=gwcelery ${instance.name}`,
        `PartOf=${TARGET_UNIT}`,
        'After=network-online.target',
        // Never give up restarting, like HTCondor's on_exit_remove = false.
        'StartLimitIntervalSec=0',
        '',
        '[Service]',
        'Type=simple',
        `WorkingDirectory=${options.cwd}`,
        `EnvironmentFile=-${options.environmentFile}`,
        ...set.map(([k, v]) => `Environment=${systemdWord(`${k}=${v}`, 'environment')}`),
        ...(unset.length ? [`UnsetEnvironment=${unset.join(' ')}`] : []),
        `ExecStart=${argv.map((a) => systemdWord(a)).join(' ')}`,
        ...(instance.args.includes(instance.logFile) ? ['ExecReload=/bin/kill -HUP $MAINPID'] : []),
        `Restart=${instance.spec.restart === 'always' ? 'always' : 'on-failure'}`,
        `RestartSec=${options.restartBackoffS}`,
        // systemd 254 and later: the delay doubles up to RestartMaxDelaySec.
        ...(steps > 0
          ? [`RestartSteps=${steps}`, `RestartMaxDelaySec=${options.restartBackoffMaxS}`]
          : []),
        'KillSignal=SIGTERM',
        `TimeoutStopSec=${options.graceS}`,
        '',
        '[Install]',
        `WantedBy=${TARGET_UNIT}`,
        '',
      ].join('\n'),
    );
  }
  return units;
}

/** The GWCELERY_* variables of this shell, as HTCondor's getenv would carry them to the jobs. */
export function environmentFileText(env: NodeJS.ProcessEnv): string {
  const lines = Object.entries(env)
    .filter((e): e is [string, string] => e[0].startsWith('GWCELERY_') && e[1] !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${SAFE.test(v) ? v : doubleQuoted(v)}`);
  return [
    '# gwcelery settings of the systemd units, from the shell that ran `gwcelery deploy systemd`',
    ...lines,
    '',
  ].join('\n');
}
