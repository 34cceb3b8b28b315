import { z } from 'zod';
import { defineKeys } from '../define.js';

/**
 * Placeholders a process's arguments and log file may use. They are filled in where the process
 * starts: `{host}` is the machine it runs on, which for an HTCondor job on a cluster node is only
 * known there (the submit helper fills it in), so it is not allowed in environment values.
 */
export const PROCESS_PLACEHOLDERS = ['name', 'instance', 'host', 'log_dir', 'log_file'] as const;
const ENV_PLACEHOLDERS = ['name', 'instance', 'log_dir', 'log_file'];

/** `{identifier}` is a placeholder; other braces (`{}`, JSON) are literal text. */
export const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** HTCondor settings of one process (gwcelery-spec §2.2); the local back end ignores them. */
const condorJobSchema = z
  .object({
    /** `local` runs on the submit host; `vanilla` on a cluster node matched by `requirements`. */
    universe: z.enum(['local', 'vanilla']).default('local'),
    request_cpus: z.union([z.number().int().positive(), z.string().min(1)]).optional(),
    request_memory: z.string().min(1).optional(),
    request_disk: z.string().min(1).optional(),
    requirements: z.string().min(1).optional(),
    /** Custom job attributes, written `+Name = value` (ClassAd expressions, not quoted). */
    attributes: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
    /**
     * Start through `gwcelery-condor-submit-helper`, which points the broker URL at the submit
     * host and fills in `{host}`: needed by every job that runs away from the submit host.
     */
    submit_helper: z.boolean().optional(),
  })
  .strict();

/** One process of the deployment, or `instances` identical ones (the OpenMP workers). */
export const deployProcessSchema = z
  .object({
    /** Unique; instances are named `<name>-0`, `<name>-1`, ... */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only'),
    /** Arguments of the `gwcelery` command (`worker -Q celery ...`). */
    args: z.array(z.string()).min(1),
    /** Where the process writes its log; also what `{log_file}` in args becomes. */
    log_file: z.string().min(1),
    instances: z.number().int().nonnegative().default(1),
    /** Extra environment; a null value removes the variable. */
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().nullable()).default({}),
    /** 'always' (HTCondor's on_exit_remove = false) or 'on-failure' (a clean exit is final). */
    restart: z.enum(['always', 'on-failure']).default('always'),
    condor: condorJobSchema.default({ universe: 'local', attributes: {} }),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const fields: [string, string][] = [
      ...spec.args.map((a, i): [string, string] => [`args.${i}`, a]),
      ['log_file', spec.log_file],
    ];
    for (const [field, text] of fields) {
      for (const p of placeholdersIn(text)) {
        if (
          !(PROCESS_PLACEHOLDERS as readonly string[]).includes(p) ||
          (p === 'log_file' && field === 'log_file')
        ) {
          ctx.addIssue({
            code: 'custom',
            path: field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
            message: `process '${spec.name}': unknown placeholder {${p}} (use ${PROCESS_PLACEHOLDERS.filter(
              (x) => field !== 'log_file' || x !== 'log_file',
            )
              .map((x) => `{${x}}`)
              .join(' ')})`,
          });
        }
      }
    }
    for (const [key, value] of Object.entries(spec.env)) {
      for (const p of placeholdersIn(value ?? '')) {
        if (!ENV_PLACEHOLDERS.includes(p)) {
          ctx.addIssue({
            code: 'custom',
            path: ['env', key],
            message: `process '${spec.name}': placeholder {${p}} is not available in environment values`,
          });
        }
      }
    }
  });

export type DeployProcess = z.output<typeof deployProcessSchema>;

const worker = (
  kind: string,
  queueArgs: string[],
  condor?: z.input<typeof condorJobSchema>,
  instances = 1,
): z.input<typeof deployProcessSchema> => ({
  name: `gwcelery-${kind}`,
  args: ['worker', '-l', 'info', '-n', '{name}@{host}', '-f', '{log_file}', ...queueArgs],
  log_file: '{log_dir}/{name}@{host}.log',
  ...(instances === 1 ? {} : { instances }),
  ...(condor ? { condor } : {}),
});

/** Cluster nodes reserved for low latency (the reference's Online_EMFollow slots). */
const EMFOLLOW_NODE = {
  universe: 'vanilla',
  request_cpus: 'TARGET.Cpus',
  requirements: '(TARGET.Online_EMFollow =?= True)',
  attributes: { Online_EMFollow: 'True' },
} as const;

/**
 * The process set of the reference deployment (gwcelery-spec §2.2) on this system: the
 * console replaces both Flask and Flower, so 25 jobs rather than 26.
 */
