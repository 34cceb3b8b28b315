import { channel } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import * as Sentry from '@sentry/node';
import type { Config } from '../config/index.js';
import type { App, TaskEvent } from '../engine/index.js';
import { getLogger } from '../log/index.js';
import { type ErrorDetails, errorDetails } from './sentry/error-details.js';
import { htcondorJobId } from './sentry/htcondor-job-ad.js';
import { netrcEntry } from './sentry/netrc.js';

const log = getLogger('sentry');

const SUPEREVENT = /^[MT]?S\d{6}[a-z]+$/;
const EVENT = /^[GEHMTC]\d+$/;
/** Task ids whose subjects (superevent/event ids) this process saw being sent. */
const SUBJECT_MEMORY = 10_000;
/** pino publishes every line it writes on this channel (pino ≥ 9.10). */
const PINO_LINE_CHANNEL = 'tracing:pino_asJson:end';
const PINO_ERROR_LEVEL = 50;

export interface SentryHandle {
  /** Sends what is queued (before exit). */
  flush(timeoutMs?: number): Promise<boolean>;
  close(timeoutMs?: number): Promise<void>;
}

function projectVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The DSN: sentry_dsn, else built from the netrc login of sentry_netrc_host and
 * sentry_project_id (how the reference kept the key out of its configuration); undefined
 * disables Sentry.
 */
export function sentryDsn(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (config.sentry_dsn) return config.sentry_dsn;
  if (!config.sentry_netrc_host) return undefined;
  const entry = netrcEntry(config.sentry_netrc_host, env);
  if (!entry?.login || !config.sentry_project_id) {
    log.error(
      { host: config.sentry_netrc_host },
      'Sentry is disabled: no netrc login for sentry_netrc_host, or no sentry_project_id',
    );
    return undefined;
  }
  return `https://${entry.login}@${config.sentry_netrc_host}/${config.sentry_project_id}`;
}

/** superevent and graceid tags from the ids a task or a log line is about. */
function idTags(ids: Iterable<unknown>): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const id of ids) {
    if (typeof id !== 'string') continue;
    if (!tags.superevent && SUPEREVENT.test(id)) tags.superevent = id;
    else if (!tags.graceid && EVENT.test(id)) tags.graceid = id;
  }
  return tags;
}

function detailContexts(details: ErrorDetails): Record<string, Record<string, unknown>> {
  const contexts: Record<string, Record<string, unknown>> = {};
  if (details.http) {
    contexts.http_response = details.http;
    // The reference attached the body to the last breadcrumb: keep that place too.
    Sentry.addBreadcrumb({
      category: 'http',
      level: 'error',
      message:
        `HTTP ${details.http.status ?? '?'} ${details.http.operation ?? ''} ${details.http.subject ?? ''}`.trim(),
      data: details.http,
    });
  }
  if (details.subprocess) contexts.subprocess = details.subprocess;
  return contexts;
}

/** An Error carrying a remote failure's type, message and traceback, for Sentry to parse. */
function remoteError(type: string, message: string, stack?: string): Error {
  const error = new Error(message);
  error.name = type;
  error.stack = stack ?? `${type}: ${message}`;
  return error;
}

function splitError(text: string | undefined): { type: string; message: string } {
  const m = /^([A-Za-z_$][\w$]*): ([\s\S]*)$/.exec(text ?? '');
  return m ? { type: m[1], message: m[2] } : { type: 'Error', message: text ?? 'task failed' };
}

/**
 * Reports to Sentry when a DSN is configured (gwcelery-spec §8.2): every task failure of this
 * process's app (tags task_name, task_id, worker, superevent/graceid), every error logged
 * (with the task context of the line, HTTP answer bodies and subprocess output attached), with
 * environment `sentry_environment`, release `gwcelery-<version>` and the HTCondor job tag.
 * Returns undefined when Sentry is off.
 */
