import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import avro from 'avsc';

/**
 * The igwn.alerts v1.0 schemas (igwn-gwalert-schema), vendored byte for byte under schema/ so
 * that a deployment validates against exactly what consumers decode with. A test checks the
 * copies against the team's reference copies.
 */
const SCHEMA_DIR = new URL('./schema/', import.meta.url);

/** Avro schema files in dependency order: Alert refers to the others by full name. */
export const AVRO_SCHEMA_FILES = [
  'igwn.alerts.v1_0.ExternalCoincInfo.avsc',
  'igwn.alerts.v1_0.EventInfo.avsc',
  'igwn.alerts.v1_0.AlertType.avsc',
  'igwn.alerts.v1_0.Alert.avsc',
] as const;
export const JSON_SCHEMA_FILE = 'igwn.alerts.v1_0.Alert.schema.json';

export function schemaFileUrl(name: string): URL {
  return new URL(name, SCHEMA_DIR);
}

let alertType: avro.Type | undefined;

/** The Avro type of the Alert record, parsed once. */
export function alertAvroType(): avro.Type {
  if (!alertType) {
    const registry: Record<string, avro.Type> = {};
    let last: avro.Type | undefined;
    for (const file of AVRO_SCHEMA_FILES) {
      const schema = JSON.parse(readFileSync(schemaFileUrl(file), 'utf8'));
      last = avro.Type.forSchema(schema, { registry });
    }
    alertType = last!;
  }
  return alertType;
}

/**
 * The writer schema as written into the container header: the Alert record with the other
 * named types inlined, which is how Avro libraries serialise a schema assembled from files.
 */
export function alertAvroSchemaText(): string {
  return JSON.stringify(alertAvroType().schema());
}

type JsonValidator = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string }[] | null;
};
let jsonValidator: JsonValidator | undefined;

// The schema uses formats date-time and uri. ajv-formats is not a dependency of this project;
// these two checks are small enough to carry here.
const DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

function isUri(text: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/** The JSON Schema validator (draft 2020-12), compiled once. */
export function alertJsonValidator(): JsonValidator {
  if (!jsonValidator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addFormat('date-time', DATE_TIME);
    ajv.addFormat('uri', isUri);
    const schema = JSON.parse(readFileSync(schemaFileUrl(JSON_SCHEMA_FILE), 'utf8'));
    jsonValidator = ajv.compile(schema) as JsonValidator;
  }
  return jsonValidator;
}