export const DEFAULT_DEPLOY_PROCESSES: z.input<typeof deployProcessSchema>[] = [
  {
    name: 'gwcelery-beat',
    args: ['beat', '-f', '{log_file}'],
    log_file: '{log_dir}/gwcelery-beat.log',
  },
  // Listens on console_bind:console_port (127.0.0.1:5556, behind the reverse proxy).
  {
    name: 'gwcelery-console',
    args: ['console', '-f', '{log_file}'],
    log_file: '{log_dir}/gwcelery-console.log',
  },
  worker('worker', ['-Q', 'celery', '-c', '32', '--igwn-alert']),
  worker('exttrig-worker', ['-Q', 'exttrig', '-c', '1']),
  worker('superevent-worker', ['-Q', 'superevent', '-c', '1']),
  worker('voevent-worker', ['-Q', 'voevent', '-c', '1']),
  worker('kafka-worker', ['-Q', 'kafka', '-c', '1']),
  worker('em-bright-worker', ['-Q', 'em-bright', '-c', '2']),
  worker('highmem-worker', ['-Q', 'highmem', '-c', '2']),
  worker('multiprocessing-worker', ['-Q', 'multiprocessing', '-c', '1'], {
    ...EMFOLLOW_NODE,
    request_memory: '16GB',
  }),
  worker(
    'openmp-worker',
    ['-Q', 'openmp', '-c', '1'],
    { ...EMFOLLOW_NODE, request_memory: '8GB' },
    15,
  ),
];

const processList = z.array(deployProcessSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  for (const [i, spec] of list.entries()) {
    if (seen.has(spec.name)) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'name'],
        message: `process name '${spec.name}' is used twice`,
      });
    }
    seen.add(spec.name);
  }
});

const commandSchema = z.array(z.string().min(1));
const positive = z.number().positive();

/** Keys of deployment: the process manifest, the HTCondor and the local back ends. */
export const deployKeys = defineKeys({
  deploy_processes: {
    schema: processList,
    default: processList.parse(DEFAULT_DEPLOY_PROCESSES),
    description:
      'The processes of a deployment (beat, console, workers per queue) with arguments, log file, environment and HTCondor requirements; used by `gwcelery condor` and `gwcelery deploy`',
  },
  deploy_instances: {
    schema: z.record(z.string(), z.number().int().nonnegative()),
    default: {},
    description:
      'Per-process instance counts overriding deploy_processes, by name ({"gwcelery-openmp-worker": 2}; 0 leaves a process out)',
  },
  deploy_state_dir: {
    schema: z.string().min(1),
    default: '.local/state',
    description:
      'Deployment state (submit description, supervisor pid file and control socket), relative to the deployment directory',
  },
  deploy_log_dir: {
    schema: z.string().min(1),
    default: '.local/state/log',
    description:
      'Log directory of the deployed processes ({log_dir}), relative to the deployment directory',
  },
  deploy_command: {
    schema: commandSchema,
    default: [],
    description:
      'How deployed processes run gwcelery ([] = this installation: the node binary and bin/gwcelery.js by absolute path)',
  },
  deploy_submit_helper_command: {
    schema: commandSchema,
    default: [],
    description:
      'How HTCondor jobs on cluster nodes run the submit helper ([] = this installation: bin/gwcelery-condor-submit-helper.js)',
  },
  deploy_hostname: {
    schema: z.string(),
    default: '',
    description:
      "This host's name as {host} in process names and log files ('' = the system host name)",
  },
  deploy_stop_grace_s: {
    schema: positive,
    default: 75,
    description:
      'Seconds the local supervisor waits after SIGTERM before SIGKILL (longer than worker_shutdown_grace_s, so running tasks finish)',
    presets: { test: 8 },
  },
  deploy_restart_backoff_s: {
    schema: positive,
    default: 1,
    description:
      'Seconds before the first restart of a crashed process; doubles with each crash in a row',
    presets: { test: 0.2 },
  },
  deploy_restart_backoff_max_s: {
    schema: positive,
    default: 60,
    description: 'Longest wait before restarting a crashed process',
    presets: { test: 2 },
  },
  deploy_stable_after_s: {
    schema: positive,
    default: 60,
    description:
      'A process that ran this long before it crashed is restarted after the shortest wait again',
    presets: { test: 3 },
  },
  condor_accounting_group: {
    schema: z.string().min(1),
    default: 'ligo.dev.o4.cbc.pe.bayestar',
    description:
      'HTCondor accounting group of the deployment jobs (condor_submit accounting_group=...)',
    presets: { production: 'ligo.prod.o4.cbc.pe.bayestar' },
  },
  condor_accounting_group_user: {
    schema: z.string(),
    default: '',
    description: "HTCondor accounting_group_user written into the submit description ('' = none)",
  },
  condor_stop_timeout_s: {
    schema: positive,
    default: 120,
    description:
      '`gwcelery condor resubmit`: seconds to wait for the removed jobs to leave the queue',
  },
  condor_stop_poll_s: {
    schema: positive,
    default: 1,
    description: '`gwcelery condor resubmit`: seconds between two condor_q checks while waiting',
  },
});