export function installSentry(options: {
  config: Config;
  app?: App;
  env?: NodeJS.ProcessEnv;
}): SentryHandle | undefined {
  const { config, app } = options;
  const dsn = sentryDsn(config, options.env);
  if (!dsn) return undefined;
  Sentry.initWithoutDefaultIntegrations({
    dsn,
    environment: config.sentry_environment,
    release: `gwcelery-${projectVersion()}`,
    enableRuntimeChannelInjection: false,
    integrations: [
      Sentry.onUncaughtExceptionIntegration(),
      Sentry.onUnhandledRejectionIntegration(),
      Sentry.linkedErrorsIntegration(),
      Sentry.nodeContextIntegration(),
      Sentry.dedupeIntegration(),
    ],
  });
  const job = htcondorJobId(options.env);
  if (job) Sentry.setTag('htcondor.cluster_id', job);

  const subjects = new Map<string, string[]>();
  let unsubscribe: (() => void) | undefined;
  if (app) {
    unsubscribe = app.events.subscribe((event: TaskEvent) => {
      if (event.type === 'task-sent' && event.subjects?.length) {
        subjects.set(event.id, event.subjects);
        if (subjects.size > SUBJECT_MEMORY) subjects.delete(subjects.keys().next().value!);
        return;
      }
      if (event.type !== 'task-failed') return;
      const { type, message } = splitError(event.error);
      Sentry.withScope((scope) => {
        scope.setTags({
          task_name: event.name,
          task_id: event.id,
          ...(event.worker ? { worker: event.worker } : {}),
          ...idTags(event.subjects ?? subjects.get(event.id) ?? []),
        });
        scope.setContext('task', {
          id: event.id,
          name: event.name,
          worker: event.worker,
          retries: event.retries,
          runtime_ms: event.runtimeMs,
        });
        scope.setFingerprint(['task-failed', event.name, type]);
        Sentry.captureException(remoteError(type, message, event.traceback));
      });
      subjects.delete(event.id);
    });
  }

  const onLine = (data: unknown): void => {
    try {
      const { result } = data as { result?: string };
      // Cheap test first: most lines are below error level.
      if (typeof result !== 'string' || !/"level":[5-9]\d/.test(result)) return;
      const line = JSON.parse(result) as Record<string, unknown>;
      const level = typeof line.level === 'number' ? line.level : 0;
      if (level < PINO_ERROR_LEVEL) return;
      // Task failures are reported from the task events, with the worker's name.
      if (app && line.component === 'worker' && /^task \S+ failed$/.test(String(line.msg))) return;
      const err = line.err as Record<string, unknown> | string | undefined;
      const tags: Record<string, string> = {
        ...(typeof line.component === 'string' ? { component: line.component } : {}),
        ...(typeof line.task_name === 'string' ? { task_name: line.task_name } : {}),
        ...(typeof line.task_id === 'string' ? { task_id: line.task_id } : {}),
        ...(typeof line.name === 'string' ? { worker: line.name } : {}),
        ...idTags([
          line.superevent,
          line.superevent_id,
          line.sid,
          line.graceid,
          line.uid,
          line.subject,
        ]),
      };
      Sentry.withScope((scope) => {
        scope.setTags(tags);
        for (const [name, context] of Object.entries(detailContexts(errorDetails(err)))) {
          scope.setContext(name, context);
        }
        const { level: _level, time, pid, hostname, err: _err, ...rest } = line;
        scope.setContext('log', rest);
        if (err && typeof err === 'object' && typeof err.message === 'string') {
          const error = remoteError(
            typeof err.type === 'string' ? err.type : 'Error',
            err.message,
            typeof err.stack === 'string' ? err.stack : undefined,
          );
          Sentry.captureException(error, { level: level >= 60 ? 'fatal' : 'error' });
        } else {
          const text =
            typeof err === 'string' ? `${String(line.msg)}: ${err}` : String(line.msg ?? 'error');
          Sentry.captureMessage(text, level >= 60 ? 'fatal' : 'error');
        }
      });
    } catch {
      // Reporting must never break logging.
    }
  };
  const lines = channel(PINO_LINE_CHANNEL);
  lines.subscribe(onLine);
  log.info({ environment: config.sentry_environment, htcondor: job }, 'reporting errors to Sentry');

  return {
    flush: (timeoutMs = 5000) => Sentry.flush(timeoutMs),
    async close(timeoutMs = 5000) {
      unsubscribe?.();
      lines.unsubscribe(onLine);
      await Sentry.close(timeoutMs);
    },
  };
}
