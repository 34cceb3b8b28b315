import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { gunzipSync, inflateSync } from 'node:zlib';
import { getLogger } from '../log/index.js';
import { GraceDbError } from './errors.js';
import type { EncodedBody } from './multipart.js';

/**
 * HTTP to GraceDB: a keep-alive connection pool, credentials, a per-call timeout, and retries
 * of what is transient (connection errors, timeouts, 408, 409, 429, 5xx) with exponential
 * back-off that honours Retry-After.
 */

export interface RetryPolicy {
  /** First delay; doubles with each retry. */
  baseMs: number;
  /** Retries after the first attempt. */
  max: number;
  /** Largest computed delay (a Retry-After header may ask for more and gets it). */
  maxDelayMs: number;
  /** Randomise each delay between half and all of it. */
  jitter: boolean;
}

export interface TransportOptions {
  /** API root, ending in `/api/`. */
  url: string;
  token?: string;
  /** Re-read whenever it changes (tokens are renewed by another process). */
  tokenFile?: string;
  /** PEM client certificate, key and CA bundle (paths). */
  cert?: string;
  key?: string;
  ca?: string;
  timeoutMs: number;
  retry: RetryPolicy;
  maxConnections: number;
  userAgent?: string;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the API root, or an absolute URL (pagination links). */
  path: string;
  body?: EncodedBody;
  /** Answers the operation counts as final (success or accepted failure); never retried. */
  accept?: (response: HttpResponse) => boolean;
}

/** What an operation is, for error messages: `create_label`, `ADVOK on S230101a`. */
export interface OperationLabel {
  operation: string;
  subject: string;
}

const RETRYABLE_STATUS = (status: number) =>
  status === 408 || status === 409 || status === 429 || status >= 500;
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

class TimeoutError extends Error {
  override name = 'TimeoutError';
  code = 'ETIMEDOUT';
}

export function responseText(response: HttpResponse): string {
  return response.body.toString('utf8');
}

/** The body as JSON, or undefined when it is not JSON. */
export function responseJson(response: HttpResponse): unknown {
  try {
    return JSON.parse(responseText(response));
  } catch {
    return undefined;
  }
}

/** Seconds or an HTTP date → milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(
  header: string | string[] | undefined,
  now = Date.now(),
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The delay before retry number `attempt` (0-based). */
export function backoffMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfter?: number,
  random = Math.random,
): number {
  let delay = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** attempt);
  if (policy.jitter) delay = delay / 2 + (random() * delay) / 2;
  return retryAfter === undefined ? delay : Math.max(delay, retryAfter);
}

export class HttpTransport {
  readonly url: string;
  readonly #agent: http.Agent;
  readonly #log = getLogger('gracedb.client');
  #tokenCache: { mtimeMs: number; token: string } | undefined;

  constructor(private readonly options: TransportOptions) {
    this.url = options.url.endsWith('/') ? options.url : `${options.url}/`;
    const secure = this.url.startsWith('https:');
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxConnections,
      maxFreeSockets: options.maxConnections,
    };
    this.#agent = secure
      ? new https.Agent({
          ...agentOptions,
          cert: options.cert ? readFileSync(options.cert) : undefined,
          key: options.key
            ? readFileSync(options.key)
            : options.cert
              ? readFileSync(options.cert)
              : undefined,
          ca: options.ca ? readFileSync(options.ca) : undefined,
        })
      : new http.Agent(agentOptions);
  }

  close(): void {
    this.#agent.destroy();
  }

  #token(): string | undefined {
    if (this.options.token) return this.options.token;
    const file = this.options.tokenFile;
    if (!file) return undefined;
    const mtimeMs = statSync(file).mtimeMs;
    if (this.#tokenCache?.mtimeMs !== mtimeMs) {
      this.#tokenCache = { mtimeMs, token: readFileSync(file, 'utf8').trim() };
    }
    return this.#tokenCache.token;
  }

  /** One HTTP exchange, no retries. */
  #send(spec: RequestSpec): Promise<HttpResponse> {
    const url = new URL(spec.path, this.url);
    const headers: http.OutgoingHttpHeaders = {
      'User-Agent': this.options.userAgent ?? 'gwcelery-ts',
      Accept: 'application/json, */*',
      'Accept-Encoding': 'gzip, deflate',
    };
    const token = this.#token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (spec.body) {
      headers['Content-Type'] = spec.body.contentType;
      headers['Content-Length'] = spec.body.data.byteLength;
    } else if (spec.method !== 'GET' && spec.method !== 'DELETE') {
      headers['Content-Length'] = 0;
    }
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise<HttpResponse>((resolve, reject) => {
      const request = lib.request(
        url,
        { method: spec.method, headers, agent: this.#agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            clearTimeout(timer);
            let body = Buffer.concat(chunks);
            try {
              const encoding = response.headers['content-encoding'];
              if (encoding === 'gzip') body = gunzipSync(body);
              else if (encoding === 'deflate') body = inflateSync(body);
            } catch (err) {
              reject(err);
              return;
            }
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
          });
        },
      );
      const timer = setTimeout(() => {
        request.destroy(new TimeoutError(`no complete answer within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      request.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      request.end(spec.body?.data);
    });
  }

  /**
   * Sends a request, retrying what is transient. Resolves with the final answer: a 2xx, an
   * answer `accept` takes, or throws GraceDbError for anything else.
   */
  async request(label: OperationLabel, spec: RequestSpec): Promise<HttpResponse> {
    const { retry } = this.options;
    for (let attempt = 0; ; attempt++) {
      let response: HttpResponse | undefined;
      let failure: string;
      let cause: unknown;
      try {
        response = await this.#send(spec);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const transient =
          err instanceof TimeoutError ||
          (code !== undefined && RETRYABLE_CODES.has(code)) ||
          /socket hang up/.test((err as Error).message);
        if (!transient) {
          throw new GraceDbError(
            label.operation,
            label.subject,
            (err as Error).message,
            undefined,
            undefined,
            { cause: err },
          );
        }
        failure = `${(err as Error).message}${code ? ` (${code})` : ''}`;
        cause = err;
      }
      if (response) {
        if ((response.status >= 200 && response.status < 300) || spec.accept?.(response))
          return response;
        const text = responseText(response);
        failure = `HTTP ${response.status} ${text.slice(0, 500)}`;
        if (!RETRYABLE_STATUS(response.status)) {
          throw new GraceDbError(label.operation, label.subject, failure, response.status, text);
        }
      }
      if (attempt >= retry.max) {
        throw new GraceDbError(
          label.operation,
          label.subject,
          `${failure!} (gave up after ${attempt + 1} attempts)`,
          response?.status,
          response ? responseText(response) : undefined,
          { cause },
        );
      }
      const delay = backoffMs(
        retry,
        attempt,
        response ? retryAfterMs(response.headers['retry-after']) : undefined,
      );
      this.#log.warn(
        {
          operation: label.operation,
          subject: label.subject,
          attempt: attempt + 1,
          delayMs: Math.round(delay),
        },
        `${label.operation} ${label.subject}: ${failure!}; retrying`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
