import { z } from 'zod';
import { defineKeys } from '../define.js';

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const nonNegativeInt = z.number().int().nonnegative();
/** `user:token` (or a bare token), several separated by commas or whitespace; or nothing. */
const TOKEN_LIST = /^$|^[^\s,:]+(:[^\s,]+)?([\s,]+[^\s,:]+(:[^\s,]+)?)*$/;

/**
 * Keys of the GraceDB client (how the pipeline talks to GraceDB) and of the embedded
 * GraceDB-compatible service (what runs when there is no real GraceDB). Names follow
 * gwcelery's where gwcelery has the key (gracedb_host, igwn_alert_group, expose_to_public).
 */
export const gracedbKeys = defineKeys({
  gracedb_host: {
    schema: z.string().min(1),
    default: 'http://127.0.0.1:8000/api/',
    description:
      "GraceDB server: a host name (the API is https://<host>/api/) or a full API URL such as 'http://127.0.0.1:8000/api/' (the embedded service)",
    presets: {
      production: 'gracedb.ligo.org',
      playground: 'gracedb-playground.ligo.org',
      test: 'gracedb-test.ligo.org',
    },
  },
  expose_to_public: {
    schema: z.boolean(),
    default: false,
    description:
      'Make superevents public on GraceDB when alerts go out (expose is a no-op when false)',
    presets: { production: true },
  },
  gracedb_token: {
    schema: z.string(),
    default: '',
    description: 'Bearer token the client sends (SciToken); empty: use gracedb_token_file or TLS',
    secret: true,
    presets: { development: 'gwcelery-development' },
  },
  gracedb_token_file: {
    schema: z.string(),
    default: '',
    description:
      'File holding the bearer token, re-read when it changes (e.g. $BEARER_TOKEN_FILE kept fresh by htgettoken)',
  },
  gracedb_tls_cert: {
    schema: z.string(),
    default: '',
    description: 'PEM client certificate (X.509) for GraceDB, used when no bearer token is set',
  },
  gracedb_tls_key: {
    schema: z.string(),
    default: '',
    description: 'PEM private key of gracedb_tls_cert (may be the same file)',
  },
  gracedb_tls_ca: {
    schema: z.string(),
    default: '',
    description: 'PEM CA bundle to verify the GraceDB server with (empty: the system roots)',
  },
  gracedb_timeout_s: {
    schema: positive,
    default: 60,
    description:
      'Seconds one GraceDB request may take (connect, send, answer) before it is retried',
    presets: { test: 10 },
  },
  gracedb_retry_base_s: {
    schema: positive,
    default: 20,
    description:
      'First retry delay of a GraceDB request that failed transiently; doubles on each retry',
    presets: { test: 0.01 },
  },
  gracedb_retry_max: {
    schema: nonNegativeInt,
    default: 10,
    description:
      'Retries of a GraceDB request after connection errors, timeouts, 408, 409, 429 and 5xx',
  },
  gracedb_retry_max_delay_s: {
    schema: positive,
    default: 600,
    description: 'Longest single retry delay (a Retry-After header may ask for more; it wins)',
    presets: { test: 0.5 },
  },
  gracedb_retry_jitter: {
    schema: z.boolean(),
    default: true,
    description:
      'Randomise retry delays (up to the computed delay) so that clients do not stampede',
    presets: { test: false },
  },
  gracedb_max_connections: {
    schema: z.number().int().positive(),
    default: 16,
    description: 'Keep-alive connections the client holds open to GraceDB',
  },
  gracedb_service_bind: {
    schema: z.string().min(1),
    default: '127.0.0.1',
    description: 'Address the embedded GraceDB service listens on',
  },
  gracedb_service_port: {
    schema: z.number().int().min(0).max(65535),
    default: 8000,
    description: 'Port of the embedded GraceDB service (0: any free port)',
    presets: { test: 0 },
  },
  gracedb_service_data_dir: {
    schema: z.string(),
    default: '',
    description:
      "Directory of the embedded service's SQLite database and file store (empty: <data_dir>/gracedb)",
  },
  gracedb_service_public_url: {
    schema: z.string(),
    default: '',
    description:
      "API URL the service writes into links and notifications (empty: http://<bind>:<port>/api/); must equal the clients' gracedb_host",
  },
  gracedb_service_tokens: {
    schema: z
      .string()
      .regex(TOKEN_LIST, "expected 'user:token' items separated by commas or spaces"),
    default: '',
    description:
      "Users allowed to write to the embedded service and their bearer tokens: 'user:token[,user:token...]'",
    secret: true,
    presets: { development: 'gwcelery:gwcelery-development' },
  },
  gracedb_service_write_rate_per_s: {
    schema: nonNegative,
    default: 10,
    description:
      'Per-user event creations and annotations per second before the service answers 429 (0: no limit)',
    presets: { test: 0 },
  },
  gracedb_service_anonymous_rate_per_min: {
    schema: nonNegative,
    default: 300,
    description: 'Unauthenticated requests per minute and address before 429 (0: no limit)',
    presets: { test: 0 },
  },
  gracedb_service_anonymous_full_read: {
    schema: z.boolean(),
    default: false,
    description:
      'Let unauthenticated clients read everything, not only exposed superevents (one-machine development)',
    presets: { development: true },
  },
  gracedb_service_body_limit_mb: {
    schema: positive,
    default: 256,
    description: 'Largest request body (uploaded file plus form) the service accepts, in MiB',
  },
  gracedb_service_publish_wait_s: {
    schema: nonNegative,
    default: 5,
    description:
      'Seconds a write waits for its notifications to reach the bus before answering (they are kept and retried either way)',
  },
  gracedb_service_extra_labels: {
    schema: z.array(z.string().regex(/^[A-Za-z0-9_]+$/)),
    default: [],
    description: 'Label names the service accepts in addition to the built-in GraceDB vocabulary',
  },
});
