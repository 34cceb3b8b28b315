import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { emBrightForEvent, shouldComputeEmBright } from '../../src/science/em-bright/for-event.js';
import { emBrightFromTemplate } from '../../src/science/em-bright/from-template.js';
import { ScienceInputError } from '../../src/science/errors.js';
import { type GraceDbEventJson, rankingInstruments } from '../../src/science/gracedb-event.js';
import { computePAstro } from '../../src/science/p-astro/counts-p-astro.js';
import { pAstroForEvent, shouldComputePAstro } from '../../src/science/p-astro/for-event.js';
import { needsShared, sharedData } from '../helpers/shared.js';
import { defaultSettings } from './default-settings.js';

const settings = defaultSettings();
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function fixture(name: string): GraceDbEventJson {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/science/${name}`, import.meta.url), 'utf8'),
  ) as GraceDbEventJson;
}

function withMultiBurst(
  event: GraceDbEventJson,
  change: Record<string, unknown>,
): GraceDbEventJson {
  const extra = event.extra_attributes as { MultiBurst: Record<string, unknown> };
  return { ...event, extra_attributes: { MultiBurst: { ...extra.MultiBurst, ...change } } };
}

test('which pipelines and searches get the p_astro fallback', () => {
  assert.ok(shouldComputePAstro('spiir', 'EarlyWarning', settings));
  assert.ok(shouldComputePAstro('pycbc', 'earlywarning', settings));
  assert.ok(shouldComputePAstro('gstlal', 'MDC', settings));
  assert.ok(!shouldComputePAstro('gstlal', 'AllSky', settings));
  assert.ok(!shouldComputePAstro('pycbc', 'AllSky', settings));
  assert.ok(!shouldComputePAstro('MBTA', 'AllSky', settings));
  assert.ok(!shouldComputePAstro('spiir', 'AllSky', settings));
  assert.ok(!shouldComputePAstro('gstlal', 'SSM', settings));
});

test('spiir early warning: p_astro from the event, V1 outside the ranking statistic', () => {
  const event = fixture('spiir-earlywarning-event.json');
  assert.deepEqual(rankingInstruments(event), ['H1', 'L1']);
  const out = pAstroForEvent(event, settings);
  assert.equal(out.filename, 'spiir.p_astro.json');
  assert.equal(out.pngFilename, 'spiir.p_astro.png');
  const direct = computePAstro(
    {
      snr: 11.5,
      far: 1.2e-9,
      mass1: 1.6,
      mass2: 1.35,
      pipeline: 'spiir',
      instruments: ['H1', 'L1'],
    },
    settings,
  );
  assert.deepEqual(out.values, direct);
  assert.deepEqual(JSON.parse(out.json), direct);
  assert.match(
    out.json,
    /^\{"BNS": [0-9.e-]+, "NSBH": 0\.0, "BBH": 0\.0, "Terrestrial": [0-9.e-]+\}$/,
  );
  assert.deepEqual(out.png.subarray(0, 8), PNG_SIGNATURE);
});

test('CBC em_bright uses SingleInspiral[0] and the network SNR', () => {
  const event = fixture('spiir-earlywarning-event.json');
  assert.ok(shouldComputeEmBright(event));
  const out = emBrightForEvent(event, settings);
  assert.equal(out.filename, 'em_bright.json');
  assert.equal(out.pngFilename, 'em_bright.png');
  assert.deepEqual(out.template, {
    mass1: 1.6,
    mass2: 1.35,
    spin1z: 0.02,
    spin2z: -0.01,
    snr: 11.5,
  });
  const direct = emBrightFromTemplate(out.template, settings).properties;
  assert.deepEqual(out.properties, direct);
  assert.equal(out.json, '{"HasNS": 1.0, "HasRemnant": 1.0, "HasMassGap": 0.0}');
  assert.deepEqual(out.png.subarray(0, 8), PNG_SIGNATURE);
});

test('the SSM search gets HasSSM and no p_astro', () => {
  const event = fixture('gstlal-ssm-event.json');
  const out = emBrightForEvent(event, settings);
  assert.deepEqual(Object.keys(out.properties), ['HasSSM', 'HasNS', 'HasMassGap']);
  assert.equal(out.properties.HasNS, 1);
  assert.ok(out.properties.HasSSM! > 0.9);
  assert.throws(
    () => pAstroForEvent(event, settings),
    /G900003: search: gwcelery does not compute p_astro for gstlal\/ssm/,
  );
});

test('cWB BBH: equal masses from the chirp mass, 30 M☉ without one', () => {
  const event = fixture('cwb-bbh-event.json');
  assert.ok(shouldComputeEmBright(event));
  const out = emBrightForEvent(event, settings);
  const m = 2 ** 0.2 * 26.1;
  assert.deepEqual(out.template, { mass1: m, mass2: m, spin1z: 0, spin2z: 0, snr: 14.2 });
  assert.equal(out.json, '{"HasNS": 0.0, "HasRemnant": 0.0, "HasMassGap": 0.0}');
  for (const mchirp of [0, null, undefined]) {
    const fallback = emBrightForEvent(withMultiBurst(event, { mchirp }), settings);
    assert.equal(fallback.template.mass1, 30);
    assert.equal(fallback.template.mass2, 30);
  }
  assert.throws(
    () => emBrightForEvent(withMultiBurst(event, { snr: null }), settings),
    /G900002: extra_attributes\.MultiBurst\.snr: is missing/,
  );
  const point = emBrightForEvent(
    withMultiBurst(event, { snr: null }),
    defaultSettings({ em_bright_method: 'point' }),
  );
  assert.equal(point.model.name, 'analytic-point');
  // A cWB event outside the BBH search gets nothing.
  assert.ok(!shouldComputeEmBright({ ...event, search: 'AllSky' }));
});

test('VTInjection events get no annotations', () => {
  const event = { ...fixture('spiir-earlywarning-event.json'), search: 'VTInjection' };
  assert.ok(!shouldComputeEmBright(event));
  assert.throws(() => emBrightForEvent(event, settings), ScienceInputError);
});

test('a malformed event is an error naming the event and the field path', () => {
  const event = fixture('spiir-earlywarning-event.json');
  const extra = event.extra_attributes as { SingleInspiral: Record<string, unknown>[] };
  const noSpin = {
    ...event,
    extra_attributes: {
      ...extra,
      SingleInspiral: [{ ...extra.SingleInspiral[0], spin1z: null }],
    },
  };
  assert.throws(
    () => emBrightForEvent(noSpin, settings),
    /^ScienceInputError: G900001: extra_attributes\.SingleInspiral\[0\]\.spin1z: is missing$/,
  );
  assert.throws(
    () => pAstroForEvent({ ...event, far: undefined }, settings),
    /G900001: far: is missing/,
  );
  assert.throws(
    () =>
      pAstroForEvent(
        { ...event, extra_attributes: { SingleInspiral: extra.SingleInspiral } },
        settings,
      ),
    /G900001: extra_attributes\.CoincInspiral: is missing/,
  );
  assert.throws(
    () => emBrightForEvent({ ...event, extra_attributes: { CoincInspiral: {} } }, settings),
    /extra_attributes\.SingleInspiral: is missing or empty/,
  );
});

test(
  'reference fixtures: gstlal AllSky gets em_bright only, the gstlal MDC mock event p_astro too',
  needsShared(
    'gwcelery/tests/T0212_S0039_preferred.json',
    'gwcelery/tests/lvalert_event_creation.json',
  ),
  () => {
    const allsky = JSON.parse(
      readFileSync(sharedData('gwcelery/tests/T0212_S0039_preferred.json')!, 'utf8'),
    );
    const bbh = emBrightForEvent(allsky, settings);
    assert.equal(bbh.json, '{"HasNS": 0.0, "HasRemnant": 0.0, "HasMassGap": 0.0}');
    assert.equal(bbh.template.snr, 23.8061733931842);
    assert.ok(!shouldComputePAstro(allsky.pipeline, allsky.search, settings));

    const alert = JSON.parse(
      readFileSync(sharedData('gwcelery/tests/lvalert_event_creation.json')!, 'utf8'),
    );
    const mdc = alert.object as GraceDbEventJson;
    assert.ok(shouldComputePAstro(mdc.pipeline!, mdc.search!, settings));
    const p = pAstroForEvent(mdc, settings);
    assert.equal(p.filename, 'gstlal.p_astro.json');
    assert.deepEqual(p.input.instruments, ['H1', 'L1']);
    assert.ok(p.values.BNS > 0.99, `a 1.59 + 1.49 M☉ event at FAR 9e-14 Hz is a BNS: ${p.json}`);
    const em = emBrightForEvent(mdc, settings);
    assert.equal(em.json, '{"HasNS": 1.0, "HasRemnant": 1.0, "HasMassGap": 0.0}');
  },
);
