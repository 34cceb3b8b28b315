import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Bus } from '../../../src/bus/bus.js';
import type { DedupStore } from '../../../src/bus/igwn-alert/dedup-store.js';
import { IgwnAlertListener } from '../../../src/bus/igwn-alert/listener.js';
import { IgwnAlertRegistry } from '../../../src/bus/igwn-alert/registry.js';
import { wireTopic } from '../../../src/bus/igwn-alert/topics.js';
import type { Logger } from '../../../src/log/index.js';
import { event, GRACEDB, label, logEntry, message, OTHER_GRACEDB, superevent } from './alerts.js';
import { type DriverHarness, eventually, settle } from './harness.js';
import { captureLogs, ERROR, WARN } from './log-capture.js';
import { RecordingDispatcher } from './recording-dispatcher.js';

let groups = 0;

export interface ListenerSetup {
  group: string;
  registry: IgwnAlertRegistry;
  dispatcher: RecordingDispatcher;
  logs: ReturnType<typeof captureLogs>;
  publish(topic: string, value: string): Promise<string>;
  start(options?: { bus?: Bus; dedup?: DedupStore }): Promise<IgwnAlertListener>;
}

/**
 * A listener on its own IGWN group (so tests never see each other's topics) with a recording
 * dispatcher, captured logs and fast heartbeats.
 */
export async function setupListener(
  h: DriverHarness,
  bus: Bus,
  topics: string[],
  handlers: Record<string, string[]>,
): Promise<ListenerSetup> {
  const group = `gdb-${process.pid}-${++groups}`;
  const registry = new IgwnAlertRegistry();
  for (const [name, handlerTopics] of Object.entries(handlers)) {
    registry.register(handlerTopics, name, name.endsWith('.urgent') ? { priority: 1 } : {});
  }
  const heartbeatTopic = `${group}.gwcelery-heartbeat`;
  await h.ensureTopics([...topics.map((t) => wireTopic(group, t)), heartbeatTopic]);
  const dispatcher = new RecordingDispatcher();
  const logs = captureLogs();
  return {
    group,
    registry,
    dispatcher,
    logs,
    async publish(topic, value) {
      return (await bus.publish(wireTopic(group, topic), value)).offset;
    },
    async start(options = {}) {
      const listener = new IgwnAlertListener({
        bus: options.bus ?? bus,
        gracedbUrl: GRACEDB,
        group,
        topics,
        consumerGroup: `listener-${group}`,
        dispatcher,
        dedup: options.dedup ?? h.dedupStore(),
        registry,
        heartbeat: { topic: heartbeatTopic, intervalMs: 200, staleMs: 2000 },
        tickMs: 200,
        dedupRetentionMs: 3_600_000,
        dedupWindowMs: 600_000,
        log: logs.log as Logger,
      });
      await listener.start();
      await listener.ready();
      return listener;
    },
  };
}

/**
 * The IGWN Alert listener's promises, checked on every bus driver: dispatch with fan-out, the
 * GraceDB server check with the reference's log texts, deduplication across topics, restart
 * without redoing work, replay from an offset, and surviving bad input.
 */
