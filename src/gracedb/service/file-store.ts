import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * File contents of the service, one blob per stored version, on disk under `<dir>/blobs`. The
 * database maps (parent, name, version) to a blob. A blob is written under a fresh random name
 * before the transaction that refers to it: if that transaction fails the blob is removed, and a
 * crash in between leaves only an unreferenced blob, never a row without contents.
 */
export class FileStore {
  readonly #root: string;

  constructor(dir: string) {
    this.#root = join(dir, 'blobs');
    mkdirSync(this.#root, { recursive: true });
  }

  #path(blob: string): string {
    return join(this.#root, blob.slice(0, 2), blob);
  }

  /** Writes the contents durably under a new blob name and returns it. */
  async put(data: Uint8Array): Promise<string> {
    const blob = randomUUID().replaceAll('-', '');
    const path = this.#path(blob);
    await mkdir(join(this.#root, blob.slice(0, 2)), { recursive: true });
    const partial = `${path}.partial`;
    await writeFile(partial, data, { flush: true });
    await rename(partial, path);
    return blob;
  }

  /** Like put, for small contents generated inside a write transaction. */
  putSync(data: Uint8Array): string {
    const blob = randomUUID().replaceAll('-', '');
    const path = this.#path(blob);
    mkdirSync(join(this.#root, blob.slice(0, 2)), { recursive: true });
    writeFileSync(`${path}.partial`, data, { flush: true });
    renameSync(`${path}.partial`, path);
    return blob;
  }

  async read(blob: string): Promise<Buffer> {
    return readFile(this.#path(blob));
  }

  /** Removes blobs that no committed row refers to (after a failed write). */
  async discard(blobs: Iterable<string>): Promise<void> {
    await Promise.all([...blobs].map((blob) => rm(this.#path(blob), { force: true })));
  }
}
