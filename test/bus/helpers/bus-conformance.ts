import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Bus } from '../../../src/bus/bus.js';
import { compareOffsets } from '../../../src/bus/message.js';
import { Collector, type DriverHarness, eventually, settle } from './harness.js';

/**
 * The behaviour every bus driver promises, run against each of them: publish and subscribe,
 * consumer groups, durable committed offsets, redelivery after a handler failure, replay from an
 * offset or a time, lag.
 */
export function busConformance(makeHarness: () => Promise<DriverHarness>): void {
  let h: DriverHarness;
  let bus: Bus;

  before(async () => {
    h = await makeHarness();
    bus = await h.makeBus();
  });
  after(async () => {
    await h?.cleanup();
  });

  describe('bus conformance', () => {
    test('delivers value, key, headers and timestamp, in publish order', async () => {
      const topic = await h.topic('order');
      const before = Date.now();
      const offsets: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await bus.publish(topic, `m${i}`, { key: `k${i}`, headers: { n: String(i) } });
        offsets.push(r.offset);
      }
      for (let i = 1; i < offsets.length; i++) {
        assert.ok(compareOffsets(offsets[i - 1], offsets[i]) < 0, 'offsets increase');
      }
      const c = new Collector();
      const sub = bus.subscribe({
        group: 'g',
        topics: [topic],
        initial: 'earliest',
        handler: c.handler,
      });
      await c.until(5);
      assert.deepEqual(c.values(), ['m0', 'm1', 'm2', 'm3', 'm4']);
      assert.deepEqual(
        c.messages.map((m) => m.offset),
        offsets,
      );
      assert.equal(c.messages[2].key, 'k2');
      assert.equal(c.messages[3].headers.n, '3');
      assert.equal(c.messages[0].topic, topic);
      assert.ok(
        c.messages[0].timestamp >= before - 1000 && c.messages[0].timestamp <= Date.now() + 1000,
      );
      await sub.close();
    });

    test('every group sees every message; members of one group share them', async () => {
      // Two partitions: a Kafka group needs something to hand its second member (and librdkafka's
      // mock never settles a two-member group on a single partition). One key keeps the order.
      const topic = await h.topic('groups', 2);
      const a = new Collector();
      const b1 = new Collector();
      const b2 = new Collector();
      const subs = [
        bus.subscribe({ group: 'a', topics: [topic], initial: 'earliest', handler: a.handler }),
        bus.subscribe({
          group: 'b',
          topics: [topic],
          consumer: 'b1',
          initial: 'earliest',
          handler: b1.handler,
        }),
        bus.subscribe({
          group: 'b',
          topics: [topic],
          consumer: 'b2',
          initial: 'earliest',
          handler: b2.handler,
        }),
      ];
      await Promise.all(subs.map((s) => s.ready()));
      for (let i = 0; i < 6; i++) await bus.publish(topic, `x${i}`, { key: 'one-partition' });
      await a.until(6);
      await eventually(() => b1.messages.length + b2.messages.length >= 6, 'group b has all');
      await settle();
      assert.deepEqual(a.values(), ['x0', 'x1', 'x2', 'x3', 'x4', 'x5']);
      const shared = [...b1.values(), ...b2.values()].sort();
      assert.deepEqual(
        shared,
        ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'],
        'each message once in group b',
      );
      for (const s of subs) await s.close();
    });

    test('committed offsets survive a restart: a new bus resumes after the last handled message', async () => {
      const topic = await h.topic('durable');
      for (let i = 0; i < 3; i++) await bus.publish(topic, `d${i}`);
      const first = new Collector();
      const sub = bus.subscribe({
        group: 'durable',
        topics: [topic],
        initial: 'earliest',
        handler: first.handler,
      });
      await first.until(3);
      await settle(300); // let the driver commit
      await sub.close();
      for (let i = 3; i < 5; i++) await bus.publish(topic, `d${i}`);

      const restarted = await h.makeBus();
      const second = new Collector();
      const sub2 = restarted.subscribe({
        group: 'durable',
        topics: [topic],
        initial: 'earliest',
        handler: second.handler,
      });
      await second.until(2);
      await settle();
      assert.deepEqual(second.values(), ['d3', 'd4']);
      await sub2.close();
    });

    test("a new 'latest' group starts at the end, and keeps that position across a restart", async () => {
      const topic = await h.topic('latest');
      await bus.publish(topic, 'old');
      const c = new Collector();
      const sub = bus.subscribe({
        group: 'late',
        topics: [topic],
        initial: 'latest',
        handler: c.handler,
      });
      await sub.ready();
      await sub.close();
      await bus.publish(topic, 'while-down');
      const sub2 = bus.subscribe({
        group: 'late',
        topics: [topic],
        initial: 'latest',
        handler: c.handler,
      });
      await c.until(1);
      await bus.publish(topic, 'new');
      await c.until(2);
      await settle();
      assert.deepEqual(c.values(), ['while-down', 'new']);
      await sub2.close();
    });

    test('a handler failure redelivers the same message, in order, and loses nothing', async () => {
      const topic = await h.topic('retry');
      const c = new Collector();
      const sub = bus.subscribe({
        group: 'r',
        topics: [topic],
        initial: 'earliest',
        handler: c.handler,
      });
      await sub.ready();
      c.failNext = 2;
      await bus.publish(topic, 'r0');
      await bus.publish(topic, 'r1');
      await c.until(2);
      assert.deepEqual(c.values(), ['r0', 'r1']);
      await eventually(() => sub.status().perTopic[topic].handled === 2, 'both counted');
      const status = sub.status();
      assert.equal(status.redeliveries, 2);
      assert.equal(status.perTopic[topic].handled, 2);
      assert.equal(status.perTopic[topic].lastOffset, c.messages[1].offset);
      await sub.close();
    });

    test('replay from an offset delivers that message and everything after it again', async () => {
      const topic = await h.topic('replay');
      const offsets: string[] = [];
      for (let i = 0; i < 4; i++) offsets.push((await bus.publish(topic, `p${i}`)).offset);
      const c = new Collector();
      const sub = bus.subscribe({
        group: 'rp',
        topics: [topic],
        initial: 'earliest',
        handler: c.handler,
      });
      await c.until(4);
      await sub.seek(topic, { offset: offsets[1] });
      await c.until(7);
      await settle();
      assert.deepEqual(c.values(), ['p0', 'p1', 'p2', 'p3', 'p1', 'p2', 'p3']);
      await sub.close();

      // `from` at subscription time replays too, whatever the group committed.
      const again = new Collector();
      const sub2 = bus.subscribe({
        group: 'rp',
        topics: [topic],
        from: { offset: offsets[2] },
        handler: again.handler,
      });
      await again.until(2);
      await settle();
      assert.deepEqual(again.values(), ['p2', 'p3']);
      await sub2.close();
    });

    test('replay from a time delivers the messages published at or after it', async (t) => {
      if (h.timeSeekUnsupported) return t.skip(h.timeSeekUnsupported);
      const topic = await h.topic('time');
      await bus.publish(topic, 't0');
      await settle(30);
      const cut = Date.now();
      await settle(30);
      await bus.publish(topic, 't1');
      await bus.publish(topic, 't2');
      const c = new Collector();
      const sub = bus.subscribe({
        group: 'tm',
        topics: [topic],
        from: { timestamp: cut },
        handler: c.handler,
      });
      await c.until(2);
      await settle();
      assert.deepEqual(c.values(), ['t1', 't2']);
      await sub.close();
    });

    test('a stopped group can be moved, and its next member starts there', async (t) => {
      if (h.groupSeekUnsupported) return t.skip(h.groupSeekUnsupported);
      const topic = await h.topic('seekgroup');
      const offsets: string[] = [];
      for (let i = 0; i < 3; i++) offsets.push((await bus.publish(topic, `s${i}`)).offset);
      await bus.seekGroup('parked', topic, { offset: offsets[1] });
      const c = new Collector();
      const sub = bus.subscribe({ group: 'parked', topics: [topic], handler: c.handler });
      await c.until(2);
      await settle();
      assert.deepEqual(c.values(), ['s1', 's2']);
      await sub.close();
    });

    test('lag counts what the group has not handled yet, and drops to zero once it has', async () => {
      const topic = await h.topic('lag');
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const c = new Collector();
      const sub = bus.subscribe({
        group: 'lagging',
        topics: [topic],
        initial: 'earliest',
        handler: async (m) => {
          await gate;
          await c.handler(m);
        },
      });
      await sub.ready();
      for (let i = 0; i < 4; i++) await bus.publish(topic, `l${i}`);
      await eventually(async () => (await sub.lag())[topic] === 4, 'lag is 4');
      release();
      await c.until(4);
      await eventually(async () => (await sub.lag())[topic] === 0, 'lag is 0');
      assert.ok((await bus.listTopics()).includes(topic));
      await sub.close();
    });

    test('rejects an invalid topic name with a clear error', async () => {
      await assert.rejects(bus.publish('bad topic!', 'x'), /invalid topic name 'bad topic!'/);
      assert.throws(
        () => bus.subscribe({ group: 'g', topics: ['no/slash'], handler: async () => {} }),
        /invalid topic name/,
      );
    });
  });
}
