import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlertDelivery, type EchoResult, VoeventEchoCheck } from '../../src/alerts/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createLvkVoevent } from '../../src/formats/voevent/index.js';
import { type VoeventFrame, VtpBroadcaster, VtpReceiver } from '../../src/transport/vtp/index.js';
import { preliminaryAlert, until } from '../helpers/alert-delivery.js';
import { cbcSuperevent } from '../helpers/alert-fixtures.js';

function frameOf(bytes: Buffer): VoeventFrame {
  const ivorn = /ivorn="([^"]+)"/.exec(bytes.toString())![1];
  return { kind: 'voevent', ivorn, role: 'observation', bytes };
}

test('the echo check compares what GCN sent back with what we sent', async () => {
  const alert = preliminaryAlert();
  const sent = Buffer.from(alert.voevent!);
  const reports: EchoResult[] = [];
  const asked: string[] = [];
  const echo = new VoeventEchoCheck({
    fetchSent: async (graceid, filename) => {
      asked.push(`${graceid}/${filename}`);
      return filename === 'S230518h-2-Preliminary.xml' ? sent : undefined;
    },
    report: (r) => {
      reports.push(r);
    },
  });
  const same = await echo.handle(frameOf(sent));
  assert.deepEqual(same, {
    ivorn: 'ivo://gwnet/LVC#S230518h-2-Preliminary',
    graceid: 'S230518h',
    filename: 'S230518h-2-Preliminary.xml',
    outcome: 'identical',
  });
  assert.deepEqual(asked, ['S230518h/S230518h-2-Preliminary.xml']);

  const altered = Buffer.from(sent.toString().replace('value="H1,L1"', 'value="H1,L1,V1"'));
  const different = await echo.handle(frameOf(altered));
  assert.equal(different?.outcome, 'different');
  assert.match(
    different!.diff!,
    /^--- sent S230518h-2-Preliminary\.xml\n\+\+\+ received from GCN\n@@ /,
  );
  assert.match(
    different!.diff!,
    /\n-\s+<Param name="Instruments" value="H1,L1" .*\n\+\s+<Param name="Instruments" value="H1,L1,V1"/,
  );

  const unknown = createLvkVoevent({
    superevent: cbcSuperevent(),
    serial: 9,
    request: { voevent_type: 'PR' },
  });
  assert.equal((await echo.handle(frameOf(Buffer.from(unknown.xml))))?.outcome, 'unknown');
  assert.match(reports.at(-1)!.reason!, /S230518h has no file S230518h-9-Preliminary\.xml/);
  assert.equal(reports.length, 3);

  // Other streams' notices (a Fermi GRB) and unreadable frames are none of our business.
  const grb = Buffer.from(
    sent.toString().replace('name="Packet_Type" value="150"', 'name="Packet_Type" value="115"'),
  );
  assert.equal(await echo.handle(frameOf(grb)), undefined);
  assert.equal(
    await echo.handle({
      kind: 'voevent',
      ivorn: 'ivo://x#y',
      role: 'test',
      bytes: Buffer.from('<VOEvent'),
    }),
    undefined,
  );
  assert.equal(reports.length, 3);
});

test('end to end: our broadcaster → GCN → back to our receiver → echo verdict', async (t) => {
  // "GCN": a subscriber of our broadcaster that re-broadcasts everything from its own server.
  const gcnServer = new VtpBroadcaster({
    host: '127.0.0.1',
    port: 0,
    whitelist: ['127.0.0.0/8'],
    localIvo: 'ivo://nasa.gsfc.gcn/GCN',
  });
  const gcnAddress = await gcnServer.start();
  const reports: EchoResult[] = [];
  const stored = new Map<string, Buffer>();
  const config = loadConfig({
    env: {},
    preset: 'test',
    overrides: {
      voevent_broadcaster_address: '127.0.0.1:0',
      voevent_broadcaster_whitelist: ['127.0.0.1'],
      voevent_receiver_address: `127.0.0.1:${gcnAddress.port}`,
      alert_ledger: 'sqlite::memory:',
      alert_output_dir: '',
    },
  });
  const delivery = await AlertDelivery.start(config, {
    echo: {
      fetchSent: async (_graceid, filename) => stored.get(filename),
      report: (r) => {
        reports.push(r);
      },
    },
  });
  const ourPort = delivery.broadcaster!.address().port;
  const gcnSubscriber = new VtpReceiver({
    host: '127.0.0.1',
    port: ourPort,
    localIvo: 'ivo://nasa.gsfc.gcn/GCN-subscriber',
    onEvent: async (e) => {
      await gcnServer.broadcast(e.bytes, e.ivorn, { ackTimeoutMs: 2000 });
    },
  });
  t.after(async () => {
    await gcnSubscriber.stop();
    await delivery.close();
    await gcnServer.close();
  });
  gcnSubscriber.start();
  await until(
    () =>
      delivery.health().voeventBrokerPeers.length === 1 &&
      delivery.health().voeventReceiverPeers.length === 1,
    'both VTP links',
  );
  const alert = preliminaryAlert();
  stored.set('S230518h-2-Preliminary.xml', Buffer.from(alert.voevent!));
  const results = await delivery.sender.send(alert);
  assert.deepEqual(
    results.map((r) => [r.destination, r.status]),
    [['gcn-voevent', 'sent']],
  );
  await until(() => reports.length === 1, 'the echo verdict');
  assert.equal(reports[0].outcome, 'identical');
  assert.equal(reports[0].filename, 'S230518h-2-Preliminary.xml');
  assert.equal(delivery.health().broadcasting, true);
  assert.equal(delivery.health().receiving, true);
});
