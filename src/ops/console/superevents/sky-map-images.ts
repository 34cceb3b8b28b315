import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraceDbClient, LogEntry } from '../../../gracedb/client.js';
import { formatVersionedFilename } from '../../../gracedb/versioned-filename.js';
import { getLogger } from '../../../log/index.js';
import { readSkyMap } from '../../../skymap/io.js';
import { plotSkyMap } from '../../../skymap/plot/render.js';

const log = getLogger('console.skymaps');

/** Width of the console's sky-map images (the plot's layout scales with it). */
const WIDTH = 1200;
const MEMORY_ENTRIES = 32;

/**
 * The sky map a superevent's page shows: the newest multi-order map tagged sky_loc in its log
 * (not a combined GW×external map), as the alert workflow picks it (gwcelery-spec §4.5).
 */
export function currentSkyMap(log: LogEntry[]): string | undefined {
  const entry = log.findLast(
    (e) =>
      e.filename?.endsWith('.multiorder.fits') &&
      !e.filename.includes('combined') &&
      e.tag_names.includes('sky_loc') &&
      e.file_version !== null,
  );
  return entry ? formatVersionedFilename(entry.filename, entry.file_version!) : undefined;
}

/**
 * Mollweide PNGs of sky maps, rendered once per file version (a `name,N` file never changes)
 * and cached on disk under the data directory, or in memory without one. Concurrent requests
 * for the same image share one rendering.
 */
export class SkyMapImages {
  private readonly memory = new Map<string, Buffer>();
  private readonly rendering = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly gracedb: GraceDbClient,
    private readonly cacheDir: string | undefined,
  ) {}

  private cachePath(id: string, versioned: string): string | undefined {
    if (!this.cacheDir) return undefined;
    return join(this.cacheDir, encodeURIComponent(id), `${encodeURIComponent(versioned)}.png`);
  }

  /** PNG of `versioned` (`name,N`) attached to superevent or event `id`. */
  async png(id: string, versioned: string): Promise<Buffer> {
    if (!/,\d+$/.test(versioned)) {
      throw new Error(`sky map file '${versioned}' has no version: images are cached per version`);
    }
    const key = `${id}/${versioned}`;
    const cached = this.memory.get(key);
    if (cached) return cached;
    const path = this.cachePath(id, versioned);
    if (path) {
      try {
        return this.remember(key, readFileSync(path));
      } catch {
        // not rendered yet
      }
    }
    let pending = this.rendering.get(key);
    if (!pending) {
      pending = this.render(id, versioned, path).finally(() => this.rendering.delete(key));
      this.rendering.set(key, pending);
    }
    return pending;
  }

  private async render(id: string, versioned: string, path: string | undefined): Promise<Buffer> {
    const bytes = await this.gracedb.download(versioned, id);
    const map = readSkyMap(bytes, { source: `${id} ${versioned}` });
    const png = await plotSkyMap(map, { width: WIDTH });
    if (path) {
      try {
        mkdirSync(join(path, '..'), { recursive: true });
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(tmp, png);
        renameSync(tmp, path);
      } catch (err) {
        log.warn({ err: (err as Error).message, path }, 'cannot cache a sky-map image');
      }
    }
    return this.remember(`${id}/${versioned}`, png);
  }

  private remember(key: string, png: Buffer): Buffer {
    this.memory.set(key, png);
    if (this.memory.size > MEMORY_ENTRIES) {
      const oldest = this.memory.keys().next().value;
      if (oldest !== undefined) this.memory.delete(oldest);
    }
    return png;
  }
}
