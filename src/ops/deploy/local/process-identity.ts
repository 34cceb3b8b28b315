import { readFileSync } from 'node:fs';

/**
 * When a process started, as the kernel counts it (field 22 of /proc/<pid>/stat): with the pid,
 * it names one process for good, so that a pid reused by an unrelated program after a crash of
 * the supervisor is never signalled. Undefined when the process does not exist (or no /proc).
 */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** The state letter of /proc/<pid>/stat (R, S, D, Z, ...). */
function processState(pid: number): string | undefined {
  return statFields(pid)?.[0];
}

/** Fields 3 and on of /proc/<pid>/stat. */
function statFields(pid: number): string[] | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** A process we started, recorded so that a later command can find it again. */
export interface ProcessIdentity {
  pid: number;
  startTime?: string;
}

export function identify(pid: number): ProcessIdentity {
  const startTime = processStartTime(pid);
  return startTime === undefined ? { pid } : { pid, startTime };
}

/** Whether the recorded process is still the one running under that pid. */
export function isSameProcessAlive(id: ProcessIdentity): boolean {
  try {
    process.kill(id.pid, 0);
  } catch {
    // ESRCH: gone; EPERM: the pid now belongs to another user, so it is not ours either.
    return false;
  }
  if (processState(id.pid) === 'Z') return false;
  if (id.startTime === undefined) return true;
  return processStartTime(id.pid) === id.startTime;
}
