/**
 * The console's "Download/Upload External Sky Map" task against the embedded GraceDB and a real
 * HTTP server: multi-order and flat maps, a map published late (404 then 200), a file that is not
 * a sky map, a link that can never work.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { startOrchestratorStack } from './orchestrator/stack.js';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
const MULTIORDER = fixture('skymap/gaussian-blob.multiorder.fits');
const FLAT = fixture('skymap/gaussian-blob-nside8-ring.fits.gz');
const NOTICE = fixture('gracedb/grb-notice.xml');

test('external sky maps downloaded from a URL are uploaded with their plot and EXT_SKYMAP_READY', async (t) => {
  let lateRequests = 0;
  const server = createServer((request, response) => {
    const send = (status: number, body: Buffer | string) => {
      response.writeHead(status);
      response.end(body);
    };
    if (request.url === '/map.multiorder.fits') return send(200, MULTIORDER);
    if (request.url === '/map.fits.gz') return send(200, FLAT);
    if (request.url === '/late.fits')
      return ++lateRequests < 3 ? send(404, '') : send(200, MULTIORDER);
    if (request.url === '/junk.fits') return send(200, 'this is not FITS');
    return send(403, 'forbidden');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { stack } = await startOrchestratorStack(t, {}, { celery: 1 });
  const { gracedb, app } = stack;
  const fetchMap = async (path: string) => {
    const grb = await gracedb.createEvent(NOTICE, 'GRB', 'Fermi', 'External');
    const task = await app.sendTask('external_skymaps.get_upload_external_skymap', [
      { graceid: grb.graceid, search: 'FromURL' },
      `${base}${path}`,
    ]);
    return { graceid: grb.graceid, result: task.get(30_000) };
  };
  const files = async (graceid: string) =>
    Object.keys(await gracedb.getSupereventFileList(graceid)).filter((f) => !f.includes(','));

  const moc = await fetchMap('/map.multiorder.fits');
  assert.equal(await moc.result, 'external_from_url.multiorder.fits');
  assert.deepEqual((await files(moc.graceid)).sort(), [
    'external_from_url.multiorder.fits',
    'external_from_url.png',
    'initial.data',
  ]);
  assert.deepEqual(
    await gracedb.download('external_from_url.multiorder.fits', moc.graceid),
    MULTIORDER,
  );
  assert.ok((await gracedb.getEvent(moc.graceid)).labels.includes('EXT_SKYMAP_READY'));

  const flat = await fetchMap('/map.fits.gz');
  assert.equal(await flat.result, 'external_from_url.fits.gz');
  assert.ok((await files(flat.graceid)).includes('external_from_url.png'));

  const late = await fetchMap('/late.fits');
  assert.equal(await late.result, 'external_from_url.multiorder.fits');
  assert.equal(lateRequests, 3);

  const junk = await fetchMap('/junk.fits');
  assert.equal(await junk.result, null);
  const log = (await gracedb.getLog(junk.graceid)).map((e) => e.comment);
  assert.ok(
    log.some((c) => c.startsWith(`The sky map at ${base}/junk.fits failed:`)),
    log.join('\n'),
  );
  assert.ok(!(await gracedb.getEvent(junk.graceid)).labels.includes('EXT_SKYMAP_READY'));

  const forbidden = await fetchMap('/forbidden.fits');
  await assert.rejects(forbidden.result, /HTTP 403 Forbidden/);
  assert.equal(lateRequests, 3);
  const notUrl = await app.sendTask('external_skymaps.get_upload_external_skymap', [
    { graceid: junk.graceid, search: 'FromURL' },
    'ftp://example.org/map.fits',
  ]);
  await assert.rejects(notUrl.get(30_000), /is not an http\(s\) URL/);
});
