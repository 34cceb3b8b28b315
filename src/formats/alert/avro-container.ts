import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import avro from 'avsc';

/**
 * Avro Object Container Files (Avro 1.x spec, "Object Container Files"), synchronous and in
 * memory: magic `Obj\x01`, a metadata map (writer schema, codec), a 16-byte sync marker, then
 * blocks of (record count, byte size, records, sync marker). The alert stream carries one
 * container per Kafka message holding exactly one record.
 */
const MAGIC = Buffer.from('Obj\x01', 'latin1');

const headerType = avro.Type.forSchema({
  type: 'record',
  name: 'org.apache.avro.file.Header',
  fields: [
    { name: 'magic', type: { type: 'fixed', name: 'Magic', size: 4 } },
    { name: 'meta', type: { type: 'map', values: 'bytes' } },
    { name: 'sync', type: { type: 'fixed', name: 'Sync', size: 16 } },
  ],
});
const longType = avro.Type.forSchema('long');

export class AvroContainerError extends Error {
  override name = 'AvroContainerError';
}

export interface ContainerOptions {
  /** Sync marker; random by default (fixed values make byte-identical output for tests). */
  syncMarker?: Uint8Array;
  /** Extra header metadata. */
  metadata?: Record<string, string>;
}

/** Writes records into a container (codec null: alert bytes are compressed by Kafka instead). */
export function writeContainer(
  type: avro.Type,
  records: unknown[],
  schemaText: string,
  options: ContainerOptions = {},
): Buffer {
  const sync = Buffer.from(options.syncMarker ?? randomBytes(16));
  if (sync.length !== 16) throw new AvroContainerError('sync marker must be 16 bytes');
  const meta: Record<string, Buffer> = {
    'avro.schema': Buffer.from(schemaText, 'utf8'),
    'avro.codec': Buffer.from('null', 'utf8'),
  };
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    meta[key] = Buffer.from(value, 'utf8');
  }
  const header = headerType.toBuffer({ magic: MAGIC, meta, sync });
  const parts: Buffer[] = [header];
  if (records.length > 0) {
    const body = Buffer.concat(records.map((r) => type.toBuffer(r)));
    parts.push(longType.toBuffer(records.length), longType.toBuffer(body.length), body, sync);
  }
  return Buffer.concat(parts);
}

export interface DecodedContainer {
  /** The writer schema from the header, as JSON. */
  writerSchema: unknown;
  codec: string;
  metadata: Record<string, Buffer>;
  records: unknown[];
}

/**
 * Reads every record of a container. Records are decoded with the writer schema found in the
 * header and, when `readerType` is given, resolved into it (Avro schema resolution), so a file
 * written with a compatible schema still reads.
 */
export function readContainer(bytes: Uint8Array, readerType?: avro.Type): DecodedContainer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 4 || !buf.subarray(0, 4).equals(MAGIC)) {
    throw new AvroContainerError('not an Avro container file (magic Obj\\x01 missing)');
  }
  let header: { meta: Record<string, Buffer>; sync: Buffer };
  let pos: number;
  try {
    const decoded = headerType.decode(buf, 0);
    if (decoded.offset < 0) throw new Error('header is truncated');
    header = decoded.value as typeof header;
    pos = decoded.offset;
  } catch (err) {
    throw new AvroContainerError(`Avro container header is invalid: ${(err as Error).message}`);
  }
  const schemaBytes = header.meta['avro.schema'];
  if (!schemaBytes) throw new AvroContainerError('Avro container header has no avro.schema');
  let writerSchema: unknown;
  let writerType: avro.Type;
  try {
    writerSchema = JSON.parse(schemaBytes.toString('utf8'));
    writerType = avro.Type.forSchema(writerSchema as avro.Schema);
  } catch (err) {
    throw new AvroContainerError(`Avro container schema is invalid: ${(err as Error).message}`);
  }
  const codec = header.meta['avro.codec']?.toString('utf8') ?? 'null';
  if (codec !== 'null' && codec !== 'deflate') {
    throw new AvroContainerError(`Avro container codec '${codec}' is not supported`);
  }
  const resolver = readerType ? readerType.createResolver(writerType) : undefined;
  const records: unknown[] = [];
  while (pos < buf.length) {
    const count = longType.decode(buf, pos);
    if (count.offset < 0) throw new AvroContainerError('Avro block header is truncated');
    const size = longType.decode(buf, count.offset);
    if (size.offset < 0) throw new AvroContainerError('Avro block header is truncated');
    const start = size.offset;
    const end = start + (size.value as number);
    if (end + 16 > buf.length) throw new AvroContainerError('Avro block is truncated');
    if (!buf.subarray(end, end + 16).equals(header.sync)) {
      throw new AvroContainerError('Avro block sync marker does not match the header');
    }
    let block = buf.subarray(start, end);
    if (codec === 'deflate') block = inflateRawSync(block);
    let offset = 0;
    for (let i = 0; i < (count.value as number); i++) {
      const decoded = resolver
        ? readerType!.decode(block, offset, resolver)
        : writerType.decode(block, offset);
      if (decoded.offset < 0) throw new AvroContainerError(`Avro record ${i} is truncated`);
      records.push(decoded.value);
      offset = decoded.offset;
    }
    if (offset !== block.length) {
      throw new AvroContainerError('Avro block holds more bytes than its records');
    }
    pos = end + 16;
  }
  return { writerSchema, codec, metadata: header.meta, records };
}
