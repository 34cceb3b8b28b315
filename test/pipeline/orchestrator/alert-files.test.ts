import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AlertFilesError,
  alertFilenames,
  combinedSkymapFilename,
  discoverAlertFiles,
  skymapType,
} from '../../../src/pipeline/orchestrator/alert-files.js';
import { highProfileDecision } from '../../../src/pipeline/orchestrator/high-profile.js';
import { voeventRequest } from '../../../src/pipeline/orchestrator/voevent-request.js';

test('file names per preferred event: CBC, SSM, cWB BBH, Burst; others are an error', () => {
  assert.deepEqual(alertFilenames({ group: 'CBC', pipeline: 'gstlal', search: 'AllSky' }), {
    skymap: 'bayestar.multiorder.fits',
    emBright: 'em_bright.json',
    pAstro: 'gstlal.p_astro.json',
  });
  assert.deepEqual(
    alertFilenames({ group: 'CBC', pipeline: 'MBTA', search: 'AllSky' }).pAstro,
    'mbta.p_astro.json',
  );
  assert.deepEqual(alertFilenames({ group: 'CBC', pipeline: 'gstlal', search: 'SSM' }), {
    skymap: 'bayestar.multiorder.fits',
    emBright: 'em_bright.json',
  });
  assert.deepEqual(alertFilenames({ group: 'Burst', pipeline: 'CWB', search: 'BBH' }), {
    skymap: 'cwb.multiorder.fits',
    pAstro: 'cwb.p_astro.json',
    emBright: 'em_bright.json',
  });
  assert.deepEqual(alertFilenames({ group: 'Burst', pipeline: 'oLIB', search: 'AllSky' }), {
    skymap: 'olib.multiorder.fits',
  });
  assert.throws(
    () => alertFilenames({ graceid: 'T1', group: 'Test', pipeline: 'gstlal' }),
    (err: Error) => err instanceof AlertFilesError && /T1.*group 'Test'/.test(err.message),
  );
});

const entry = (filename: string, version: number, tags: string[]) => ({
  filename,
  file_version: version,
  tag_names: tags,
});

test('file discovery from the superevent log: tags and names, the last match wins', () => {
  const log = [
    { filename: '', file_version: null, tag_names: [] },
    entry('bayestar.multiorder.fits', 0, ['sky_loc', 'public']),
    entry('bayestar.png', 0, ['sky_loc', 'public']),
    entry('em_bright.json', 0, ['em_bright', 'public']),
    entry('gstlal.p_astro.json', 0, ['p_astro', 'public']),
    entry('bilby.multiorder.fits', 0, ['sky_loc', 'pe']),
    entry('combined-ext.multiorder.fits', 0, ['sky_loc', 'ext_coinc', 'public']),
    entry('bayestar.multiorder.fits', 1, ['sky_loc', 'public']),
    entry('RapidPE_RIFT.p_astro.json', 0, ['pe', 'p_astro', 'public']),
    entry('em_bright.json', 1, ['em_bright']),
  ];
  assert.deepEqual(discoverAlertFiles(log), {
    skymap: 'bayestar.multiorder.fits,1',
    emBright: 'em_bright.json,1',
    pAstro: 'gstlal.p_astro.json,0',
    rapidPePAstro: 'RapidPE_RIFT.p_astro.json,0',
    combinedSkymap: 'combined-ext.multiorder.fits,0',
  });
  // SSM: no p_astro, but a RapidPE one is still looked for.
  const ssm = discoverAlertFiles(log, { ssm: true });
  assert.equal(ssm.pAstro, undefined);
  assert.equal(ssm.rapidPePAstro, 'RapidPE_RIFT.p_astro.json,0');
  // A sky map without the public tag is not an alert's sky map.
  assert.equal(
    discoverAlertFiles([entry('bilby.multiorder.fits', 3, ['sky_loc'])]).skymap,
    undefined,
  );
});

test('skymap_type and the combined map name (the §13 flat-map constant fixed)', () => {
  assert.equal(skymapType('bayestar.multiorder.fits,1'), 'bayestar');
  assert.equal(skymapType('bilby.multiorder.fits'), 'bilby');
  assert.equal(skymapType('cwb.fits.gz,2'), 'cwb');
  assert.equal(
    combinedSkymapFilename('bayestar.multiorder.fits,0'),
    'combined-ext.multiorder.fits',
  );
  assert.equal(combinedSkymapFilename('cwb.fits.gz,0'), 'combined-ext.fits.gz');
});

