/**
 * GraceDB service throughput: 100 event uploads of ~100 kB coinc.xml files (written by the
 * project's LIGO_LW writer, padded with PSDs) through the real client over HTTP, to a service
 * running in its own process (`gwcelery gracedb serve`, notifications on, to a JSON-lines
 * file). The per-user write limit is off here: with it on (10 writes/s, like GraceDB) it, not
 * the service, sets the pace. Each upload is parsed, stored (SQLite + file store) and announced.
 *
 * Target (acceptance): all 100 succeed within 10 s.
 * Usage: npm run bench:gracedb [-- --uploads 100 --concurrency 8 --kb 100]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraceDbClient } from '../src/gracedb/client.js';
import { coincXml } from '../test/gracedb/coinc-fixture.js';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const UPLOADS = argument('uploads', 100);
const CONCURRENCY = argument('concurrency', 8);
const KB = argument('kb', 100);
const TARGET_S = 10;
const TOKEN = 'bench-token';
const root = new URL('../', import.meta.url).pathname;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function startService(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'gracedb',
      'serve',
      '--port',
      '0',
      '--data',
      join(dir, 'data'),
      '--token',
      `bench:${TOKEN}`,
      '--alerts-to',
      join(dir, 'alerts.jsonl'),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        GWCELERY_CONFIG: 'test',
        GWCELERY_LOG_LEVEL: 'warn',
        GWCELERY_GRACEDB_SERVICE_WRITE_RATE_PER_S: '0',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /listening on (\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`service exited (${code}): ${stderr}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-gracedb-'));
const service = await startService(dir);
const client = new GraceDbClient({
  url: service.url,
  token: TOKEN,
  timeoutMs: 30_000,
  retry: { baseMs: 100, max: 5, maxDelayMs: 2000, jitter: true },
  maxConnections: CONCURRENCY,
});
try {
  const t0 = 1400000000;
  const payloads = Array.from({ length: UPLOADS }, (_, i) =>
    coincXml({ gpstime: t0 + i * 10 + 0.123456, minBytes: KB * 1000 }),
  );
  const bytes = payloads.reduce((n, p) => n + p.byteLength, 0);
  // One warm-up upload so that connection set-up and JIT are not in the figures.
  await client.createEvent(
    coincXml({ gpstime: t0 - 100, minBytes: KB * 1000 }),
    'AllSky',
    'gstlal',
    'CBC',
  );

  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < payloads.length) {
        const payload = payloads[next++]!;
        const t = performance.now();
        try {
          await client.createEvent(payload, 'AllSky', 'gstlal', 'CBC');
          latencies.push(performance.now() - t);
        } catch (err) {
          errors++;
          process.stderr.write(`upload failed: ${(err as Error).message}\n`);
        }
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const uploads = latencies.length;
  const alerts = readFileSync(join(dir, 'alerts.jsonl'), 'utf8').trim().split('\n').length;
  const result = {
    uploads,
    errors,
    uploads_per_s: Math.round((uploads / elapsedS) * 10) / 10,
    p99_ms: Math.round(percentile(latencies, 99) * 10) / 10,
  };
  process.stdout.write(
    [
      `GraceDB service: ${UPLOADS} uploads of ${Math.round(bytes / UPLOADS / 1000)} kB coinc.xml, ${CONCURRENCY} concurrent, over HTTP to a separate process`,
      `  elapsed        ${elapsedS.toFixed(2)} s (target: all within ${TARGET_S} s: ${errors === 0 && elapsedS <= TARGET_S ? 'met' : 'NOT met'})`,
      `  uploads/s      ${result.uploads_per_s}`,
      `  latency p50    ${percentile(latencies, 50).toFixed(1)} ms`,
      `  latency p99    ${result.p99_ms} ms`,
      `  errors         ${errors}`,
      `  notifications  ${alerts} published (2 topics per event)`,
      'no in-process baseline: the real GraceDB is not available here',
      `RESULT ${JSON.stringify(result)}`,
      '',
    ].join('\n'),
  );
  if (errors > 0 || elapsedS > TARGET_S) process.exitCode = 1;
} finally {
  client.close();
  await service.stop();
  rmSync(dir, { recursive: true, force: true });
}
