import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutgoingAlert } from '../../src/alerts/index.js';
import { buildAlertPacket } from '../../src/formats/alert/index.js';
import { createLvkVoevent } from '../../src/formats/voevent/index.js';
import { cbcSuperevent, smallSkymap } from './alert-fixtures.js';

/** A complete preliminary alert (packet and VOEvent) for S230518h, serial `serial`. */
export function preliminaryAlert(serial = 2, superevent = 'S230518h'): OutgoingAlert {
  const s = cbcSuperevent();
  s.superevent_id = superevent;
  s.links.self = `https://gracedb.example.org/api/superevents/${superevent}/`;
  const now = new Date('2023-05-18T13:00:41Z');
  const packet = buildAlertPacket({
    superevent: s,
    alertType: 'preliminary',
    skymap: smallSkymap(),
    emBright: { HasNS: 1, HasRemnant: 0.27, HasMassGap: 0 },
    pAstro: { BNS: 0, NSBH: 0.99, BBH: 0, Terrestrial: 0.01 },
    now,
  });
  const { xml } = createLvkVoevent({
    superevent: s,
    serial,
    request: { voevent_type: 'PR', internal: false, open_alert: true, Significant: true },
    now,
  });
  return { superevent, alertType: 'preliminary', serial, packet, voevent: Buffer.from(xml) };
}

/** A TCP server that accepts connections and never says a word: a hung broker. */
export async function blackHoleServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nobody listens on: connections are refused. */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
