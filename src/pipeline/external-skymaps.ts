/**
 * External sky maps downloaded from a URL (gwcelery-spec §5.4): the console's "Download/Upload
 * External Sky Map" form names an external event and a link; the map is fetched here, in a task,
 * not in the web request as the reference did (§13), and uploaded beside its plot with
 * EXT_SKYMAP_READY.
 */
import { defineTask } from '../engine/index.js';
import { readSkyMap, readSkyMapFile } from '../skymap/io.js';
import { plotSkyMap } from '../skymap/plot/render.js';
import { reportBadInput } from './annotation-errors.js';
import { gracedbFor } from './gracedb.js';

/** The reference's retry budget for a map not yet published (404) or a network error. */
const DOWNLOAD_RETRIES = 8;

/** A link that cannot work whatever the retries: refused at once. */
export class ExternalSkymapUrlError extends Error {
  override name = 'ExternalSkymapUrlError';
}

/** A download that may work later: a 404 (not published yet), a 5xx, a network error. */
class TransientDownloadError extends Error {
  override name = 'TransientDownloadError';
}

/** File base name: `external_from_url` for a link given by hand, the Fermi name otherwise. */
export function externalSkymapBase(search: string): string {
  return search === 'FromURL' ? 'external_from_url' : 'glg_healpix_all_bn_v00';
}

async function download(graceid: string, url: URL, timeoutS: number): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutS * 1000) });
  } catch (err) {
    throw new TransientDownloadError(`${graceid}: ${url}: ${(err as Error).message}`);
  }
  if (response.status === 404 || response.status === 408 || response.status >= 500) {
    throw new TransientDownloadError(`${graceid}: ${url}: HTTP ${response.status}`);
  }
  if (!response.ok) {
    throw new ExternalSkymapUrlError(
      `${graceid}: ${url}: HTTP ${response.status} ${response.statusText}`,
    );
  }
  return Buffer.from(await response.arrayBuffer());
}

export const getUploadExternalSkymap = defineTask(
  {
    name: 'external_skymaps.get_upload_external_skymap',
    // Only the explicit ctx.retry below retries, with the configured delay.
    retry: { maxRetries: DOWNLOAD_RETRIES, backoffS: 30 },
  },
  async (ctx, event: { graceid: string; search: string }, link: string) => {
    const { graceid } = event;
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw new ExternalSkymapUrlError(`${graceid}: '${link}' is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ExternalSkymapUrlError(`${graceid}: '${link}' is not an http(s) URL`);
    }
    const config = ctx.app.config;
    const gracedb = gracedbFor(config);
    let bytes: Buffer;
    try {
      bytes = await download(graceid, url, config.external_skymap_download_timeout_s);
    } catch (err) {
      if (!(err instanceof TransientDownloadError)) throw err;
      if (ctx.retries >= DOWNLOAD_RETRIES) {
        await gracedb.upload(
          null,
          null,
          graceid,
          `Gave up downloading the sky map at ${link} after ${DOWNLOAD_RETRIES} retries: ${err.message}`,
        );
        throw err;
      }
      ctx.log.warn({ graceid, url: link, err: err.message }, 'sky map not downloadable yet');
      return ctx.retry({
        countdownS: config.external_skymap_download_retry_s * 2 ** ctx.retries,
        reason: err,
      });
    }
    const source = `${graceid} sky map from ${link}`;
    let multiorder: boolean;
    let png: Buffer;
    try {
      multiorder = readSkyMapFile(bytes, { source }).kind === 'multiorder';
      png = await plotSkyMap(readSkyMap(bytes, { source }));
    } catch (err) {
      if (await reportBadInput(gracedb, graceid, `The sky map at ${link}`, err, ctx.log)) {
        return null;
      }
      throw err;
    }
    const base = externalSkymapBase(event.search);
    const filename = `${base}.${multiorder ? 'multiorder.fits' : 'fits.gz'}`;
    await gracedb.upload(
      bytes,
      filename,
      graceid,
      // The parsed URL: quotes and angle brackets come out percent-encoded, safe in HTML.
      `Sky map downloaded from <a href="${url.href}">${url.href}</a>.`,
      ['sky_loc'],
    );
    await gracedb.upload(png, `${base}.png`, graceid, `Mollweide projection of ${filename}`, [
      'sky_loc',
    ]);
    await gracedb.createLabel('EXT_SKYMAP_READY', graceid);
    return filename;
  },
);
