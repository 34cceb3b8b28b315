import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LogEntry } from '../../src/gracedb/client.js';
import { unixToGps } from '../../src/gracedb/gps-time.js';
import { olibPayload, startTestGraceDb, type TestGraceDb, TOKEN } from './helpers.js';

/** URL conventions (§1.1, §9.1), the root document (§1.2), files (§2.6) and the HTML pages. */
let g: TestGraceDb;
let sid: string;
let gid: string;
const T = unixToGps(Date.parse('2024-09-09T09:00:00Z') / 1000);

before(async () => {
  g = await startTestGraceDb();
  gid = (await g.client.createEvent(olibPayload(T), 'AllSky', 'oLIB', 'Burst')).graceid;
  sid = (await g.client.createSuperevent(gid, T, T - 1, T + 1))!;
});
after(() => g?.close());

async function get(
  path: string,
  headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` },
  base = g.service.url,
) {
  const response = await fetch(new URL(path, base), { headers });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    headers: response.headers,
    text: await response.text(),
  };
}

test('the root document lists links, templates and the vocabularies', async () => {
  const root = JSON.parse((await get('')).text);
  assert.equal(root.links.self, g.service.url);
  assert.equal(root.links.superevents, `${g.service.url}superevents/`);
  assert.equal(
    root.templates['superevent-detail-template'],
    `${g.service.url}superevents/{superevent_id}/`,
  );
  assert.equal(root.templates['event-detail-template'], `${g.service.url}events/{graceid}`);
  assert.equal(Object.keys(root.templates).length, 33);
  assert.ok(
    root.groups.includes('External') &&
      root.pipelines.includes('gstlal') &&
      root.searches.includes('EarlyWarning'),
  );
  assert.ok(root.labels.includes('ADVREQ') && root.labels.includes('SIGNIF_LOCKED'));
  assert.deepEqual(root['superevent-categories'], { P: 'Production', T: 'Test', M: 'MDC' });
  assert.deepEqual(root['voevent-types'], {
    PR: 'preliminary',
    IN: 'initial',
    UP: 'update',
    RE: 'retraction',
    EW: 'earlywarning',
  });
  const tags = JSON.parse((await get('tag/')).text);
  assert.deepEqual(tags.tags.sky_loc, { displayName: 'Sky Localization', blessed: true });
});

test('both slash conventions, the v1 prefix, and DELETE without the trailing slash', async () => {
  assert.equal((await get(`events/${gid}`)).status, 200);
  assert.equal((await get(`events/${gid}/`)).status, 200);
  assert.equal((await get(`superevents/${sid}`)).status, 200);
  const v1 = JSON.parse((await get(`v1/superevents/${sid}/`)).text);
  assert.equal(v1.superevent_id, sid);
  await g.client.createLabel('DQOK', sid);
  const response = await fetch(new URL(`superevents/${sid}/labels/DQOK`, g.service.url), {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(response.status, 204);
  assert.equal((await get(`superevents/${sid}/labels/DQOK/`)).status, 404);
  assert.equal((await get('superevents/S990909zz/')).text, '{"detail":"Not found."}');
  assert.equal((await get('superevents/not-an-id/')).status, 404);
  assert.equal((await get('events/X1234')).text, 'Event not found.');
});

test('files: name,N and %2C, the newest for a bare name, content types, errors', async () => {
  await g.client.upload('{"a": 1}', 'p_astro.json', sid, 'v0', []);
  await g.client.upload('{"a": 2}', 'p_astro.json', sid, 'v1', []);
  await g.client.upload(Buffer.from([0, 1, 2]), 'S1#odd name.fits.gz', sid, 'odd', []);
  assert.equal((await get(`superevents/${sid}/files/p_astro.json,0`)).text, '{"a": 1}');
  assert.equal((await get(`superevents/${sid}/files/p_astro.json%2C0`)).text, '{"a": 1}');
  const newest = await get(`superevents/${sid}/files/p_astro.json`);
  assert.equal(newest.text, '{"a": 2}');
  assert.equal(newest.type, 'application/json');
  const list = JSON.parse((await get(`superevents/${sid}/files/`)).text);
  assert.equal(
    list['S1#odd name.fits.gz,0'],
    `${g.service.url}superevents/${sid}/files/S1%23odd%20name.fits.gz,0`,
  );
  const odd = await get(`superevents/${sid}/files/S1%23odd%20name.fits.gz,0`);
  assert.deepEqual(Buffer.from(odd.text, 'latin1'), Buffer.from([0, 1, 2]));
  assert.equal(odd.type, 'application/octet-stream');
  assert.equal(
    odd.headers.get('content-disposition'),
    'attachment; filename="S1#odd name.fits.gz"',
  );
  assert.equal(
    (await get(`superevents/${sid}/files/p_astro.json,9`)).text,
    '"File p_astro.json,9 not found"',
  );
  assert.equal(
    (await get(`superevents/${sid}/files/p_astro.json,x`)).text,
    '"File not found, version string should be an int"',
  );
  assert.equal(
    (await get(`superevents/${sid}/files/a,b,1`)).text,
    '"Invalid filename: filename should not contain commas"',
  );
  const comma = new FormData();
  comma.append('comment', 'bad');
  comma.append('upload', new Blob(['x']), 'a,b.txt');
  const refused = await fetch(new URL(`superevents/${sid}/logs/`, g.service.url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}` },
    body: comma,
  });
  assert.equal(refused.status, 400);
  assert.equal(await refused.text(), '"Invalid filename: filename should not contain commas"');
  assert.equal(await g.client.getLatestFile(sid, 'p_astro.json'), 'p_astro.json,1');
  await g.client.upload('é', 'carte_é—π.fits', sid, 'unicode name', []);
  assert.equal((await g.client.download('carte_é—π.fits', sid)).toString(), 'é');
  const unicode = await get(`superevents/${sid}/files/${encodeURIComponent('carte_é—π.fits')}`);
  assert.equal(
    unicode.headers.get('content-disposition'),
    `attachment; filename="carte____.fits"; filename*=UTF-8''${encodeURIComponent('carte_é—π.fits')}`,
  );
});

