import { z } from 'zod';
import { defineKeys } from '../define.js';

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const percent = z.number().min(0).max(100);

/** The nine queues of the reference deployment: the Nagios check wants a worker on each. */
const REFERENCE_QUEUES = [
  'celery',
  'exttrig',
  'em-bright',
  'highmem',
  'kafka',
  'multiprocessing',
  'openmp',
  'superevent',
  'voevent',
];

/** An operator account: scrypt hash from `gwcelery console hash-password`, and what it may do. */
const consoleUserSchema = z
  .object({
    password_hash: z
      .string()
      .regex(
        /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=_-]+\$[A-Za-z0-9+/=_-]+$/,
        "expected 'scrypt$N$r$p$salt$hash' from `gwcelery console hash-password`",
      ),
    role: z.enum(['operator', 'read-only']).default('operator'),
  })
  .strict();

export type ConsoleUser = z.output<typeof consoleUserSchema>;

/** Keys of operations: the console, the Nagios check, the status file, Sentry and health. */
export const opsKeys = defineKeys({
  console_bind: {
    schema: z.string().min(1),
    default: '127.0.0.1',
    description:
      'Address the console listens on (keep it on loopback behind a reverse proxy in production)',
  },
  console_port: {
    schema: z.number().int().min(0).max(65535),
    default: 5556,
    description: 'Port of the console (the reference dashboard used 5556); 0: any free port',
  },
  console_url_prefix: {
    schema: z.string().regex(/^(|\/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-])$/, "expected '' or '/path'"),
    default: '',
    description: "Path the reverse proxy serves the console under, e.g. '/gwcelery' ('' at /)",
  },
  console_users: {
    schema: z.record(z.string().regex(/^[A-Za-z0-9._@-]+$/), consoleUserSchema),
    default: {},
    description:
      'Console accounts: {"name": {"password_hash": "scrypt$...", "role": "operator"|"read-only"}}',
    secret: true,
  },
  console_secret: {
    schema: z.string(),
    default: '',
    description:
      'Key that signs session cookies and CSRF tokens (empty: a random key kept in <data_dir>/console-secret, or per process without data_dir)',
    secret: true,
  },
  console_session_hours: {
    schema: positive,
    default: 12,
    description: 'Hours an operator stays logged in',
  },
  console_proxy_user_header: {
    schema: z.string().regex(/^(|[A-Za-z0-9-]+)$/),
    default: '',
    description:
      "Trust this request header as the logged-in user, set by an authenticating reverse proxy ('' off; the reference used X-Proxy-Remote-User). Only safe when the console is reachable through the proxy alone",
    presets: { production: 'X-Proxy-Remote-User', playground: 'X-Proxy-Remote-User' },
  },
  console_proxy_role: {
    schema: z.enum(['operator', 'read-only']),
    default: 'operator',
    description:
      'Role of a user authenticated by the proxy header who is not listed in console_users',
  },
  console_gracedb_timeout_s: {
    schema: positive,
    default: 10,
    description:
      'Seconds one GraceDB request of the console may take: pages and form checks fail fast instead of hanging',
  },
  console_typeahead_cache_s: {
    schema: nonNegative,
    default: 30,
    description: 'Seconds a typeahead answer is cached per query string (0: not cached)',
  },
  console_circular_timeout_s: {
    schema: positive,
    default: 60,
    description: 'Seconds the circular forms wait for the circular task to answer',
  },
  views_manual_preferred_event_log_message: {
    schema: z.string().includes('{}'),
    default: 'User {} queued a preferred event change to {}.',
    description:
      "Superevent log text of the 'Change Preferred Event' form: the first {} is the user, the second the event",
  },
  status_file_interval_s: {
    schema: positive,
    default: 5,
    description:
      'Seconds between rewrites of <data_dir>/status.json by the one-command pipeline (read by `gwcelery nagios --data`)',
    presets: { test: 0.5 },
  },
  nagios_status_stale_s: {
    schema: positive,
    default: 30,
    description: '`gwcelery nagios --data`: the status file is stale (CRITICAL) after this long',
    presets: { test: 3 },
  },
  nagios_expected_queues: {
    schema: z.array(z.string().min(1)),
    default: REFERENCE_QUEUES,
    description: 'Queues that must each be served by an online worker',
  },
  nagios_celery_queue_max: {
    schema: z.number().int().nonnegative(),
    default: 50,
    description: "Tasks waiting on the 'celery' queue above which the check says they pile up",
  },
  nagios_check_mdc: {
    schema: z.boolean(),
    default: true,
    description:
      'Require a recent MDC superevent (the hourly mock events prove the whole chain works)',
  },
  nagios_mdc_lookback_s: {
    schema: positive,
    default: 6 * 3600,
    description: 'How far back the check looks for MDC superevents',
  },
  nagios_mdc_max_age_s: {
    schema: positive,
    default: 3600 + 600,
    description: 'The newest MDC superevent must be younger than this',
  },
  nagios_frame_max_age_s: {
    schema: positive,
    default: 600,
    description: 'The newest low-latency frame of H1 and of L1 must be younger than this',
  },
  llhoft_glob: {
    schema: z.string().includes('{detector}'),
    default: '/dev/shm/kafka/{detector}_O3ReplayMDC/*.gwf',
    description:
      "Low-latency h(t) frame files per detector ('{detector}' is H1, L1, ...; '*' only in the file name)",
    presets: {
      production: '/dev/shm/kafka/{detector}/*.gwf',
      test: '/dev/shm/kafka/{detector}/*.gwf',
    },
  },
  health_disk_warn_percent: {
    schema: percent,
    default: 80,
    description: 'Disk use of the data directory (percent) shown as a warning',
  },
  health_disk_critical_percent: {
    schema: percent,
    default: 90,
    description: 'Disk use of the data directory (percent) shown as critical',
  },
  health_redis_memory_warn_mb: {
    schema: nonNegative,
    default: 4096,
    description: 'Redis used memory (MiB) shown as a warning (0: no threshold)',
  },
  health_redis_memory_critical_mb: {
    schema: nonNegative,
    default: 8192,
    description: 'Redis used memory (MiB) shown as critical (0: no threshold)',
  },
  sentry_dsn: {
    schema: z.string().regex(/^(|https?:\/\/[^@\s]+@[^/\s]+\/.*\d)$/, 'expected a Sentry DSN URL'),
    default: '',
    description:
      "Sentry DSN (https://<key>@<host>/<project>); '' disables Sentry. Also read from the netrc entry of sentry_netrc_host when empty",
    secret: true,
  },
  sentry_netrc_host: {
    schema: z.string(),
    default: '',
    description:
      "Host whose ~/.netrc (or $NETRC) login is the Sentry key, as the reference did ('' off); sentry_project_id completes the DSN",
  },
  sentry_project_id: {
    schema: z.string().regex(/^(|\d+)$/),
    default: '',
    description: 'Sentry project id used with sentry_netrc_host',
  },
  sentry_environment: {
    schema: z.string(),
    default: 'dev',
    description: 'Sentry environment of every report',
    presets: {
      development: 'dev',
      test: 'test',
      playground: 'playground',
      production: 'production',
    },
  },
});
