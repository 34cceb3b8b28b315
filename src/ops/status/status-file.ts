import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { App } from '../../engine/index.js';
import { type InspectReport, inspect } from '../../engine/inspect.js';
import { getLogger } from '../../log/index.js';

const log = getLogger('ops.status');

export const STATUS_FILE_NAME = 'status.json';
export const STATUS_FORMAT = 'gwcelery-status/1';

/**
 * What a one-command pipeline (`gwcelery start --data DIR`) says about itself in
 * DIR/status.json, rewritten every `status_file_interval_s`: its workers with their subsystem
 * stats, its queues, and where its GraceDB is. `gwcelery nagios --data DIR` checks it without
 * reaching into the pipeline's process (the embedded broker lives there).
 */
const statusSchema = z.object({
  format: z.literal(STATUS_FORMAT),
  written_at: z.number(),
  stopped_at: z.number().nullable().optional(),
  pid: z.number(),
  hostname: z.string(),
  preset: z.string(),
  gracedb_url: z.string().nullable(),
  broker: z.object({
    kind: z.string(),
    reachable: z.boolean(),
    error: z.string().nullable(),
  }),
  inspect: z.object({
    workers: z.array(
      z
        .object({
          name: z.string(),
          online: z.boolean(),
          queues: z.array(z.string()),
          concurrency: z.number(),
          lastHeartbeat: z.number(),
          stats: z.record(z.string(), z.unknown()).optional(),
        })
        .passthrough(),
    ),
    queues: z.record(
      z.string(),
      z.object({ waiting: z.number(), active: z.number(), delayed: z.number() }).passthrough(),
    ),
    scheduled: z.array(z.unknown()),
  }),
});

export type PipelineStatus = z.output<typeof statusSchema>;

export class StatusFileError extends Error {
  override name = 'StatusFileError';
}

export function statusFilePath(dataDir: string): string {
  return join(dataDir, STATUS_FILE_NAME);
}

/** Reads and validates DIR/status.json; errors name the file and what is wrong. */
export function readStatusFile(dataDir: string): PipelineStatus {
  const path = statusFilePath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StatusFileError(
      code === 'ENOENT'
        ? `no status file at ${path}: no pipeline has run with --data ${dataDir}`
        : `cannot read ${path}: ${(err as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new StatusFileError(`${path} is not JSON: ${(err as Error).message}`);
  }
  const result = statusSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new StatusFileError(
      `${path} is not a gwcelery status file: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  return result.data;
}

export interface StatusFileOptions {
  app: App;
  dataDir: string;
  intervalMs: number;
  /** The GraceDB API URL the pipeline uses (its embedded service's, when it runs one). */
  gracedbUrl?: string;
}

export interface StatusFileWriter {
  /** Writes now (also done every interval). */
  write(): Promise<void>;
  /** Stops rewriting and records that the pipeline stopped. */
  close(): Promise<void>;
}

/** Keeps DIR/status.json fresh: written aside and renamed, so a reader never sees half. */
export function startStatusFile(options: StatusFileOptions): StatusFileWriter {
  const path = statusFilePath(options.dataDir);
  let writing: Promise<void> | undefined;
  const snapshot = async (stoppedAt?: number): Promise<PipelineStatus> => {
    let report: InspectReport = { workers: [], queues: {}, scheduled: [] };
    let reachable = true;
    let error: string | null = null;
    try {
      await options.app.broker.ping();
      report = await inspect(options.app);
    } catch (err) {
      reachable = false;
      error = (err as Error).message;
    }
    return {
      format: STATUS_FORMAT,
      written_at: Date.now(),
      stopped_at: stoppedAt ?? null,
      pid: process.pid,
      hostname: hostname(),
      preset: options.app.config.preset,
      gracedb_url: options.gracedbUrl ?? null,
      broker: { kind: options.app.broker.kind, reachable, error },
      inspect: report as unknown as PipelineStatus['inspect'],
    };
  };
  const write = async (stoppedAt?: number): Promise<void> => {
    while (writing) await writing;
    writing = (async () => {
      const status = await snapshot(stoppedAt);
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(status)}\n`, { mode: 0o644 });
      renameSync(tmp, path);
    })()
      .catch((err: unknown) =>
        log.warn({ err: (err as Error).message, path }, 'cannot write the status file'),
      )
      .finally(() => {
        writing = undefined;
      });
    await writing;
  };
  const timer = setInterval(() => void write(), options.intervalMs);
  timer.unref();
  void write();
  return {
    write: () => write(),
    close: async () => {
      clearInterval(timer);
      await write(Date.now());
    },
  };
}
