import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { GWCELERY_BIN } from '../installation.js';
import {
  type ControlRequest,
  type ControlResponse,
  NotRunningError,
  requestControl,
} from './control.js';
import type { LocalDeployment } from './definitions.js';
import { isSameProcessAlive, type ProcessIdentity } from './process-identity.js';
import {
  ALREADY_RUNNING_MESSAGE,
  AlreadyRunningError,
  assertNotRunning,
} from './run-supervisor.js';
import { DeploymentState } from './state-dir.js';
import { statusTable, stopSummary } from './status-table.js';
import type { SupervisorReport } from './supervisor.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Output = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long `up` waits for the daemon to answer before it gives up on it. */
const DAEMON_READY_TIMEOUT_MS = 60_000;
/** Time for the supervisor to answer anything but `down` (which waits for the grace time). */
const REQUEST_TIMEOUT_MS = 15_000;

function lastLines(path: string, n: number): string {
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
}

/**
 * `gwcelery deploy up`: starts the supervisor as a daemon (its own session, output to
 * supervisor.out in the state directory until its log opens), waits until it answers, prints
 * the status. A directory that already has a deployment running is refused, as by condor submit.
 */
export async function deployUp(d: LocalDeployment, io: Output = stdio): Promise<number> {
  const state = new DeploymentState(d.cwd, d.config);
  state.checkSocketPath();
  try {
    assertNotRunning(state);
  } catch (err) {
    if (!(err instanceof AlreadyRunningError)) throw err;
    io.err(err.message);
    return 1;
  }
  mkdirSync(state.dir, { recursive: true });
  const output = openSync(state.daemonOutput, 'a');
  const args = [
    GWCELERY_BIN,
    ...(d.configFile ? ['--config-file', d.configFile] : []),
    'deploy',
    'up',
    '--foreground',
  ];
  const daemon = spawn(process.execPath, args, {
    cwd: d.cwd,
    detached: true,
    stdio: ['ignore', output, output],
  });
  closeSync(output);
  let exited: number | null | undefined;
  daemon.once('exit', (code) => {
    exited = code;
  });
  daemon.unref();
  const deadline = Date.now() + DAEMON_READY_TIMEOUT_MS;
  for (;;) {
    if (exited !== undefined) {
      io.err(
        `error: the supervisor exited (status ${exited}) before it was ready; its output (${state.daemonOutput}):\n` +
          lastLines(state.daemonOutput, 20),
      );
      return 1;
    }
    try {
      const response = await requestControl(state.socketPath, { op: 'status' }, REQUEST_TIMEOUT_MS);
      if (response.ok && response.report.pid === daemon.pid) {
        io.out(statusTable(response.report));
        return 0;
      }
    } catch (err) {
      if (!(err instanceof NotRunningError)) throw err;
    }
    if (Date.now() > deadline) {
      io.err(
        `error: the supervisor (pid ${daemon.pid}) did not answer within ${DAEMON_READY_TIMEOUT_MS / 1000} s; see ${state.daemonOutput}`,
      );
      return 1;
    }
    await sleep(100);
  }
}

