import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { GWCELERY_BIN, gwceleryCommand } from '../../ops/deploy/installation.js';
import {
  deployControl,
  deployDown,
  deployReopenLogs,
  deployStatus,
  deployUp,
} from '../../ops/deploy/local/local-commands.js';
import { AlreadyRunningError, runSupervisor } from '../../ops/deploy/local/run-supervisor.js';
import { DeploymentState } from '../../ops/deploy/local/state-dir.js';
import { logrotateConfig } from '../../ops/deploy/logrotate-config.js';
import { processInstances } from '../../ops/deploy/manifest.js';
import { environmentFileText, systemdUnits, TARGET_UNIT } from '../../ops/deploy/systemd-units.js';
import { deploymentOf } from '../command.js';

export function register(program: Command): void {
  const deploy = program
    .command('deploy')
    .description(
      'run the deployment (deploy_processes) on this host under a supervisor that restarts crashed processes; this directory = one deployment',
    );

  deploy
    .command('up')
    .description(
      'start the supervisor and every process (refused if this directory already runs them)',
    )
    .option('--foreground', 'run the supervisor in this terminal instead of as a daemon')
    .action(async (flags: { foreground?: boolean }, command: Command) => {
      const d = deploymentOf(command);
      if (!flags.foreground) {
        process.exitCode = await deployUp(d);
        return;
      }
      let status: number;
      try {
        status = await runSupervisor(d);
      } catch (err) {
        if (!(err instanceof AlreadyRunningError)) throw err;
        process.stderr.write(`${err.message}\n`);
        status = 1;
      }
      // The children's pipes and timers are closed; exit now rather than wait on stray handles.
      process.exit(status);
    });

  deploy
    .command('down')
    .description(
      'stop every process (SIGTERM, then SIGKILL after deploy_stop_grace_s) and the supervisor',
    )
    .action(async (_opts: unknown, command: Command) => {
      process.exitCode = await deployDown(deploymentOf(command));
    });

  deploy
    .command('status')
    .description(
      'each process: status (R running, I waiting to restart, H held, X stopping, C completed), pid, restarts, uptime, last exit, log',
    )
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      process.exitCode = await deployStatus(deploymentOf(command), Boolean(flags.json));
    });

  const controls = {
    restart:
      'stop and start processes now (all when none is named); names are processes or manifest entries',
    hold: 'stop processes and keep them stopped until released',
    release: 'start held processes again',
  } as const;
  for (const [op, description] of Object.entries(controls) as [keyof typeof controls, string][]) {
    deploy
      .command(`${op} ${op === 'restart' ? '[names...]' : '<names...>'}`)
      .description(description)
      .action(async (names: string[], _opts: unknown, command: Command) => {
        process.exitCode = await deployControl(deploymentOf(command), op, names);
      });
  }

  deploy
    .command('reopen-logs')
    .description(
      'make the supervisor and every process reopen their log files (logrotate postrotate)',
    )
    .action((_opts: unknown, command: Command) => {
      process.exitCode = deployReopenLogs(deploymentOf(command));
    });

  deploy
    .command('logrotate')
    .description('print a logrotate configuration for the logs of this deployment')
    .option(
      '--copytruncate',
      'copy and truncate instead of reopening (HTCondor deployments: no supervisor to signal)',
    )
    .action((flags: { copytruncate?: boolean }, command: Command) => {
      const d = deploymentOf(command);
      process.stdout.write(
        logrotateConfig({
          logDir: resolve(d.cwd, d.config.deploy_log_dir),
          cwd: d.cwd,
          stateDir: new DeploymentState(d.cwd, d.config).dir,
          // This installation by absolute path: cron's PATH may not find gwcelery.
          gwcelery: [process.execPath, GWCELERY_BIN],
          copytruncate: Boolean(flags.copytruncate),
        }),
      );
    });

  deploy
    .command('systemd')
    .description(
      'write systemd user units (one service per process, gwcelery.target for the set), an alternative to the supervisor',
    )
    .option('--dir <dir>', 'where to write the units', join(homedir(), '.config/systemd/user'))
    .action((flags: { dir: string }, command: Command) => {
      const d = deploymentOf(command);
      const state = new DeploymentState(d.cwd, d.config);
      const environmentFile = join(state.dir, 'gwcelery-systemd.env');
      const units = systemdUnits(processInstances(d.config), {
        cwd: d.cwd,
        gwcelery: gwceleryCommand(d.config),
        environmentFile,
        ...(d.configFile ? { configFile: d.configFile } : {}),
        graceS: d.config.deploy_stop_grace_s,
        restartBackoffS: d.config.deploy_restart_backoff_s,
        restartBackoffMaxS: d.config.deploy_restart_backoff_max_s,
      });
      mkdirSync(state.dir, { recursive: true });
      // It may hold a broker password: readable by the deployment account only.
      writeFileSync(environmentFile, environmentFileText(process.env), { mode: 0o600 });
      chmodSync(environmentFile, 0o600);
      mkdirSync(flags.dir, { recursive: true });
      for (const [name, text] of units) writeFileSync(join(flags.dir, name), text);
      process.stdout.write(
        [
          `Wrote ${units.size} units to ${flags.dir} and the environment to ${environmentFile}.`,
          'Start the deployment (and at boot, with lingering enabled) with:',
          '  loginctl enable-linger "$USER"',
          '  systemctl --user daemon-reload',
          `  systemctl --user enable --now ${TARGET_UNIT}`,
          `Stop it with \`systemctl --user stop ${TARGET_UNIT}\`; see it with \`systemctl --user list-units 'gwcelery*'\`.`,
          '',
        ].join('\n'),
      );
    });
}
