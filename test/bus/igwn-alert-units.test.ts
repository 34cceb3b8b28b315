import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  canonicalJson,
  changeIdentity,
  taskIdFor,
} from '../../src/bus/igwn-alert/change-identity.js';
import { apiUrlOf, normalizeApiUrl, parseIgwnAlert } from '../../src/bus/igwn-alert/envelope.js';
import {
  parseGraceDbTime,
  reconstructAlerts,
  topicOf,
} from '../../src/bus/igwn-alert/reconcile.js';
import { IgwnAlertRegistry } from '../../src/bus/igwn-alert/registry.js';
import { bareTopic, IGWN_ALERT_TOPICS, wireTopic } from '../../src/bus/igwn-alert/topics.js';
import { needsShared, sharedData } from '../helpers/shared.js';
import { event, label, logEntry, superevent } from './helpers/alerts.js';

const alert = (uid: string, type: string, data: unknown, object: Record<string, unknown>) => ({
  uid,
  alert_type: type,
  data,
  object,
});

test('the 13 reference topics, namespaced by group on the wire', () => {
  assert.equal(IGWN_ALERT_TOPICS.length, 13);
  assert.ok(!(IGWN_ALERT_TOPICS as readonly string[]).includes('test_superevent'));
  assert.equal(wireTopic('gracedb-playground', 'cbc_gstlal'), 'gracedb-playground.cbc_gstlal');
  assert.equal(bareTopic('gracedb', 'gracedb.superevent'), 'superevent');
  assert.equal(bareTopic('gracedb', 'gracedb-playground.superevent'), undefined);
});

test('the envelope is checked field by field; the API URL comes from links.self or self', () => {
  assert.equal(parseIgwnAlert('nope').ok, false);
  const ok = parseIgwnAlert(JSON.stringify(alert('S1', 'new', {}, superevent('S1'))));
  assert.ok(ok.ok);
  const missing = parseIgwnAlert(JSON.stringify({ uid: 'S1', alert_type: 'new', object: {} }));
  assert.deepEqual(missing, { ok: false, reason: "field 'data' is missing" });
  assert.equal(
    apiUrlOf({ links: { self: 'https://h.example/api/superevents/S1/' } }),
    'https://h.example/api/',
  );
  assert.equal(
    apiUrlOf({ self: 'https://h.example:8443/api/events/G1' }),
    'https://h.example:8443/api/',
  );
  assert.equal(apiUrlOf({ links: {} }), undefined);
  assert.equal(apiUrlOf({ self: 'https://h.example/events/G1' }), undefined);
  assert.equal(normalizeApiUrl('https://h.example'), 'https://h.example/api/');
  assert.equal(normalizeApiUrl('https://h.example/api'), 'https://h.example/api/');
});

test(
  "GraceDB's own fixture message parses and names its server",
  needsShared('gwcelery/tests/lvalert_event_creation.json'),
  () => {
    const text = readFileSync(sharedData('gwcelery/tests/lvalert_event_creation.json')!, 'utf8');
    const parsed = parseIgwnAlert(text);
    assert.ok(parsed.ok);
    assert.equal(parsed.alert.uid, 'M394156');
    assert.equal(apiUrlOf(parsed.alert.object), 'https://gracedb.ligo.org/api/');
    assert.deepEqual(changeIdentity(parsed.alert), { key: 'M394156|new', durable: true });
  },
);

