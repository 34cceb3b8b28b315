import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '../../../src/log/index.js';

export interface CapturedLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A logger whose lines the test can read back, to assert the exact texts operators see. */
export function captureLogs(): {
  log: Logger;
  lines: CapturedLine[];
  messages: (level?: number) => string[];
} {
  const lines: CapturedLine[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const log = pino({ level: 'debug' }, stream);
  return {
    log,
    lines,
    messages: (level?: number) =>
      lines.filter((l) => level === undefined || l.level === level).map((l) => l.msg),
  };
}

export const WARN = 40;
export const ERROR = 50;
