import { rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { configureLogging, flushLogs, getLogger } from '../../../log/index.js';
import { type ControlRequest, type ControlResponse, serveControl } from './control.js';
import {
  type LocalDeployment,
  processDefinitions,
  restartPolicy,
  supervisorLogFile,
} from './definitions.js';
import { DeploymentState } from './state-dir.js';
import { Supervisor } from './supervisor.js';

/** Why `up` refuses: this directory already has a deployment running. */
export class AlreadyRunningError extends Error {
  override name = 'AlreadyRunningError';
}

export const ALREADY_RUNNING_MESSAGE = [
  'error: GWCelery processes are already running in this directory.',
  'First stop them with "gwcelery deploy down".',
  'To see their status, run "gwcelery deploy status".',
].join('\n');

/** Refuses a second deployment in a directory whose supervisor, or its orphans, still run. */
export function assertNotRunning(state: DeploymentState): void {
  const supervisor = state.liveSupervisor();
  if (supervisor) {
    throw new AlreadyRunningError(`${ALREADY_RUNNING_MESSAGE}\n(supervisor pid ${supervisor.pid})`);
  }
  const orphans = state.orphans();
  if (orphans.length) {
    throw new AlreadyRunningError(
      `${ALREADY_RUNNING_MESSAGE}\n(processes left by a supervisor that was killed: ` +
        `${orphans.map((o) => `${o.name} pid ${o.pid}`).join(', ')})`,
    );
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * The supervisor process (`gwcelery deploy up --foreground`, or the daemon that `up` starts):
 * claims the directory, starts every process, answers the control socket, and returns its exit
 * status once everything has stopped (`deploy down`, SIGTERM or SIGINT).
 */
export async function runSupervisor(d: LocalDeployment): Promise<number> {
  const state = new DeploymentState(d.cwd, d.config);
  state.checkSocketPath();
  assertNotRunning(state);
  state.claim();
  let server: Server | undefined;
  try {
    configureLogging({
      level: d.config.log_level,
      format: 'json',
      file: supervisorLogFile(d),
      name: 'gwcelery-supervisor',
    });
    const log = getLogger('deploy.supervisor');
    const supervisor = new Supervisor(processDefinitions(d), {
      policy: restartPolicy(d.config),
      graceMs: d.config.deploy_stop_grace_s * 1000,
      log,
      onChange: (running) => state.writeRegistry(running),
    });
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const stopAll = () =>
      supervisor.shutdown().then((stopped) => {
        finish();
        return stopped;
      });

    const handle = async (request: ControlRequest): Promise<ControlResponse> => {
      switch (request.op) {
        case 'status':
          break;
        case 'restart':
          await supervisor.restart(request.names);
          break;
        case 'hold':
          await supervisor.hold(request.names);
          break;
        case 'release':
          supervisor.release(request.names);
          break;
        case 'down': {
          const stopped = await stopAll();
          return { ok: true, report: supervisor.report(d.cwd), stopped };
        }
        default:
          return { ok: false, error: `unknown request ${JSON.stringify(request)}` };
      }
      return { ok: true, report: supervisor.report(d.cwd) };
    };
    // A socket file left by a supervisor that was killed would make listen fail.
    rmSync(state.socketPath, { force: true });
    server = await serveControl(state.socketPath, handle);
    const onSignal = (signal: NodeJS.Signals) => {
      log.info({ signal }, 'stopping on signal');
      void stopAll();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    // The log module reopens our own file on SIGHUP; the children reopen theirs.
    process.on('SIGHUP', () => supervisor.reopenLogs());
    supervisor.start();
    log.info(
      { pid: process.pid, cwd: d.cwd, processes: supervisor.processes.map((p) => p.name) },
      'supervisor ready',
    );
    await finished;
    log.info('every process stopped; supervisor exits');
    await closeServer(server);
    return 0;
  } finally {
    state.release();
    flushLogs();
  }
}