test('log entries: JSON without a file, tags with display names, label, mismatched display names', async () => {
  const answer = await fetch(new URL(`superevents/${sid}/logs/`, g.service.url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      comment: 'hello',
      tagname: ['my_tag', 'sky_loc'],
      displayName: ['Mine', 'Sky'],
      label: 'EM_READY',
    }),
  });
  assert.equal(answer.status, 201);
  const entry = (await answer.json()) as LogEntry;
  assert.equal(answer.headers.get('location'), entry.self);
  assert.deepEqual(
    [entry.comment, entry.filename, entry.file_version, entry.file, entry.tag_names],
    ['hello', '', null, null, ['my_tag', 'sky_loc']],
  );
  const tags = JSON.parse((await get(`superevents/${sid}/logs/${entry.N}/tags/`)).text);
  assert.deepEqual(
    tags.tags.map((t: { name: string; displayName: string }) => [t.name, t.displayName]),
    [
      ['my_tag', 'Mine'],
      ['sky_loc', 'Sky Localization'],
    ],
  );
  assert.ok((await g.client.getLabels(sid)).has('EM_READY'));
  const log = await g.client.getLog(sid);
  assert.deepEqual(
    log.slice(-3).map((e) => e.comment),
    [
      `Tagged message ${entry.N}: my_tag.`,
      `Tagged message ${entry.N}: sky_loc.`,
      'Added label: EM_READY',
    ],
  );
  const mismatched = await fetch(new URL(`superevents/${sid}/logs/`, g.service.url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ comment: 'x', tagname: ['a', 'b'], displayName: ['A'] }),
  });
  assert.equal(
    await mismatched.text(),
    '"There should either be as many display names as tags, or there should be no display names"',
  );
  const badJson = await fetch(new URL(`superevents/${sid}/logs/`, g.service.url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: '{"comment": ',
  });
  assert.equal(badJson.status, 400);
  assert.match(((await badJson.json()) as { detail: string }).detail, /^JSON parse error - /);
  const eventTag = await fetch(new URL(`events/${gid}/log/1/tag/public`, g.service.url), {
    method: 'PUT',
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(eventTag.status, 201);
  assert.equal(await eventTag.text(), '"Tag created."');
  assert.equal((await g.client.getLog(gid)).at(-1)!.comment, 'Tagged message 1: public ');
  const missing = await fetch(new URL(`events/${gid}/log/999/tag/public`, g.service.url), {
    method: 'PUT',
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(await missing.text(), '"Log does not exist."');
});

test('HTML pages for an event and a superevent: labels, log, files with links, preferred event', async () => {
  await g.client.createLabel('SKYMAP_READY', sid);
  await g.client.upload(
    'fits',
    'bayestar.multiorder.fits',
    sid,
    "BAYESTAR <a href='https://example.org/x'>map</a><script>x()</script>",
    ['sky_loc'],
  );
  const page = await get(`../superevents/${sid}/view/`);
  assert.equal(page.status, 200);
  assert.match(page.type, /^text\/html/);
  assert.match(page.text, new RegExp(`<h1>Superevent ${sid}</h1>`));
  assert.match(page.text, /<span class="label">SKYMAP_READY<\/span>/);
  assert.match(page.text, new RegExp(`<a href="[^"]*/events/${gid}/view/">${gid}</a>`));
  assert.match(
    page.text,
    new RegExp(
      `<a href="${g.service.url}superevents/${sid}/files/bayestar.multiorder.fits,0">bayestar.multiorder.fits,0</a>`,
    ),
  );
  assert.match(
    page.text,
    /BAYESTAR <a href="https:\/\/example.org\/x">map<\/a>&lt;script&gt;/,
    'links kept, scripts escaped',
  );
  const eventPage = await get(`../events/${gid}/view/`);
  assert.match(eventPage.text, new RegExp(`<a href="[^"]*/superevents/${sid}/view/">${sid}</a>`));
  assert.match(eventPage.text, /Original Data/);
  const hidden = await get(`../superevents/${sid}/view/`, {});
  assert.equal(hidden.status, 404);
  assert.equal((await get('../superevents/S000000a/view/')).status, 404);
});
