import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createBus } from '../../src/bus/create-bus.js';
import { type Config, loadConfig } from '../../src/config/index.js';
import { type App, createApp, defineTask, Worker } from '../../src/engine/index.js';
import { STATS_KEYS } from '../../src/engine/stats-keys.js';
import { unixToGps } from '../../src/gracedb/gps-time.js';
import { runNagios } from '../../src/ops/nagios/run-nagios.js';
import { startStatusFile } from '../../src/ops/status/status-file.js';
import { closeGraceDbClients } from '../../src/pipeline/gracedb.js';
import { startIgwnAlertListener } from '../../src/pipeline/igwn-alert.js';
import { olibPayload, startTestGraceDb, type TestGraceDb, TOKEN } from '../gracedb/helpers.js';
import { eventually, gwcelery } from '../helpers/process.js';
import {
  deletePrefix,
  freePort,
  PrivateRedis,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../helpers/redis.js';

const QUEUES = [
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

let release: () => void = () => undefined;
const released = new Promise<void>((resolve) => {
  release = resolve;
});
const block = defineTask({ name: 'nagios_test.block' }, async () => {
  await released;
  return 'released';
});

describe('gwcelery nagios against a Redis deployment and an embedded GraceDB', () => {
  const prefix = uniquePrefix('nagios');
  const dir = mkdtempSync(join(tmpdir(), 'ops-nagios-'));
  const framesDir = join(dir, 'shm', 'kafka');
  let gracedb: TestGraceDb;
  let busRedis: PrivateRedis;
  let app: App;
  let config: Config;
  let main: Worker;
  let superevent: Worker;
  let stopListener: () => Promise<void>;

  const configWith = (overrides: Record<string, unknown> = {}): Config =>
    loadConfig({
      env: { GWCELERY_CONFIG: 'test' },
      overrides: {
        broker_url: SHARED_REDIS_URL,
        redis_prefix: prefix,
        gracedb_host: gracedb.service.url,
        gracedb_token: TOKEN,
        kafka_consumer_config: {},
        llhoft_glob: join(framesDir, '{detector}', '*.gwf'),
        ...overrides,
      },
    });

  /** Frame files named as the low-latency stream names them, `seconds` old. */
  const writeFrame = (detector: string, ageS: number): void => {
    mkdirSync(join(framesDir, detector), { recursive: true });
    const gps = Math.floor(unixToGps(Date.now() / 1000) - ageS);
    writeFileSync(join(framesDir, detector, `${detector[0]}-${detector}_llhoft-${gps}-1.gwf`), '');
  };

  const mdcSuperevent = async (ageS: number): Promise<string> => {
    const t0 = unixToGps(Date.now() / 1000) - ageS;
    const event = await gracedb.client.createEvent(olibPayload(t0), 'MDC', 'oLIB', 'Burst');
    const sid = await gracedb.client.createSuperevent(event.graceid, t0, t0 - 1, t0 + 1);
    assert.ok(sid?.startsWith('MS'), `expected an MDC superevent, got ${sid}`);
    return sid!;
  };

  before(async () => {
    gracedb = await startTestGraceDb();
    config = configWith();
    app = createApp(config);
    main = new Worker(app, {
      queues: QUEUES.filter((q) => q !== 'superevent'),
      concurrency: 2,
      name: 'gwcelery-worker@nagios-test',
    });
    superevent = new Worker(app, {
      queues: ['superevent'],
      concurrency: 1,
      name: 'gwcelery-superevent-worker@nagios-test',
    });
    await main.start();
    await superevent.start();
    // The IGWN Alert listener, as a worker started with --igwn-alert runs it, reading its own
    // Redis (so that its outage can be staged without the broker's).
    busRedis = await PrivateRedis.start();
    const listener = await startIgwnAlertListener(app, main, {
      ...config,
      igwn_alert_server: busRedis.url,
    });
    stopListener = () => listener.stop();
    writeFrame('H1', 5);
    writeFrame('L1', 5);
    await eventually(
      async () => {
        const topics = (await app.broker.workers()).find((w) => w.name === main.name)?.stats?.[
          STATS_KEYS.igwnAlertTopics
        ] as string[] | undefined;
        return topics?.length === config.igwn_alert_topics.length ? true : undefined;
      },
      15_000,
      'the listener topics in the worker stats',
    );
  });

  after(async () => {
    release();
    await stopListener?.().catch(() => undefined);
    closeGraceDbClients();
    await main?.stop(100);
    await superevent?.stop(100);
    await app?.close();
    await busRedis?.destroy();
    await gracedb?.close();
    await deletePrefix(SHARED_REDIS_URL, prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  test('no MDC superevent at all in six hours is CRITICAL', async () => {
    const result = await runNagios(config);
    assert.deepEqual(
      { status: result.status, message: result.message, check: result.check },
      { status: 'CRITICAL', message: 'No MDC superevents found in past six hours', check: 10 },
    );
  });

  test('the newest MDC superevent 70 minutes old is CRITICAL', async () => {
    const sid = await mdcSuperevent(70 * 60);
    const result = await runNagios(config);
    assert.equal(result.status, 'CRITICAL');
    assert.equal(result.message, 'No MDC superevents found in last one hour');
    assert.match(result.detail ?? '', new RegExp(`Newest: ${sid}, 42\\d\\d s ago`));
  });

  test('a healthy deployment is OK, and the command exits 0 with the exact text', async () => {
    await mdcSuperevent(60);
    assert.deepEqual(await runNagios(config), { status: 'OK', message: 'Running normally' });
    const child = gwcelery(['nagios'], {
      GWCELERY_BROKER_URL: SHARED_REDIS_URL,
      GWCELERY_REDIS_PREFIX: prefix,
      GWCELERY_GRACEDB_HOST: gracedb.service.url,
      GWCELERY_GRACEDB_TOKEN: TOKEN,
      GWCELERY_KAFKA_CONSUMER_CONFIG: '{}',
      GWCELERY_LLHOFT_GLOB: join(framesDir, '{detector}', '*.gwf'),
    });
    assert.equal(await child.exited, 0, child.output);
    assert.equal(child.output, 'OK: Running normally\n');
  });

  test('low-latency frames older than 600 s are CRITICAL (only where frames are received)', async () => {
    rmSync(join(framesDir, 'L1'), { recursive: true });
    writeFrame('L1', 700);
    const result = await runNagios(config);
    assert.equal(result.message, 'Low-latency hoft is not being streamed');
    assert.match(result.detail ?? '', /L1: newest frame is 70\d s old/);
    writeFrame('L1', 1);
    // A host without the frame directory skips the check.
    const elsewhere = configWith({
      llhoft_glob: join(dir, 'none', 'kafka', '{detector}', '*.gwf'),
    });
    assert.equal((await runNagios(elsewhere)).status, 'OK');
  });

  test('a stopped worker leaves its queue inactive', async () => {
    await superevent.stop(100);
    try {
      const result = await runNagios(config);
      assert.equal(result.message, 'Not all expected queues are active');
      assert.match(result.detail ?? '', /^Missing queues: superevent$/m);
    } finally {
      superevent = new Worker(app, {
        queues: ['superevent'],
        concurrency: 1,
        name: 'gwcelery-superevent-worker@nagios-test',
      });
      await superevent.start();
    }
    assert.equal((await runNagios(config)).status, 'OK');
  });

  test('a queue no worker serves is CRITICAL', async () => {
    const result = await runNagios(configWith({ nagios_expected_queues: [...QUEUES, 'gpu'] }));
    assert.equal(result.message, 'Not all expected queues are active');
    assert.match(result.detail ?? '', /^Missing queues: gpu$/m);
  });

  test('topics configured but not subscribed, or subscribed but not configured', async () => {
    const more = configWith({
      igwn_alert_topics: [...config.igwn_alert_topics, 'cbc_gstlal_allsky'],
    });
    const missing = await runNagios(more);
    assert.equal(missing.message, 'Not all IGWN alert topics are subscribed');
    assert.equal(missing.detail, 'Missing topics: cbc_gstlal_allsky');
    const fewer = configWith({ igwn_alert_topics: config.igwn_alert_topics.slice(1) });
    const extra = await runNagios(fewer);
    assert.equal(extra.message, 'Too many IGWN alert topics are subscribed');
    assert.equal(extra.detail, `Extra topics: ${config.igwn_alert_topics[0]}`);
  });

  test('more than 50 tasks waiting on the celery queue are CRITICAL', async () => {
    const blockers = await Promise.all([block.delay(), block.delay()]);
    await eventually(async () => {
      const w = (await app.broker.workers()).find((x) => x.name === main.name);
      return (w?.active.length ?? 0) >= 2 ? true : undefined;
    });
    for (let i = 0; i < 51; i++) await app.sendTask('gwcelery.noop', [i]);
    const result = await runNagios(config);
    assert.equal(result.message, 'Tasks are piled up in Celery queue');
    assert.equal(result.detail, '51 tasks waiting (limit 50)');
    release();
    for (const b of blockers) assert.equal(await b.get(10_000), 'released');
    await eventually(async () =>
      (await app.broker.queueStats(['celery'])).celery.waiting === 0 ? true : undefined,
    );
    assert.equal((await runNagios(config)).status, 'OK');
  });

  test('Kafka producer and consumer flags reported by a worker', async () => {
    const stream = (topic: string) => ({ url: `kafka://127.0.0.1:1/${topic}`, suffix: 'json' });
    const kafka = configWith({ kafka_alert_config: { scimma: stream('a'), gcn: stream('b') } });
    main.setStat(STATS_KEYS.kafkaTopicUp, { scimma: true, gcn: false });
    // Until the next worker heartbeat carries the flags, both streams read as down.
    const down = await eventually(async () => {
      const result = await runNagios(kafka);
      return result.detail === 'Down: gcn' ? result : undefined;
    });
    assert.equal(down.message, 'Not all Kafka bootstep URLs are active');
    main.setStat(STATS_KEYS.kafkaTopicUp, { scimma: true, gcn: true });
    main.setStat(STATS_KEYS.kafkaDeliveryFailures, { scimma: false, gcn: true });
    await eventually(async () => {
      const result = await runNagios(kafka);
      return result.message === 'Not all Kafka messages have been succesfully delivered'
        ? result
        : undefined;
    });
    main.setStat(STATS_KEYS.kafkaDeliveryFailures, { scimma: false, gcn: false });
    const consumers = configWith({
      kafka_consumer_config: {
        snews: { url: 'kafka://kafka.gcn.nasa.gov/gcn.classic.voevent.SNEWS', suffix: 'xml' },
      },
    });
    await eventually(async () => {
      const result = await runNagios(consumers);
      return result.message === 'Not all Kafka consumer bootstep topics are active'
        ? result
        : undefined;
    }).then((r) => assert.equal(r.detail, 'Inactive consumers: snews'));
    main.setStat(STATS_KEYS.activeKafkaConsumers, ['snews']);
    await eventually(async () => ((await runNagios(consumers)).status === 'OK' ? true : undefined));
  });

  test('a listener whose heartbeat stopped coming back is CRITICAL', async () => {
    // A broker that accepts connections and answers reads but serves no writes: the topics are
    // all there, only the heartbeat shows that nothing flows.
    const admin = new Redis(busRedis.url);
    await admin.call('CLIENT', 'PAUSE', '6000', 'WRITE');
    admin.disconnect();
    const result = await eventually(async () => {
      const r = await runNagios(config);
      return r.status === 'CRITICAL' ? r : undefined;
    }, 20_000);
    assert.equal(result.message, 'The IGWN alert listener heartbeat is stale');
    assert.match(
      result.detail ?? '',
      /gwcelery-worker@nagios-test: last heartbeat came back \d+ s ago \(limit 2 s\)/,
    );
    await eventually(
      async () => ((await runNagios(config)).status === 'OK' ? true : undefined),
      20_000,
    );
  });

  test('a GraceDB that cannot be reached is UNKNOWN: Unexpected error', async () => {
    const port = await freePort();
    const result = await runNagios(configWith({ gracedb_host: `http://127.0.0.1:${port}/api/` }));
    assert.equal(result.status, 'UNKNOWN');
    assert.equal(result.message, 'Unexpected error');
    assert.match(result.detail ?? '', /get_superevents/);
  });

  test('a broker that cannot be reached: exit 2, "No connection to broker"', async () => {
    const port = await freePort();
    const child = gwcelery(['nagios'], {
      GWCELERY_BROKER_URL: `redis://127.0.0.1:${port}/0`,
      GWCELERY_KAFKA_CONSUMER_CONFIG: '{}',
      GWCELERY_LLHOFT_GLOB: join(dir, 'none', '{detector}', '*.gwf'),
    });
    assert.equal(await child.exited, 2, child.output);
    assert.match(
      child.output,
      /^CRITICAL: No connection to broker\nbroker ping \(retry\): no answer/,
    );
  });

  test('--data DIR checks a one-command pipeline through its status file', async () => {
    const dataDir = join(dir, 'pipeline');
    mkdirSync(dataDir);
    const embedded = createApp(configWith({ broker_url: '', data_dir: dataDir }));
    const all = new Worker(embedded, { queues: QUEUES, concurrency: 1, name: 'gwcelery@one' });
    await all.start();
    const pipelineBus = createBus('memory://', config);
    const stopCopy = await startIgwnAlertListener(
      embedded,
      all,
      { ...embedded.config, igwn_alert_server: '' },
      pipelineBus,
    );
    await eventually(() =>
      (all.info().stats?.[STATS_KEYS.igwnAlertTopics] as string[] | undefined)?.length
        ? true
        : undefined,
    );
    const status = startStatusFile({
      app: embedded,
      dataDir,
      intervalMs: 200,
      gracedbUrl: gracedb.service.url,
    });
    await status.write();
    const env = {
      GWCELERY_GRACEDB_TOKEN: TOKEN,
      GWCELERY_KAFKA_CONSUMER_CONFIG: '{}',
      GWCELERY_LLHOFT_GLOB: join(dir, 'none', '{detector}', '*.gwf'),
    };
    try {
      const ok = gwcelery(['nagios', '--data', dataDir], env);
      assert.equal(await ok.exited, 0, ok.output);
      assert.equal(ok.output, 'OK: Running normally\n');
    } finally {
      await stopCopy.stop();
      await pipelineBus.close();
      await status.close();
      await all.stop(100);
      await embedded.close();
    }
    const stopped = gwcelery(['nagios', '--data', dataDir], env);
    assert.equal(await stopped.exited, 2, stopped.output);
    assert.match(
      stopped.output,
      /^CRITICAL: No connection to broker\nthe pipeline in .* stopped at /,
    );
    const missing = gwcelery(['nagios', '--data', join(dir, 'nothing-here')], env);
    assert.equal(await missing.exited, 2, missing.output);
    assert.match(missing.output, /^CRITICAL: No connection to broker\nno status file at /);
  });
});
