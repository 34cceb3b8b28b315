/**
 * The fields of a request body, whatever its encoding: GraceDB accepts JSON, URL-encoded forms
 * and multipart forms for most writes (§1.4), and handlers should not care which one came.
 */
export interface UploadedFile {
  filename: string;
  data: Uint8Array;
}

export class RequestFields {
  constructor(
    private readonly values: Map<string, unknown[]>,
    private readonly files: Map<string, UploadedFile> = new Map(),
  ) {}

  static empty(): RequestFields {
    return new RequestFields(new Map());
  }

  /** From a parsed JSON object (arrays become repeated values). */
  static fromJson(body: Record<string, unknown>): RequestFields {
    const values = new Map<string, unknown[]>();
    for (const [key, value] of Object.entries(body)) {
      values.set(key, Array.isArray(value) ? value : [value]);
    }
    return new RequestFields(values);
  }

  /** From a URL-encoded form as @fastify/formbody parses it (repeated keys become arrays). */
  static fromForm(body: Record<string, string | string[]>): RequestFields {
    const values = new Map<string, unknown[]>();
    for (const [key, value] of Object.entries(body))
      values.set(key, Array.isArray(value) ? value : [value]);
    return new RequestFields(values);
  }

  /** From a multipart form read with the Fetch API's FormData. */
  static async fromFormData(form: FormData): Promise<RequestFields> {
    const values = new Map<string, unknown[]>();
    const files = new Map<string, UploadedFile>();
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        const list = values.get(key) ?? [];
        list.push(value);
        values.set(key, list);
      } else {
        files.set(key, { filename: value.name, data: new Uint8Array(await value.arrayBuffer()) });
      }
    }
    return new RequestFields(values, files);
  }

  has(name: string): boolean {
    return this.values.has(name) || this.files.has(name);
  }

  /** The raw value (a JSON number stays a number). */
  raw(name: string): unknown {
    return this.values.get(name)?.[0];
  }

  /** The first value as a string, undefined when absent. */
  string(name: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : String(v);
  }

  /** Every value of a repeatable field; a comma-separated string counts as a list when asked. */
  list(name: string, splitCommas = false): string[] {
    const values = (this.values.get(name) ?? [])
      .filter((v) => v !== null && v !== undefined)
      .map(String);
    return splitCommas
      ? values.flatMap((v) => v.split(',').map((s) => s.trim())).filter(Boolean)
      : values;
  }

  file(name: string): UploadedFile | undefined {
    return this.files.get(name);
  }

  names(): string[] {
    return [...new Set([...this.values.keys(), ...this.files.keys()])];
  }
}

/** Booleans as forms spell them: True/False, true/false, 1/0 (§0). */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  return undefined;
}
