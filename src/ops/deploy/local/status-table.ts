import { relative } from 'node:path';
import type { ExitRecord } from './supervised-process.js';
import type { StopRecord, SupervisorReport } from './supervisor.js';

function duration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}

export function describeExit(exit: ExitRecord): string {
  if (exit.error) return `could not start: ${exit.error}`;
  const how = exit.code !== null ? `exit ${exit.code}` : `signal ${exit.signal}`;
  return exit.killed ? `${how} (SIGKILL after the grace time)` : how;
}

/** `gwcelery deploy status`: one line per process, the status letter where condor_q has it. */
export function statusTable(report: SupervisorReport, now = Date.now()): string {
  const rows = report.processes.map((p) => [
    p.name,
    p.status,
    p.pid === undefined ? '-' : String(p.pid),
    String(p.restarts),
    p.startedAt === undefined ? '-' : duration(now - p.startedAt),
    [
      p.lastExit ? `${describeExit(p.lastExit)}, ${duration(now - p.lastExit.at)} ago` : '',
      p.nextStartAt === undefined ? '' : `restart in ${duration(p.nextStartAt - now)}`,
    ]
      .filter(Boolean)
      .join('; ') || '-',
    relative(report.cwd, p.logFile.startsWith('/') ? p.logFile : `${report.cwd}/${p.logFile}`),
  ]);
  const header = ['NAME', 'ST', 'PID', 'RESTARTS', 'UPTIME', 'LAST EXIT', 'LOG'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const counts = ['R', 'I', 'H', 'X', 'C']
    .map((letter) => [letter, report.processes.filter((p) => p.status === letter).length] as const)
    .filter(([, n]) => n > 0)
    .map(([letter, n]) => `${n} ${letter}`)
    .join(', ');
  return [
    `Supervisor pid ${report.pid} in ${report.cwd}, up ${duration(now - report.startedAt)}` +
      `${report.stopping ? ', STOPPING' : ''}: ${report.processes.length} processes (${counts})`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}

/** `gwcelery deploy down`: how each process ended. */
export function stopSummary(stopped: StopRecord[]): string {
  return stopped
    .map((s) =>
      s.wasRunning && s.lastExit
        ? `${s.name}: ${describeExit(s.lastExit)}`
        : `${s.name}: was not running`,
    )
    .join('\n');
}
