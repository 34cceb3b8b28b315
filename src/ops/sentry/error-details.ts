/**
 * What an error carries beyond its message that helps whoever triages it in Sentry: the body
 * of the HTTP answer (GraceDB explains its 400s there) and the output of a failed subprocess.
 * Works on live errors and on their pino-serialized form (own properties kept).
 */
export interface ErrorDetails {
  http?: { status?: number; operation?: string; subject?: string; body?: string };
  subprocess?: { command?: string; exitCode?: number | string; stdout?: string; stderr?: string };
}

const LIMIT = 8192;

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > LIMIT ? `${value.slice(0, LIMIT)}…` : value;
  if (value instanceof Uint8Array) return text(Buffer.from(value).toString('utf8'));
  return undefined;
}

export function errorDetails(error: unknown): ErrorDetails {
  if (!error || typeof error !== 'object') return {};
  const e = error as Record<string, unknown>;
  const details: ErrorDetails = {};
  const body = text(e.body) ?? text((e.response as Record<string, unknown> | undefined)?.body);
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (body !== undefined || status !== undefined) {
    details.http = {
      ...(status !== undefined ? { status } : {}),
      ...(typeof e.operation === 'string' ? { operation: e.operation } : {}),
      ...(typeof e.subject === 'string' ? { subject: e.subject } : {}),
      ...(body !== undefined ? { body } : {}),
    };
  }
  const stdout = text(e.stdout);
  const stderr = text(e.stderr);
  if (stdout !== undefined || stderr !== undefined) {
    details.subprocess = {
      ...(typeof e.cmd === 'string' ? { command: e.cmd } : {}),
      ...(typeof e.code === 'number' || typeof e.code === 'string' ? { exitCode: e.code } : {}),
      ...(stdout !== undefined ? { stdout } : {}),
      ...(stderr !== undefined ? { stderr } : {}),
    };
  }
  return details;
}
