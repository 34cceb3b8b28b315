/**
 * Sky-map annotation (gwcelery-spec §7.3) and the Burst multi-order conversion (§4.1): what is
 * uploaded beside every sky map that reaches a superevent — the FITS header as HTML, the
 * Mollweide plot with 50%/90% contours and, for multi-order maps, the flattened `.fits.gz`.
 */
import { basename } from 'node:path';
import { defineTask } from '../engine/index.js';
import { headersToHtml, readFits } from '../formats/fits/index.js';
import type { GraceDbClient } from '../gracedb/client.js';
import { isEventId } from '../gracedb/ids.js';
import { parseVersionedFilename } from '../gracedb/versioned-filename.js';
import { flatten, reorder } from '../skymap/flat.js';
import { nsideToOrder } from '../skymap/healpix/resolution.js';
import { readSkyMap, readSkyMapFile, writeFlatSkyMap, writeSkyMap } from '../skymap/io.js';
import { maxOrder } from '../skymap/multiorder.js';
import { plotSkyMap } from '../skymap/plot/render.js';
import { reportBadInput } from './annotation-errors.js';
import { gracedbFor } from './gracedb.js';
import { LABELS } from './orchestrator/labels.js';

/** `bayestar.multiorder.fits,1` → `bayestar`; `cwb.fits.gz` → `cwb`. */
export function skymapBase(filename: string): string {
  return parseVersionedFilename(filename).name.replace(/(\.multiorder)?\.fits(\.gz)?$/, '');
}

/** An HTML link to a file of an event or superevent, as annotation comments carry. */
export function fileLink(gracedb: GraceDbClient, graceid: string, filename: string): string {
  const parent = isEventId(graceid) ? 'events' : 'superevents';
  return `<a href="${gracedb.url}${parent}/${graceid}/files/${filename}">${filename}</a>`;
}

/**
 * Uploads `<base>.html` and `<base>.png` for a sky map of `graceid`, then (multi-order maps)
 * asks the highmem queue for `<base>.fits.gz`. The 3-D volume rendering of the reference is not
 * available (docs/skymap.md).
 */
export const annotateFits = defineTask(
  { name: 'skymaps.annotate_fits' },
  async (ctx, filename: string, graceid: string, tags: string[]) => {
    const gracedb = gracedbFor(ctx.app.config);
    const bytes = await gracedb.download(filename, graceid);
    const base = skymapBase(filename);
    const link = fileLink(gracedb, graceid, filename);
    let stored: ReturnType<typeof readSkyMapFile>;
    let html: string;
    try {
      html = headersToHtml(readFits(bytes, { source: filename }), basename(filename));
      stored = readSkyMapFile(bytes, { source: `${graceid} ${filename}` });
    } catch (err) {
      if (await reportBadInput(gracedb, graceid, `Annotation of ${filename}`, err, ctx.log)) {
        return null;
      }
      throw err;
    }
    await gracedb.upload(html, `${base}.html`, graceid, `FITS headers for ${link}`, tags);
    // A flat map is plotted through the reader's conversion (negative pixels clamped, as Fermi's).
    const map = stored.kind === 'multiorder' ? stored.map : readSkyMap(bytes, { source: filename });
    const png = await plotSkyMap(map);
    await gracedb.upload(png, `${base}.png`, graceid, `Mollweide projection of ${link}`, tags);
    if (stored.kind === 'multiorder') {
      await flattenSkymap.applyAsync([filename, graceid, tags]);
    }
    return base;
  },
);

/** `<base>.fits.gz`: the multi-order map on one nside (highmem: a finest-order map is large). */
export const flattenSkymap = defineTask(
  { name: 'skymaps.flatten', queue: 'highmem' },
  async (ctx, filename: string, graceid: string, tags: string[]) => {
    const gracedb = gracedbFor(ctx.app.config);
    const stored = readSkyMapFile(await gracedb.download(filename, graceid), {
      source: `${graceid} ${filename}`,
    });
    if (stored.kind !== 'multiorder') return null;
    const cap = ctx.app.config.skymap_flatten_max_nside;
    const order = cap ? Math.min(maxOrder(stored.map), nsideToOrder(cap)) : maxOrder(stored.map);
    const flat = reorder(flatten(stored.map, order), true);
    const name = `${skymapBase(filename)}.fits.gz`;
    await gracedb.upload(
      writeFlatSkyMap(flat, { gzip: true }),
      name,
      graceid,
      `Flattened version of multi-order FITS file ${fileLink(gracedb, graceid, filename)}`,
      tags,
    );
    return { filename: name, nside: flat.nside };
  },
);

/**
 * A Burst pipeline's flat `.fits.gz` → `<base>.multiorder.fits` on the same event, then
 * SKYMAP_READY (§4.1).
 */
export const multiorderFromFlat = defineTask(
  { name: 'skymaps.multiorder_from_flat', queue: 'highmem' },
  async (ctx, graceid: string, filename: string) => {
    const gracedb = gracedbFor(ctx.app.config);
    const bytes = await gracedb.download(filename, graceid);
    let multiorder: Uint8Array;
    try {
      multiorder = writeSkyMap(readSkyMap(bytes, { source: `${graceid} ${filename}` }));
    } catch (err) {
      if (await reportBadInput(gracedb, graceid, `Conversion of ${filename}`, err, ctx.log)) {
        return null;
      }
      throw err;
    }
    const name = `${skymapBase(filename)}.multiorder.fits`;
    await gracedb.upload(
      multiorder,
      name,
      graceid,
      `Multiresolution FITS file generated from ${fileLink(gracedb, graceid, filename)}`,
      ['sky_loc', 'lvem', 'public'],
    );
    await gracedb.createLabel(LABELS.SKYMAP_READY, graceid);
    return name;
  },
);
