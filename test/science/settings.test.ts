import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRESETS } from '../../src/config/define.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { emBrightFromTemplate } from '../../src/science/em-bright/from-template.js';
import {
  checkEmBrightSettings,
  type EmBrightSettings,
} from '../../src/science/em-bright/settings.js';
import { checkPAstroSettings, type PAstroSettings } from '../../src/science/p-astro/settings.js';

test('every preset gives valid science settings, passable as is', () => {
  for (const preset of PRESETS) {
    const config = loadConfig({ preset, env: {} });
    // A Config is structurally the settings the science functions take.
    const settings: EmBrightSettings & PAstroSettings = config;
    assert.doesNotThrow(() => checkEmBrightSettings(settings), preset);
    assert.doesNotThrow(() => checkPAstroSettings(settings), preset);
  }
});

test('operators can change the physics through the environment', () => {
  const config = loadConfig({ preset: 'test', env: { GWCELERY_EM_BRIGHT_NS_MAX_MASS: '2.2' } });
  const template = { mass1: 2.6, mass2: 2.4, spin1z: 0, spin2z: 0 };
  const point = { ...config, em_bright_method: 'point' as const };
  assert.equal(emBrightFromTemplate(template, point).properties.HasNS, 0);
  const defaults = {
    ...loadConfig({ preset: 'test', env: {} }),
    em_bright_method: 'point' as const,
  };
  assert.equal(emBrightFromTemplate(template, defaults).properties.HasNS, 1);
  assert.throws(
    () => loadConfig({ preset: 'test', env: { GWCELERY_EM_BRIGHT_METHOD: 'classifier' } }),
    ConfigError,
  );
  assert.throws(
    () => loadConfig({ preset: 'test', env: { GWCELERY_P_ASTRO_MEAN_COUNTS: '{"BNS": 1}' } }),
    /p_astro_mean_counts/,
  );
});
