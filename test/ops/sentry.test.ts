import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../../src/config/index.js';
import { type App, createApp, defineTask, Worker } from '../../src/engine/index.js';
import { GraceDbClient } from '../../src/gracedb/client.js';
import { getLogger } from '../../src/log/index.js';
import { parseNetrc } from '../../src/ops/sentry/netrc.js';
import { installSentry, type SentryHandle, sentryDsn } from '../../src/ops/sentry.js';
import { startTestGraceDb, type TestGraceDb, testClientOptions } from '../gracedb/helpers.js';
import { eventually } from '../helpers/process.js';

/** What a Sentry server receives: one envelope per POST, its items parsed. */
interface SentryEvent {
  exception?: { values: { type: string; value: string }[] };
  message?: string | { formatted?: string };
  tags?: Record<string, string>;
  contexts?: Record<string, Record<string, unknown>>;
  environment?: string;
  release?: string;
  breadcrumbs?: { category?: string; data?: Record<string, unknown> }[];
}

const received: { path: string; events: SentryEvent[] }[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ops-sentry-'));
let server: Server;
let port = 0;
let gracedb: TestGraceDb;
let app: App;
let worker: Worker;
let sentry: SentryHandle | undefined;

const failing = defineTask({ name: 'sentry_test.fail' }, (_ctx, superevent: string) => {
  throw new Error(`GraceDB said no about ${superevent}`);
});
const lookup = defineTask({ name: 'sentry_test.lookup' }, async (ctx, url: string) => {
  const client = new GraceDbClient(testClientOptions(url));
  try {
    await client.getSuperevent('S000101zz');
  } catch (err) {
    ctx.log.error({ err, superevent: 'S000101zz' }, 'superevent lookup failed');
  } finally {
    client.close();
  }
  return 'logged';
});

before(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      let body = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const lines = body.toString('utf8').split('\n').filter(Boolean);
      const events: SentryEvent[] = [];
      for (let i = 1; i + 1 < lines.length; i += 2) {
        const header = JSON.parse(lines[i]) as { type: string };
        if (header.type === 'event') events.push(JSON.parse(lines[i + 1]) as SentryEvent);
      }
      received.push({ path: request.url ?? '', events });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  gracedb = await startTestGraceDb();
  const jobAd = join(dir, 'job.ad');
  writeFileSync(jobAd, 'MyType = "Job"\nClusterId = 4242\nProcId = 7\nOwner = "emfollow"\n');
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: { broker_url: '', sentry_dsn: `http://0123abcd@127.0.0.1:${port}/42` },
  });
  app = createApp(config);
  sentry = installSentry({ config, app, env: { _CONDOR_JOB_AD: jobAd } });
  worker = new Worker(app, {
    queues: ['celery'],
    concurrency: 2,
    name: 'gwcelery-worker@sentry-test',
  });
  await worker.start();
});

after(async () => {
  await worker?.stop(100);
  await app?.close();
  await sentry?.close(2000);
  await gracedb?.close();
  await new Promise((r) => server?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const allEvents = () => received.flatMap((r) => r.events);

test('a failed task reaches Sentry with its tags, environment, release and HTCondor job', async () => {
  const result = await failing.delay('S230518h');
  await assert.rejects(result.get(5000));
  await sentry!.flush(5000);
  const event = await eventually(() => allEvents().find((e) => e.tags?.task_id === result.id));
  assert.match(received[0].path, /^\/api\/42\/envelope\/\?.*sentry_key=0123abcd/);
  assert.deepEqual(event.exception?.values.at(-1), {
    ...event.exception?.values.at(-1),
    type: 'Error',
    value: 'GraceDB said no about S230518h',
  });
  assert.equal(event.tags?.task_name, 'sentry_test.fail');
  assert.equal(event.tags?.worker, 'gwcelery-worker@sentry-test');
  assert.equal(event.tags?.superevent, 'S230518h');
  assert.equal(event.tags?.['htcondor.cluster_id'], '4242.7');
  assert.equal(event.environment, 'test');
  assert.equal(event.release, 'gwcelery-0.1.0');
  // The worker also logs the failure: it must not become a second issue.
  await new Promise((r) => setTimeout(r, 300));
  await sentry!.flush(5000);
  assert.equal(allEvents().filter((e) => e.tags?.task_id === result.id).length, 1);
});

test('a logged GraceDB error carries its HTTP status and body, and the task context', async () => {
  const result = await lookup.delay(gracedb.service.url);
  assert.equal(await result.get(10_000), 'logged');
  await sentry!.flush(5000);
  const event = await eventually(() =>
    allEvents().find((e) => e.tags?.task_name === 'sentry_test.lookup'),
  );
  assert.equal(event.tags?.task_id, result.id);
  assert.equal(event.tags?.superevent, 'S000101zz');
  assert.equal(event.exception?.values.at(-1)?.type, 'GraceDbError');
  const http = event.contexts?.http_response as { status: number; body: string; operation: string };
  assert.equal(http.status, 404);
  assert.equal(http.operation, 'get_superevent');
  assert.match(http.body, /not found|does not exist/i);
  assert.ok(event.breadcrumbs?.some((b) => b.category === 'http' && b.data?.status === 404));
});

test('a logged subprocess failure carries the command output', async () => {
  try {
    await promisify(execFile)('sh', [
      '-c',
      'echo partial output; echo "fatal: no frames" >&2; exit 3',
    ]);
    assert.fail('the command should fail');
  } catch (err) {
    getLogger('ops.test').error({ err, graceid: 'G1234' }, 'omega scan helper failed');
  }
  await sentry!.flush(5000);
  const event = await eventually(() => allEvents().find((e) => e.tags?.component === 'ops.test'));
  assert.equal(event.tags?.graceid, 'G1234');
  const sub = event.contexts?.subprocess as { stdout: string; stderr: string; exitCode: number };
  assert.equal(sub.stdout, 'partial output\n');
  assert.equal(sub.stderr, 'fatal: no frames\n');
  assert.equal(sub.exitCode, 3);
});

test('the DSN comes from the configuration, or from netrc like the reference', () => {
  const base = loadConfig({ env: { GWCELERY_CONFIG: 'test' } });
  assert.equal(sentryDsn(base, {}), undefined);
  const netrc = join(dir, 'netrc');
  writeFileSync(
    netrc,
    '# comment\nmachine sentry.io login abcdef0123 password unused\ndefault login x\n',
  );
  assert.deepEqual(parseNetrc('machine a login b password c').get('a'), {
    login: 'b',
    password: 'c',
  });
  const viaNetrc = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: { sentry_netrc_host: 'sentry.io', sentry_project_id: '1425216' },
  });
  assert.equal(sentryDsn(viaNetrc, { NETRC: netrc }), 'https://abcdef0123@sentry.io/1425216');
  assert.equal(sentryDsn(viaNetrc, { NETRC: join(dir, 'missing') }), undefined);
});
