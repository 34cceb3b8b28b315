/**
 * Alert delivery figures:
 *  1. packet: build + validate (both schemas) + encode (Avro container and JSON) of a
 *     preliminary packet carrying a full-size sky map (the reference MS220722v BAYESTAR map when
 *     ../shared is present, else random bytes of the same 777 600-byte size); the JSON encoder
 *     is compared with JSON.stringify of the same value in the same process (baseline).
 *  2. VTP: one notice broadcast over loopback to N subscribers, until every one has acked.
 *  3. ledger: claim + receipt pairs per second, SQLite (synchronous=FULL, in a temp dir) and
 *     Redis (127.0.0.1:6379 when reachable).
 * Each figure is the median of several runs after warm-up.
 *
 * Usage: npm run bench:alerts [-- --runs 9 --subscribers 1,10,50 --ledger-ops 2000]
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { type AlertLedger, RedisLedger, SqliteLedger } from '../src/alerts/ledger/index.js';
import {
  alertJsonText,
  buildAlertPacket,
  encodeAlertAvro,
  encodeAlertJson,
  type GraceDbSuperevent,
  validateAlertPacket,
} from '../src/formats/alert/index.js';
import { createLvkVoevent } from '../src/formats/voevent/index.js';
import { configureLogging } from '../src/log/index.js';
import { VtpBroadcaster, VtpReceiver } from '../src/transport/vtp/index.js';

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}
const RUNS = Number(argument('runs', '9'));
const SUBSCRIBERS = argument('subscribers', '1,10,50').split(',').map(Number);
const LEDGER_OPS = Number(argument('ledger-ops', '2000'));
const WARMUP = 2;
configureLogging({ level: 'error', format: 'json' });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

async function time(fn: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const shared = fileURLToPath(new URL('../../shared/data/gwcelery/tests/', import.meta.url));
const superevent: GraceDbSuperevent = JSON.parse(
  readFileSync(new URL('../test/fixtures/alerts/S230518h.json', import.meta.url), 'utf8'),
);
const skymapFile = `${shared}MS220722v_bayestar.multiorder.fits`;
const realSkymap = existsSync(skymapFile);
const skymap = realSkymap ? readFileSync(skymapFile) : randomBytes(777_600);

// 1. Packet.
const build = () =>
  buildAlertPacket({
    superevent,
    alertType: 'preliminary',
    skymap,
    emBright: { HasNS: 1, HasRemnant: 0.27, HasMassGap: 0 },
    pAstro: { BNS: 0, NSBH: 0.99, BBH: 0, Terrestrial: 0.01 },
  });
const packet = build();
const buildMs = await time(build);
const validateMs = await time(() => validateAlertPacket(packet));
const avroMs = await time(() => encodeAlertAvro(packet));
const jsonMs = await time(() => encodeAlertJson(packet));
const stringifyMs = await time(() =>
  JSON.stringify({ ...packet, event: { ...packet.event, skymap: skymap.toString('base64') } }),
);
const pipelineMs = await time(() => {
  const p = build();
  validateAlertPacket(p);
  encodeAlertAvro(p);
  encodeAlertJson(p);
});
console.log(
  `packet (${realSkymap ? 'MS220722v BAYESTAR map' : 'random'} ${skymap.length} B): build ${round(buildMs)} ms, validate ${round(validateMs)} ms, Avro ${round(avroMs)} ms, JSON ${round(jsonMs)} ms (JSON.stringify baseline ${round(stringifyMs)} ms, ratio ${round(jsonMs / stringifyMs)}); build+validate+encode both ${round(pipelineMs)} ms`,
);
console.log(
  `  encoded sizes: Avro ${encodeAlertAvro(packet).length} B, JSON ${alertJsonText(packet).length} B`,
);

// 2. VTP broadcast.
const { xml, ivorn } = createLvkVoevent({
  superevent,
  serial: 1,
  request: { voevent_type: 'PR', internal: false, open_alert: true, Significant: true },
});
const notice = Buffer.from(xml);
const vtp: Record<string, number> = {};
for (const n of SUBSCRIBERS) {
  const broadcaster = new VtpBroadcaster({
    host: '127.0.0.1',
    port: 0,
    whitelist: ['127.0.0.1'],
    localIvo: 'ivo://bench/gwcelery',
  });
  const { port } = await broadcaster.start();
  const receivers = Array.from(
    { length: n },
    (_, i) =>
      new VtpReceiver({
        host: '127.0.0.1',
        port,
        localIvo: `ivo://bench/sub${i}`,
        onEvent: () => {},
      }),
  );
  for (const r of receivers) r.start();
  while (broadcaster.peerList().length < n) await new Promise((r) => setTimeout(r, 5));
  const ms = await time(async () => {
    const result = await broadcaster.broadcast(notice, ivorn, { ackTimeoutMs: 10_000 });
    if (result.acked.length !== n) throw new Error(`only ${result.acked.length}/${n} acked`);
  });
  vtp[String(n)] = round(ms, 3);
  console.log(
    `VTP broadcast of a ${notice.length}-byte notice to ${n} subscriber(s), all acked: ${round(ms, 3)} ms`,
  );
  await Promise.all(receivers.map((r) => r.stop()));
  await broadcaster.close();
}

// 3. Ledger.
async function ledgerRate(ledger: AlertLedger): Promise<number> {
  const receipt = { at: new Date().toISOString(), detail: { offset: '1' } };
  const start = process.hrtime.bigint();
  for (let i = 0; i < LEDGER_OPS; i++) {
    const key = {
      superevent: `S${i}`,
      alertType: 'preliminary' as const,
      serial: 1,
      destination: 'bench',
    };
    await ledger.claim(key, 'hash', 'bench', 60_000);
    await ledger.markDelivered(key, 'bench', receipt);
  }
  return LEDGER_OPS / (Number(process.hrtime.bigint() - start) / 1e9);
}
const dir = mkdtempSync(join(tmpdir(), 'bench-ledger-'));
const sqlite = new SqliteLedger(join(dir, 'ledger.sqlite'));
const sqliteRate = await ledgerRate(sqlite);
await sqlite.close();
rmSync(dir, { recursive: true, force: true });
console.log(`ledger SQLite (synchronous=FULL): ${round(sqliteRate, 0)} claim+receipt pairs/s`);
let redisRate: number | null = null;
const probe = new Redis('redis://127.0.0.1:6379/0', { lazyConnect: true, maxRetriesPerRequest: 1 });
const redisUp = await probe
  .connect()
  .then(() => true)
  .catch(() => false);
probe.disconnect();
if (redisUp) {
  const prefix = `gwt-bench-${process.pid}`;
  const redis = new RedisLedger('redis://127.0.0.1:6379/0', prefix);
  redisRate = await ledgerRate(redis);
  await redis.close();
  const cleaner = new Redis('redis://127.0.0.1:6379/0');
  let cursor = '0';
  do {
    const [next, keys] = await cleaner.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await cleaner.unlink(...keys);
  } while (cursor !== '0');
  cleaner.disconnect();
  console.log(`ledger Redis: ${round(redisRate, 0)} claim+receipt pairs/s`);
} else {
  console.log('ledger Redis: skipped (no Redis on 127.0.0.1:6379)');
}

console.log(
  `RESULT ${JSON.stringify({
    packet_skymap_bytes: skymap.length,
    packet_skymap_real: realSkymap,
    packet_build_ms: round(buildMs, 3),
    packet_validate_ms: round(validateMs, 3),
    packet_avro_encode_ms: round(avroMs, 3),
    packet_json_encode_ms: round(jsonMs, 3),
    packet_json_vs_stringify_ratio: round(jsonMs / stringifyMs, 2),
    packet_build_validate_encode_ms: round(pipelineMs, 3),
    vtp_broadcast_all_acked_ms: vtp,
    ledger_sqlite_pairs_per_s: round(sqliteRate, 0),
    ledger_redis_pairs_per_s: redisRate === null ? null : round(redisRate, 0),
  })}`,
);