async function ask(
  d: LocalDeployment,
  request: ControlRequest,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<ControlResponse> {
  return requestControl(new DeploymentState(d.cwd, d.config).socketPath, request, timeoutMs);
}

const NOT_RUNNING =
  'No GWCelery supervisor runs in this directory (start one with "gwcelery deploy up").';

/** `gwcelery deploy status [--json]`: exit status 0 when a supervisor answers, 3 when none runs. */
export async function deployStatus(
  d: LocalDeployment,
  json: boolean,
  io: Output = stdio,
): Promise<number> {
  let response: ControlResponse;
  try {
    response = await ask(d, { op: 'status' });
  } catch (err) {
    if (!(err instanceof NotRunningError)) throw err;
    if (json) io.out(JSON.stringify({ running: false }));
    else io.err(NOT_RUNNING);
    return 3;
  }
  if (!response.ok) {
    io.err(`error: ${response.error}`);
    return 1;
  }
  io.out(
    json ? JSON.stringify({ running: true, ...response.report }) : statusTable(response.report),
  );
  return 0;
}

/** `gwcelery deploy restart|hold|release [names]`. */
export async function deployControl(
  d: LocalDeployment,
  op: 'restart' | 'hold' | 'release',
  names: string[],
  io: Output = stdio,
): Promise<number> {
  let response: ControlResponse;
  try {
    // A restart or hold waits for the processes to stop: up to the grace time.
    response = await ask(
      d,
      { op, names },
      d.config.deploy_stop_grace_s * 1000 + REQUEST_TIMEOUT_MS,
    );
  } catch (err) {
    if (!(err instanceof NotRunningError)) throw err;
    io.err(NOT_RUNNING);
    return 3;
  }
  if (!response.ok) {
    io.err(`error: ${response.error}`);
    return 1;
  }
  io.out(statusTable(response.report));
  return 0;
}

async function waitGone(ids: ProcessIdentity[], timeoutMs: number): Promise<ProcessIdentity[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = ids.filter(isSameProcessAlive);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await sleep(50);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}

/**
 * `gwcelery deploy down`: the supervisor stops every process (SIGTERM, SIGKILL after
 * deploy_stop_grace_s) and exits. If the supervisor was killed, the processes it left are
 * found through its registry and stopped the same way.
 */
export async function deployDown(d: LocalDeployment, io: Output = stdio): Promise<number> {
  const state = new DeploymentState(d.cwd, d.config);
  const graceMs = d.config.deploy_stop_grace_s * 1000;
  const supervisor = state.liveSupervisor();
  try {
    const response = await ask(d, { op: 'down' }, graceMs + REQUEST_TIMEOUT_MS);
    if (!response.ok) {
      io.err(`error: ${response.error}`);
      return 1;
    }
    io.out(stopSummary(response.stopped ?? []));
    const left = supervisor ? await waitGone([supervisor], REQUEST_TIMEOUT_MS) : [];
    if (left.length) {
      io.err(`error: the supervisor (pid ${left[0].pid}) stopped its processes but did not exit`);
      return 1;
    }
    io.out('All GWCelery processes in this directory are stopped.');
    return 0;
  } catch (err) {
    if (!(err instanceof NotRunningError)) throw err;
  }
  if (supervisor) {
    // It runs but does not answer (its socket was removed?): SIGTERM asks it to stop the same way.
    io.err(
      `The supervisor (pid ${supervisor.pid}) does not answer on its socket: sending SIGTERM.`,
    );
    signal(supervisor.pid, 'SIGTERM');
    const left = await waitGone([supervisor], graceMs + REQUEST_TIMEOUT_MS);
    if (left.length) {
      io.err(`error: the supervisor (pid ${supervisor.pid}) did not exit`);
      return 1;
    }
    io.out('All GWCelery processes in this directory are stopped.');
    return 0;
  }
  const orphans = state.orphans();
  if (orphans.length === 0) {
    state.release();
    io.out('No GWCelery processes run in this directory.');
    return 0;
  }
  io.err(`The supervisor is gone; stopping the ${orphans.length} processes it left.`);
  // Each child leads its own process group: signal the group, as the supervisor would.
  for (const o of orphans) signal(-o.pid, 'SIGTERM');
  const outlived = await waitGone(orphans, graceMs);
  for (const o of outlived) signal(-o.pid, 'SIGKILL');
  const left = await waitGone(outlived, REQUEST_TIMEOUT_MS);
  for (const o of orphans) {
    const how = left.includes(o)
      ? 'still running'
      : outlived.includes(o)
        ? 'killed (SIGKILL after the grace time)'
        : 'stopped';
    io.out(`${o.name}: pid ${o.pid} ${how}`);
  }
  if (left.length) {
    io.err(`error: could not stop ${left.map((o) => `pid ${o.pid}`).join(', ')}`);
    return 1;
  }
  state.release();
  io.out('All GWCelery processes in this directory are stopped.');
  return 0;
}

export type { SupervisorReport };
export { ALREADY_RUNNING_MESSAGE };

/**
 * `gwcelery deploy reopen-logs` (logrotate's postrotate): SIGHUP to the supervisor, which
 * reopens its log and passes the signal to every process that writes its own. The pid comes
 * from the pid file and is checked against the process start time, so a stale file never sends
 * SIGHUP (deadly by default) to an unrelated process. No supervisor is not an error: logrotate
 * also runs while the deployment is down.
 */
export function deployReopenLogs(d: LocalDeployment, io: Output = stdio): number {
  const supervisor = new DeploymentState(d.cwd, d.config).liveSupervisor();
  if (!supervisor) {
    io.out('No GWCelery supervisor runs in this directory: no log to reopen.');
    return 0;
  }
  signal(supervisor.pid, 'SIGHUP');
  io.out(`Asked the supervisor (pid ${supervisor.pid}) and its processes to reopen their logs.`);
  return 0;
}
