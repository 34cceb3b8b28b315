import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** A log line that mentions what was searched for. */
export interface LogMatch {
  file: string;
  line: string;
  /** Parsed when the line is a JSON log record (pino). */
  record?: Record<string, unknown>;
  /** Milliseconds since the epoch, from the record's `time`; undefined for other lines. */
  time?: number;
}

/** Live logs and logrotate's archives of them (`x.log`, `x.log-20261128`, `x.log-20261128.gz`). */
const LOG_FILE = /\.log(?:[-.]\d+)?(?:\.gz)?$/;

export function logFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new Error(`cannot read the log directory ${dir}: ${(err as Error).message}`);
  }
  return names
    .filter((n) => LOG_FILE.test(n))
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile())
    .sort();
}

async function searchFile(path: string, needle: string, out: LogMatch[]): Promise<void> {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) {
      // A substring test first: the general worker's log runs to a gigabyte.
      if (!line.includes(needle)) continue;
      const match: LogMatch = { file: path, line };
      try {
        const record = JSON.parse(line) as Record<string, unknown>;
        if (record && typeof record === 'object') {
          match.record = record;
          const time = Date.parse(String(record.time));
          if (!Number.isNaN(time)) match.time = time;
        }
      } catch {
        // not a JSON record (a crash trace on stderr, another program's log): kept as text
      }
      out.push(match);
    }
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/**
 * Every line of every log in `dir` that mentions `needle` (a task id: each line a task logs
 * carries it), in time order across files; lines without a time keep their file order, last.
 */
export async function searchLogs(dir: string, needle: string): Promise<LogMatch[]> {
  const out: LogMatch[] = [];
  for (const file of logFiles(dir)) await searchFile(file, needle, out);
  return out
    .map((m, i) => ({ m, i }))
    .sort(
      (a, b) =>
        (a.m.time ?? Number.POSITIVE_INFINITY) - (b.m.time ?? Number.POSITIVE_INFINITY) ||
        a.i - b.i,
    )
    .map(({ m }) => m);
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const SHOWN = new Set(['time', 'level', 'name', 'pid', 'msg', 'hostname']);

/** One match as an operator reads it: time, process, level, message, then the other fields. */
export function formatMatch(m: LogMatch, fileLabel: string): string {
  if (!m.record) return `${fileLabel}: ${m.line}`;
  const r = m.record;
  const extra = Object.fromEntries(Object.entries(r).filter(([k]) => !SHOWN.has(k)));
  return [
    String(r.time ?? '-'),
    String(r.name ?? fileLabel),
    LEVELS[Number(r.level)] ?? String(r.level ?? '-'),
    String(r.msg ?? ''),
    Object.keys(extra).length ? JSON.stringify(extra) : '',
  ]
    .filter(Boolean)
    .join('  ');
}
