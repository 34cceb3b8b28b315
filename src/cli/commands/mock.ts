import type { Command } from 'commander';
import { gpsToIsoUtc } from '../../formats/time/gps.js';
import { configureLogging } from '../../log/index.js';
import { closeGraceDbClients, gracedbFor } from '../../pipeline/gracedb.js';
import type { MockOrigin } from '../../pipeline/mock/mock-coincidence.js';
import { freshSeed, seededRandom } from '../../pipeline/mock/random.js';
import { uploadMockEvent } from '../../pipeline/mock/upload-mock-event.js';
import { uploadSnewsMdcEvent } from '../../pipeline/mock/upload-snews-event.js';
import { configFor } from '../command.js';
import { withLocalGraceDbToken } from '../local-gracedb.js';

interface UploadFlags {
  data?: string;
  snews?: boolean;
  uploads?: string;
  json?: boolean;
}

function describeOrigin(origin: MockOrigin): string {
  if (origin.source === 'first2years') {
    return `first-two-years coinc_event_id ${origin.coincEventId} from ${origin.file}, moved ${origin.siderealDays} sidereal days`;
  }
  return `simulated ${origin.population} (${origin.mass1?.toFixed(2)} + ${origin.mass2?.toFixed(2)} M☉, ${origin.distance?.toFixed(0)} Mpc, network SNR ${origin.networkSnr?.toFixed(1)}) seen by ${origin.detectors?.join(',')}`;
}

function parseUploads(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`--uploads must be a whole number ≥ 1, got '${text}'`);
  }
  return n;
}

export function register(program: Command): void {
  const mock = program
    .command('mock')
    .description('mock (MDC) events: the canary that shows the pipeline is alive');
  mock
    .command('upload')
    .description(
      'upload one mock event now to the configured GraceDB (the one of `gwcelery start` by default): a CBC MDC coincidence, or with --snews a SNEWS MDC notice; the running pipeline makes the superevent, its alerts and the mock vetting',
    )
    .option('--snews', 'a SNEWS MDC event instead of a CBC one')
    .option(
      '--uploads <n>',
      'uploads of the CBC coincidence (the first as drawn, the rest with jittered SNR); default mock_events_simulate_multiple_uploads',
    )
    .option(
      '--data <dir>',
      'data directory of a `gwcelery start` on this machine (its GraceDB write token)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (flags: UploadFlags, command: Command) => {
      const config = withLocalGraceDbToken(
        configFor(command, flags.data ? { data_dir: flags.data } : {}),
      );
      configureLogging({ level: config.log_level, format: config.log_format });
      const gracedb = gracedbFor(config);
      try {
        if (flags.snews) {
          if (flags.uploads !== undefined) throw new Error('--uploads applies to CBC events only');
          const result = await uploadSnewsMdcEvent(gracedb);
          process.stdout.write(
            flags.json
              ? `${JSON.stringify(result, null, 2)}\n`
              : `mock SNEWS event ${result.graceid} ${result.created ? 'uploaded' : 'updated'} to ${gracedb.url} (trigger ${result.trigger_id}, ${gpsToIsoUtc(result.gpstime, 2)})\n`,
          );
          return;
        }
        const uploads = parseUploads(flags.uploads, config.mock_events_simulate_multiple_uploads);
        const result = await uploadMockEvent(config, gracedb, {
          uploads,
          spreadS: config.mock_events_upload_spread_s,
          random: seededRandom(freshSeed()),
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const lines = [
          `mock event ${result.graceid} uploaded to ${gracedb.url} (${result.graceids.length} upload${result.graceids.length === 1 ? '' : 's'}: ${result.graceids.join(' ')})`,
          `  time:   GPS ${result.gpstime.toFixed(3)} (${gpsToIsoUtc(result.gpstime, 3)})`,
          `  source: ${describeOrigin(result.origin)}`,
          `  next:   the pipeline groups it into an MDC superevent; its mock advocate signs off ${config.mock_events_vetting_delay_s} s after the superevent appears`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        closeGraceDbClients();
      }
    });
}
