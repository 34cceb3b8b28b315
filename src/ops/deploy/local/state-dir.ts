import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../../../config/index.js';
import { identify, isSameProcessAlive, type ProcessIdentity } from './process-identity.js';
import type { RegisteredProcess } from './supervisor.js';

/** Linux's limit on a Unix socket path (sun_path holds 108 bytes with the final NUL). */
const MAX_SOCKET_PATH = 107;

/**
 * The files through which the commands find the supervisor of a deployment directory: its pid
 * file, its control socket, the registry of the processes it runs (so that `down` can still stop
 * them if the supervisor itself was killed), and the output of the daemon before its log opens.
 */
export class DeploymentState {
  readonly dir: string;

  constructor(cwd: string, config: Config) {
    this.dir = resolve(cwd, config.deploy_state_dir);
  }

  get pidFile(): string {
    return join(this.dir, 'supervisor.pid');
  }
  get socketPath(): string {
    return join(this.dir, 'supervisor.sock');
  }
  get registryFile(): string {
    return join(this.dir, 'supervisor-children.json');
  }
  get daemonOutput(): string {
    return join(this.dir, 'supervisor.out');
  }

  checkSocketPath(): void {
    if (Buffer.byteLength(this.socketPath) > MAX_SOCKET_PATH) {
      throw new Error(
        `the control socket path ${this.socketPath} is longer than ${MAX_SOCKET_PATH} bytes: ` +
          'set deploy_state_dir to a shorter directory',
      );
    }
  }

  /** The supervisor recorded in the pid file, if that process still runs. */
  liveSupervisor(): ProcessIdentity | undefined {
    const recorded = readPidFile(this.pidFile);
    return recorded && isSameProcessAlive(recorded) ? recorded : undefined;
  }

  /** Processes a previous supervisor started that still run (it was killed without stopping them). */
  orphans(): RegisteredProcess[] {
    return (readJson<RegisteredProcess[]>(this.registryFile) ?? []).filter(isSameProcessAlive);
  }

  /**
   * Claims the directory for this process. The pid file appears whole or not at all (a link to
   * a complete file, which fails if one exists), so two supervisors started at the same moment
   * agree on one winner; a pid file left by a dead supervisor is replaced.
   */
  claim(): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.pidFile}.${process.pid}.tmp`;
    const me = identify(process.pid);
    // The pid alone on the first line, as logrotate's `kill -HUP $(head -n 1 ...)` wants it.
    writeFileSync(tmp, `${me.pid}\n${me.startTime ?? ''}\n`);
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          linkSync(tmp, this.pidFile);
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          const holder = this.liveSupervisor();
          if (holder) {
            throw new Error(`a supervisor (pid ${holder.pid}) already runs in this directory`);
          }
          rmSync(this.pidFile, { force: true });
        }
      }
      throw new Error(`cannot create ${this.pidFile}: another supervisor keeps claiming it`);
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  writeRegistry(running: RegisteredProcess[]): void {
    const tmp = `${this.registryFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(running));
    renameSync(tmp, this.registryFile);
  }

  /** Removes what a supervisor leaves behind when it stops cleanly. */
  release(): void {
    rmSync(this.socketPath, { force: true });
    rmSync(this.registryFile, { force: true });
    rmSync(this.pidFile, { force: true });
  }
}

function readPidFile(path: string): ProcessIdentity | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, startTime] = text.split('\n');
  if (!/^\d+$/.test(pid ?? '')) return undefined;
  return startTime ? { pid: Number(pid), startTime } : { pid: Number(pid) };
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