test('change identity: GraceDB-unique fields where they exist, content otherwise', () => {
  const se = superevent('S1');
  assert.deepEqual(changeIdentity(alert('S1', 'new', se, se)), { key: 'S1|new', durable: true });
  assert.deepEqual(changeIdentity(alert('S1', 'log', logEntry(7), se)), {
    key: 'S1|log|7',
    durable: true,
  });
  const advreq = label('ADVREQ', Date.parse('2024-05-01T10:00:00Z'));
  assert.deepEqual(changeIdentity(alert('S1', 'label_added', advreq, se)), {
    key: 'S1|label_added|ADVREQ|2024-05-01 10:00:00 UTC',
    durable: true,
  });
  // The removal of that application is its own change.
  assert.notEqual(
    changeIdentity(alert('S1', 'label_removed', advreq, se)).key,
    changeIdentity(alert('S1', 'label_added', advreq, se)).key,
  );
  // The object's later state does not change the identity of a log or label change.
  const later = superevent('S1', { labels: ['ADVREQ', 'ADVOK'] });
  assert.equal(
    changeIdentity(alert('S1', 'log', logEntry(7), later)).key,
    changeIdentity(alert('S1', 'log', logEntry(7), se)).key,
  );
  const update = changeIdentity(alert('S1', 'update', se, se));
  assert.equal(update.durable, false);
  assert.match(update.key, /^S1\|update\|[0-9a-f]{64}$/);
  // Key order does not matter; content does.
  const reordered = Object.fromEntries(Object.entries(se).reverse());
  assert.equal(changeIdentity(alert('S1', 'update', reordered, reordered)).key, update.key);
  const moved = { ...se, t_0: 1 };
  assert.notEqual(changeIdentity(alert('S1', 'update', moved, moved)).key, update.key);
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: null }] }), '{"a":[{"c":null,"d":2}],"b":1}');
  const id = changeIdentity(alert('S1', 'new', se, se));
  assert.equal(taskIdFor('h', id), taskIdFor('h', id));
  assert.notEqual(taskIdFor('h', id), taskIdFor('g', id));
  assert.match(taskIdFor('h', id, 'replay-x'), /:replay-x$/);
});

test('the registry fans a topic out to its handlers and refuses malformed registrations', () => {
  const registry = new IgwnAlertRegistry();
  registry.register(['superevent', 'mdc_superevent'], 'orchestrator.handle_superevent');
  registry.register('superevent', 'gwskynet.handle_cbc_superevent', { priority: 1 });
  registry.register('superevent', 'orchestrator.handle_superevent'); // twice: still one task
  assert.deepEqual(
    registry.handlersFor('superevent').map((h) => h.name),
    ['orchestrator.handle_superevent', 'gwskynet.handle_cbc_superevent'],
  );
  assert.equal(registry.handlersFor('superevent')[1].priority, 1);
  assert.deepEqual(registry.topics(), ['mdc_superevent', 'superevent']);
  assert.deepEqual(registry.handlersFor('cbc_gstlal'), []);
  assert.throws(
    () => registry.register('gracedb.superevent', 'x'),
    /invalid topic 'gracedb.superevent'/,
  );
  assert.throws(() => registry.register([], 'x'), /names no topic/);
});

test('reconciliation rebuilds new, label_added and log alerts inside the gap, oldest first', () => {
  const t = (s: string) => Date.parse(`2024-05-01T10:${s}Z`);
  assert.equal(parseGraceDbTime('2024-05-01 10:00:05 UTC'), t('00:05'));
  assert.equal(parseGraceDbTime('2024-05-01T10:00:05Z'), t('00:05'));
  assert.equal(parseGraceDbTime('yesterday'), undefined);
  const se = superevent('S1', { created: t('00:10'), category: 'MDC' });
  const g = event('G2', { created: t('00:00'), pipeline: 'pycbc' });
  const rebuilt = reconstructAlerts(
    [
      {
        object: se,
        labels: [label('EM_READY', t('00:20')), label('ADVREQ', t('05:00'))],
        logs: [logEntry(3, 'bayestar.multiorder.fits', t('00:15'))],
      },
      { object: g, labels: [], logs: [logEntry(1, '', t('00:30'))] },
    ],
    t('00:05') + 400, // sub-second start: GraceDB's second resolution still includes 00:05
    t('01:00'),
  );
  assert.deepEqual(
    rebuilt.map((r) => `${r.topic} ${r.alert.uid} ${r.alert.alert_type}`),
    [
      'mdc_superevent S1 new',
      'mdc_superevent S1 log',
      'mdc_superevent S1 label_added',
      'cbc_pycbc G2 log',
    ],
  );
  assert.equal(
    changeIdentity(rebuilt[2].alert).key,
    'S1|label_added|EM_READY|2024-05-01 10:00:20 UTC',
  );
  assert.equal(topicOf(superevent('S3')), 'superevent');
  assert.equal(topicOf(superevent('TS3', { category: 'Test' })), 'test_superevent');
  assert.equal(topicOf(event('E1', { group: 'External', pipeline: 'Fermi' })), 'external_fermi');
});