test('VOEvent request fields: renamed em_bright keys, p_astro, Significant, sky map type', () => {
  const req = voeventRequest({
    alertType: 'less-significant',
    skymapFilename: 'bayestar.multiorder.fits,0',
    emBright: { HasNS: 1, HasRemnant: 0.5, HasMassGap: 0 },
    pAstro: { BNS: 0.9, NSBH: 0.05, BBH: 0, Terrestrial: 0.05 },
  });
  assert.equal(req.voeventType, 'preliminary');
  assert.deepEqual(req.fields, {
    internal: false,
    open_alert: true,
    Significant: false,
    skymap_filename: 'bayestar.multiorder.fits,0',
    skymap_type: 'bayestar',
    raven_coinc: false,
    ProbHasNS: 1,
    ProbHasRemnant: 0.5,
    HasMassGap: 0,
    BNS: 0.9,
    NSBH: 0.05,
    BBH: 0,
    Terrestrial: 0.05,
  });
  const ssm = voeventRequest({ alertType: 'preliminary', emBright: { HasSSM: 0.2 } });
  assert.equal(ssm.fields.HasSSM, 0.2);
  assert.equal(ssm.fields.Significant, true);
  const raven = voeventRequest({
    alertType: 'initial',
    skymapFilename: 'bayestar.multiorder.fits,2',
    ravenCoinc: true,
    combinedSkymapFilename: 'combined-ext.multiorder.fits,0',
  });
  assert.equal(raven.fields.raven_coinc, true);
  assert.equal(raven.fields.combined_skymap_filename, 'combined-ext.multiorder.fits,0');
  assert.deepEqual(voeventRequest({ alertType: 'retraction' }), {
    voeventType: 'retraction',
    fields: { internal: false, open_alert: true },
  });
  assert.throws(
    () => voeventRequest({ alertType: 'preliminary', pAstro: { BNS: 1.5 } }),
    /p_astro: BNS must be a probability/,
  );
});

test('HIGH_PROFILE: Burst lowest FAR; CBC with p_terr < 0.5 and a NS or a small area', () => {
  const cbc = [{ graceid: 'G1', group: 'CBC', search: 'AllSky', far: 1e-10 }];
  const base = { supereventLabels: new Set<string>(), events: cbc, preferredGroup: 'CBC' };
  assert.equal(
    highProfileDecision({ ...base, supereventLabels: new Set(['HIGH_PROFILE']) }).apply,
    false,
  );
  const burst = highProfileDecision({
    ...base,
    events: [...cbc, { graceid: 'G2', group: 'Burst', search: 'AllSky', far: 1e-12 }],
  });
  assert.equal(burst.apply, true);
  assert.match(burst.reason, /G2\) is a Burst event/);
  assert.equal(
    highProfileDecision({
      ...base,
      events: [...cbc, { graceid: 'G3', group: 'Burst', search: 'BBH', far: 1e-12 }],
      pAstro: { BNS: 0, NSBH: 0, BBH: 0.99, Terrestrial: 0.01 },
      area90: 500,
    }).apply,
    false,
    'cWB BBH is not a Burst for this rule; a loud distant BBH is not high profile',
  );
  const bns = highProfileDecision({
    ...base,
    pAstro: { BNS: 0.6, NSBH: 0, BBH: 0, Terrestrial: 0.4 },
  });
  assert.equal(bns.apply, true);
  assert.match(bns.reason, /p_BNS 0\.60 > 0\.1/);
  assert.equal(
    highProfileDecision({ ...base, pAstro: { BNS: 0.3, NSBH: 0, BBH: 0, Terrestrial: 0.7 } }).apply,
    false,
    'mostly terrestrial',
  );
  assert.equal(
    highProfileDecision({
      ...base,
      pAstro: { BNS: 0, NSBH: 0, BBH: 0.9, Terrestrial: 0.1 },
      emBright: { HasRemnant: 0.2 },
    }).apply,
    true,
  );
  assert.equal(
    highProfileDecision({
      ...base,
      pAstro: { BNS: 0, NSBH: 0, BBH: 0.9, Terrestrial: 0.1 },
      area90: 50,
    }).apply,
    true,
  );
});
