/**
 * A sender process for the crash tests: sends one alert and prints the results as JSON. With
 * CRASH_AT=recorded or CRASH_AT=sent it kills itself (SIGKILL, no clean-up of any kind) at that
 * point of the send, the way a machine failure would.
 *
 * Env: LEDGER (SQLite path), OUT_DIR (file destination), CRASH_AT, KAFKA_BROKER and KAFKA_TOPIC
 * (optional Kafka destination).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AlertDestination,
  AlertSender,
  type DestinationResult,
  FileDestination,
  KafkaDestination,
  SqliteLedger,
} from '../../src/alerts/index.js';
import { preliminaryAlert } from './alert-delivery.js';

const crashAt = process.env.CRASH_AT ?? '';
const destinations: AlertDestination[] = [
  new FileDestination({
    directory: process.env.OUT_DIR!,
    format: 'json',
    timeoutMs: 200,
    retries: 0,
  }),
];
if (process.env.KAFKA_BROKER) {
  destinations.push(
    new KafkaDestination({
      name: 'kafka',
      config: {
        url: `kafka://${process.env.KAFKA_BROKER}/${process.env.KAFKA_TOPIC}`,
        suffix: 'avro',
        auth: false,
        ssl: false,
        compression: 'none',
      },
      timeoutMs: 2000,
      retries: 0,
      probeIntervalMs: 0,
    }),
  );
}
/**
 * Destinations run in parallel: each one that reaches the crash point waits there until all
 * have, then the process dies, so every destination is caught at the same point.
 */
let reached = 0;
const crashPoint = async (point: string): Promise<void> => {
  if (crashAt !== point) return;
  reached++;
  if (reached === destinations.length) process.kill(process.pid, 'SIGKILL');
  await new Promise(() => {});
};
const ledger = new SqliteLedger(process.env.LEDGER!);
const sender = new AlertSender({
  ledger,
  destinations,
  leaseMs: 100,
  hooks: {
    afterRecord: () => crashPoint('recorded'),
    afterSend: () => crashPoint('sent'),
  },
});
const alert = preliminaryAlert();
// A key still leased to the dead process is busy until the lease runs out: ask again, as the
// task engine's retry would, and keep each destination's first answer that is not "busy".
const final = new Map<string, DestinationResult>();
for (let i = 0; i < 300 && final.size < destinations.length; i++) {
  if (i > 0) await sleep(100);
  for (const result of await sender.send(alert)) {
    if (result.status !== 'busy' && !final.has(result.destination)) {
      final.set(result.destination, result);
    }
  }
}
const results = destinations.map(
  (d) => final.get(d.name) ?? { destination: d.name, status: 'busy' },
);
process.stdout.write(`${JSON.stringify(results)}\n`);
await sender.close();
await ledger.close();
