import { randomBytes } from 'node:crypto';

/** A request body ready to send. */
export interface EncodedBody {
  contentType: string;
  data: Buffer;
}

export function jsonBody(value: unknown): EncodedBody {
  return { contentType: 'application/json', data: Buffer.from(JSON.stringify(value)) };
}

export type FormValue = string | number | boolean;

/** URL-encoded form; array values become repeated keys. */
export function formBody(fields: Record<string, FormValue | FormValue[] | undefined>): EncodedBody {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  return { contentType: 'application/x-www-form-urlencoded', data: Buffer.from(params.toString()) };
}

export interface FilePart {
  field: string;
  filename: string;
  data: Uint8Array;
}

function quote(value: string): string {
  return value
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '%22')
    .replaceAll('\r', '%0D')
    .replaceAll('\n', '%0A');
}

/** multipart/form-data with text fields (repeated for arrays) and file parts. */
export function multipartBody(
  fields: Record<string, FormValue | FormValue[] | undefined>,
  files: FilePart[],
): EncodedBody {
  const boundary = `----gwcelery${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${quote(key)}"\r\n\r\n${String(v)}\r\n`,
        ),
      );
    }
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.filename)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, data: Buffer.concat(chunks) };
}
