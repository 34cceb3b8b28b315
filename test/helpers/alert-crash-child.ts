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
  FileDestination,
  KafkaDestination,
  SqliteLedger,
} from '../../src/alerts/index.js';
import { preliminaryAlert } from './alert-delivery.js';

const crashAt = process.env.CRASH_AT ?? '';
const die = () => {
  process.kill(process.pid, 'SIGKILL');
};
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
const ledger = new SqliteLedger(process.env.LEDGER!);
const sender = new AlertSender({
  ledger,
  destinations,
  leaseMs: 100,
  hooks: {
    afterRecord: () => {
      if (crashAt === 'recorded') die();
    },
    afterSend: () => {
      if (crashAt === 'sent') die();
    },
  },
});
const alert = preliminaryAlert();
// A key still leased to the dead process is busy until the lease runs out: ask again, as the
// task engine's retry would.
let results = await sender.send(alert);
for (let i = 0; i < 200 && results.some((r) => r.status === 'busy'); i++) {
  await sleep(100);
  results = await sender.send(alert);
}
process.stdout.write(`${JSON.stringify(results)}\n`);
await sender.close();
await ledger.close();
