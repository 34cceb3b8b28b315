import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  AVRO_SCHEMA_FILES,
  alertAvroType,
  JSON_SCHEMA_FILE,
  schemaFileUrl,
} from '../../src/formats/alert/schema.js';
import { needsShared, sharedData } from '../helpers/shared.js';

const FILES = [...AVRO_SCHEMA_FILES, JSON_SCHEMA_FILE];

test(
  'the vendored igwn.alerts v1.0 schemas are byte-identical to the reference copies',
  needsShared(...FILES.map((f) => `schema/${f}`)),
  () => {
    for (const file of FILES) {
      const ours = readFileSync(schemaFileUrl(file));
      const theirs = readFileSync(sharedData(`schema/${file}`)!);
      assert.ok(ours.equals(theirs), `${file} differs from ../shared/data/schema/${file}`);
    }
  },
);

test('the Avro schema assembles from its four files with the AlertType symbols', () => {
  const schema = alertAvroType().schema() as {
    name: string;
    fields: { name: string; type: { symbols?: string[] } }[];
  };
  assert.equal(schema.name, 'igwn.alerts.v1_0.Alert');
  assert.deepEqual(
    schema.fields.map((f) => f.name),
    ['alert_type', 'time_created', 'superevent_id', 'event', 'external_coinc', 'urls'],
  );
  assert.deepEqual(schema.fields[0].type.symbols, [
    'EARLYWARNING',
    'PRELIMINARY',
    'INITIAL',
    'UPDATE',
    'RETRACTION',
  ]);
});