export function listenerSuite(makeHarness: () => Promise<DriverHarness>): void {
  let h: DriverHarness;
  let bus: Bus;
  const running: IgwnAlertListener[] = [];
  const track = (l: IgwnAlertListener) => {
    running.push(l);
    return l;
  };

  before(async () => {
    h = await makeHarness();
    bus = await h.makeBus();
  });
  after(async () => {
    for (const l of running) await l.stop();
    await h?.cleanup();
  });

  describe('IGWN Alert listener', () => {
    test('dispatches each message to every handler of its topic as its own task', async () => {
      const s = await setupListener(h, bus, ['superevent', 'cbc_gstlal'], {
        'orchestrator.handle_superevent': ['superevent'],
        'em_bright.urgent': ['superevent'],
        'superevents.handle': ['cbc_gstlal'],
      });
      const listener = track(await s.start());
      const se = superevent('S1', { labels: ['ADVREQ'] });
      const advreq = message('S1', 'label_added', label('ADVREQ'), se);
      await s.publish('superevent', advreq);
      await s.publish('cbc_gstlal', message('G1', 'new', event('G1'), event('G1')));
      await eventually(() => s.dispatcher.sent.length === 3, 'three tasks sent');
      assert.deepEqual(s.dispatcher.changesFor('orchestrator.handle_superevent'), [
        'S1:label_added',
      ]);
      assert.deepEqual(s.dispatcher.changesFor('em_bright.urgent'), ['S1:label_added']);
      assert.deepEqual(s.dispatcher.changesFor('superevents.handle'), ['G1:new']);
      const task = s.dispatcher.sent.find((t) => t.taskName === 'orchestrator.handle_superevent')!;
      assert.match(task.taskId, /^igwn-alert:orchestrator\.handle_superevent:[0-9a-f]{32}$/);
      assert.deepEqual(task.args, [JSON.parse(advreq)], 'the parsed message is the argument');
      assert.equal(s.dispatcher.sent.find((t) => t.taskName === 'em_bright.urgent')!.priority, 1);
      const health = listener.health();
      assert.equal(health.counts.dispatched, 3);
      assert.equal(health.perTopic.superevent.handled, 1);
      await listener.stop();
    });

    test('drops messages meant for another GraceDB server, with the reference log texts', async () => {
      const s = await setupListener(h, bus, ['superevent'], { 'h.superevent': ['superevent'] });
      const listener = track(await s.start());
      const foreign = superevent('S2', { server: OTHER_GRACEDB });
      const wrongOffset = await s.publish('superevent', message('S2', 'new', foreign, foreign));
      const noLink = { ...superevent('S3') };
      delete noLink.links;
      await s.publish('superevent', message('S3', 'new', noLink, noLink));
      const legacy = JSON.stringify({
        uid: 'S4',
        alert_type: 'label_added',
        data: { name: 'DQV' },
      });
      await s.publish('superevent', legacy);
      const viaSelf = { ...superevent('S5'), links: undefined, self: `${GRACEDB}superevents/S5/` };
      await s.publish('superevent', message('S5', 'new', viaSelf, viaSelf));
      await eventually(
        () => s.dispatcher.sent.length === 1,
        'the message with object.self dispatched',
      );
      assert.deepEqual(s.dispatcher.changesFor('h.superevent'), ['S5:new']);
      const warnings = s.logs.lines.filter((l) => l.level === WARN);
      const wrong = warnings.find((l) => l.msg.startsWith('ignoring IGWN alert message because'));
      assert.equal(
        wrong?.msg,
        `ignoring IGWN alert message because it is intended for GraceDB server ${OTHER_GRACEDB}, but we are set up for server ${GRACEDB}`,
      );
      assert.equal(wrong?.offset, wrongOffset);
      const noUrl = s.logs.lines.filter(
        (l) => l.level === ERROR && l.msg === 'IGWN alert message does not contain an API URL',
      );
      assert.equal(noUrl.length, 2, 'no links, and a legacy message without object');
      assert.equal(listener.health().counts.wrongServer, 1);
      await listener.stop();
    });

    test('the same change on two topics, or delivered twice, runs each handler once', async () => {
      const s = await setupListener(h, bus, ['cbc_gstlal', 'cbc_gstlal_allsky'], {
        'superevents.handle': ['cbc_gstlal', 'cbc_gstlal_allsky'],
        'allsky.only': ['cbc_gstlal_allsky'],
      });
      const listener = track(await s.start());
      const created = message('G7', 'new', event('G7'), event('G7'));
      await s.publish('cbc_gstlal', created);
      await s.publish('cbc_gstlal_allsky', created);
      await s.publish('cbc_gstlal', created);
      // The same label applied again later is another change.
      const first = label('DQV', Date.parse('2024-01-01T00:00:00Z'));
      const again = label('DQV', Date.parse('2024-01-01T00:05:00Z'));
      await s.publish('cbc_gstlal', message('G7', 'label_added', first, event('G7')));
      await s.publish('cbc_gstlal_allsky', message('G7', 'label_added', first, event('G7')));
      await s.publish('cbc_gstlal', message('G7', 'label_added', again, event('G7')));
      await eventually(() => listener.health().counts.received === 6, 'all six read');
      await eventually(() => s.dispatcher.sent.length === 5, 'five tasks');
      await settle();
      assert.deepEqual(s.dispatcher.changesFor('superevents.handle'), [
        'G7:new',
        'G7:label_added',
        'G7:label_added',
      ]);
      assert.deepEqual(s.dispatcher.changesFor('allsky.only'), ['G7:new', 'G7:label_added']);
      assert.equal(s.dispatcher.refused.length, 0, 'duplicates never reach the engine');
      assert.equal(listener.health().counts.duplicates, 3);
      await listener.stop();
    });

    test('input that is not JSON, lacks fields or comes on an unknown topic is logged and skipped', async () => {
      const s = await setupListener(h, bus, ['superevent', 'burst_mly'], {
        'h.superevent': ['superevent'],
      });
      const listener = track(await s.start());
      const notJson = await s.publish('superevent', '{"uid": "S1", ');
      await s.publish(
        'superevent',
        JSON.stringify({ alert_type: 'new', data: {}, object: superevent('S1') }),
      );
      await s.publish(
        'superevent',
        JSON.stringify({ uid: 'S1', alert_type: 'new', object: superevent('S1') }),
      );
      await s.publish('superevent', '[1, 2, 3]');
      const unknown = await s.publish('burst_mly', message('G9', 'new', event('G9'), event('G9')));
      await s.publish('superevent', message('S8', 'new', superevent('S8'), superevent('S8')));
      await eventually(() => s.dispatcher.sent.length === 1, 'the valid message still dispatched');
      assert.deepEqual(s.dispatcher.changesFor('h.superevent'), ['S8:new']);
      const errors = s.logs.lines.filter((l) => l.level === ERROR);
      const json = errors.find((l) => l.offset === notJson);
      assert.match(
        json!.msg,
        new RegExp(
          `^ignoring IGWN alert message on ${s.group}\\.superevent at offset ${notJson}: not valid JSON`,
        ),
      );
      assert.equal(json!.topic, `${s.group}.superevent`);
      assert.ok(errors.some((l) => /field 'uid' is missing/.test(l.msg)));
      assert.ok(errors.some((l) => /field 'data' is missing/.test(l.msg)));
      assert.ok(errors.some((l) => /not a JSON object/.test(l.msg)));
      const unrecognized = s.logs.lines.find(
        (l) => l.msg === 'ignoring unrecognized key: burst_mly',
      );
      assert.equal(unrecognized?.level, WARN);
      assert.equal(unrecognized?.offset, unknown);
      const counts = listener.health().counts;
      assert.equal(counts.invalid, 4);
      assert.equal(counts.unknownTopic, 1);
      await listener.stop();
    });

    test('a restart resumes where it stopped and does not redo work, even with lost offsets', async () => {
      const s = await setupListener(h, bus, ['superevent'], { 'h.superevent': ['superevent'] });
      const dedup = h.dedupStore();
      const first = track(await s.start({ dedup }));
      const offsets = [
        await s.publish('superevent', message('S1', 'new', superevent('S1'), superevent('S1'))),
        await s.publish('superevent', message('S1', 'log', logEntry(1), superevent('S1'))),
      ];
      await eventually(() => s.dispatcher.sent.length === 2, 'two tasks');
      await settle(300); // let the driver commit
      await first.stop();
      await s.publish('superevent', message('S1', 'log', logEntry(2), superevent('S1')));

      const restartedBus = await h.makeBus();
      const second = track(await s.start({ bus: restartedBus, dedup: h.dedupStore() }));
      await eventually(() => s.dispatcher.sent.length === 3, 'the message published while down');
      // Offsets lost (group deleted, broker restored from backup): reading everything again
      // must not dispatch anything again.
      await second.replay('superevent', { offset: offsets[0] });
      await eventually(() => second.health().counts.duplicates >= 3, 're-read everything');
      await settle();
      assert.deepEqual(s.dispatcher.changesFor('h.superevent'), ['S1:new', 'S1:log', 'S1:log']);
      assert.equal(s.dispatcher.refused.length, 0);
      await second.stop();
    });

    test('replay from an offset skips work already done, or dispatches it again when asked', async () => {
      const s = await setupListener(h, bus, ['superevent'], { 'h.superevent': ['superevent'] });
      const listener = track(await s.start());
      const offsets: string[] = [];
      for (let n = 1; n <= 3; n++) {
        offsets.push(
          await s.publish('superevent', message('S1', 'log', logEntry(n), superevent('S1'))),
        );
      }
      await eventually(() => s.dispatcher.sent.length === 3, 'three tasks');
      await listener.replay('superevent', { offset: offsets[1] });
      await eventually(() => listener.health().counts.duplicates === 2, 'two re-read and skipped');
      assert.equal(s.dispatcher.sent.length, 3);

      await listener.replay('superevent', { offset: offsets[1] }, { redispatch: true });
      await eventually(() => s.dispatcher.sent.length === 5, 'two dispatched again');
      const again = s.dispatcher.sent.slice(3);
      assert.deepEqual(
        again.map((t) => (t.args[0] as { data: { N: number } }).data.N),
        [2, 3],
      );
      for (const t of again) assert.match(t.taskId, /:replay-[0-9a-z]+$/);
      assert.equal(s.dispatcher.refused.length, 0);
      // Messages after the replayed range are deduplicated as usual.
      await s.publish('superevent', message('S1', 'log', logEntry(4), superevent('S1')));
      await s.publish('superevent', message('S1', 'log', logEntry(4), superevent('S1')));
      await eventually(() => s.dispatcher.sent.length === 6, 'the new one');
      await settle();
      assert.equal(s.dispatcher.sent.length, 6);
      await listener.stop();
    });

    test('an engine failure delivers the message again; a permanent refusal is logged and skipped', async () => {
      const s = await setupListener(h, bus, ['superevent'], {
        'h.first': ['superevent'],
        'h.broken': ['superevent'],
        'h.last': ['superevent'],
      });
      s.dispatcher.permanentlyRefuse.add('h.broken');
      s.dispatcher.failNext = 2;
      const listener = track(await s.start());
      await s.publish('superevent', message('S1', 'new', superevent('S1'), superevent('S1')));
      await eventually(() => s.dispatcher.sent.length === 2, 'both working handlers ran');
      await settle();
      assert.deepEqual(s.dispatcher.sent.map((t) => t.taskName).sort(), ['h.first', 'h.last']);
      const health = listener.health();
      assert.equal(health.counts.dispatchFailures, 2);
      assert.equal(health.counts.permanentFailures, 1);
      assert.ok(
        s.logs
          .messages(ERROR)
          .some((m) => m.includes('cannot dispatch IGWN alert S1 new to h.broken')),
      );
      await listener.stop();
    });

    test('health: the heartbeat comes back, lag is zero, topics report their last message', async () => {
      const s = await setupListener(h, bus, ['superevent', 'cbc_gstlal'], {
        'h.superevent': ['superevent'],
      });
      const listener = track(await s.start());
      await s.publish('superevent', message('S1', 'new', superevent('S1'), superevent('S1')));
      await eventually(() => s.dispatcher.sent.length === 1, 'dispatched');
      await eventually(() => {
        const health = listener.health();
        return (
          health.healthy &&
          health.lag.total === 0 &&
          health.heartbeat?.lastReturnedSentAt !== undefined
        );
      }, 'healthy with lag 0 and a returned heartbeat');
      const health = listener.health();
      assert.deepEqual(health.problems, []);
      assert.equal(health.connection.connected, true);
      assert.equal(health.perTopic.superevent.lag, 0);
      assert.ok(health.perTopic.superevent.lastMessageAgeS! >= 0);
      assert.equal(health.perTopic.cbc_gstlal.lastMessageAgeS, undefined);
      assert.ok(health.heartbeat!.fresh);
      assert.deepEqual(health.topics, ['superevent', 'cbc_gstlal']);
      // Topics the broker has: at least those a publish created (drivers differ about topics
      // created by subscribing).
      const visible = await listener.visibleTopics();
      assert.ok(visible.includes('superevent'));
      assert.ok(visible.every((t) => health.topics.includes(t)));
      await listener.stop();
    });
  });
}
