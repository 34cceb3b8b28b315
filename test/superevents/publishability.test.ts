import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/index.js';
import {
  type CandidateEvent,
  DEFAULT_SUPEREVENT_SETTINGS,
  publishabilityTest,
  searchThresholds,
  shouldPublish,
} from '../../src/pipeline/superevents/rules.js';
import { cbcEvent, cwbEvent, largestPassingFar, mlyEvent, nextUp } from './events.js';

const DAY = 86400;

/** The reference's table (gwcelery-spec §3.5): threshold, trials, for both alert kinds. */
const TABLE: {
  group: string;
  search: string;
  significant: [number, number];
  lessSignificant: [number | null, number];
}[] = [
  {
    group: 'cbc',
    search: 'allsky',
    significant: [1 / (30 * DAY), 6],
    lessSignificant: [(2 / DAY) * 7, 7],
  },
  {
    group: 'cbc',
    search: 'earlywarning',
    significant: [1 / (30 * DAY), 4],
    lessSignificant: [null, 4],
  },
  { group: 'cbc', search: 'mdc', significant: [1 / (30 * DAY), 6], lessSignificant: [null, 4] },
  { group: 'cbc', search: 'ssm', significant: [1 / (365 * DAY), 2], lessSignificant: [null, 2] },
  {
    group: 'burst',
    search: 'allsky',
    significant: [1 / (365 * DAY), 3],
    lessSignificant: [(2 / DAY) * 7, 7],
  },
  {
    group: 'burst',
    search: 'bbh',
    significant: [1 / (30 * DAY), 6],
    lessSignificant: [(2 / DAY) * 7, 7],
  },
  {
    group: 'test',
    search: 'allsky',
    significant: [1 / (30 * DAY), 6],
    lessSignificant: [(2 / DAY) * 7, 7],
  },
  {
    group: 'test',
    search: 'earlywarning',
    significant: [1 / (30 * DAY), 4],
    lessSignificant: [null, 4],
  },
  { group: 'test', search: 'ssm', significant: [1 / (365 * DAY), 2], lessSignificant: [null, 2] },
  {
    group: 'test',
    search: 'bbh',
    significant: [1 / (30 * DAY), 6],
    lessSignificant: [(2 / DAY) * 7, 7],
  },
];

function candidate(group: string, search: string, far: number | null): CandidateEvent {
  if (group === 'burst') return cwbEvent({ search, far });
  return cbcEvent({ group: group === 'test' ? 'Test' : 'CBC', search, far });
}

test('the default tables are the reference’s values, with effective raw-FAR cuts as §3.5 lists', () => {
  for (const row of TABLE) {
    const t = searchThresholds(row.group, row.search)!;
    assert.ok(t, `${row.group}/${row.search} is listed`);
    assert.ok(
      Math.abs(t.significantThreshold! / row.significant[0] - 1) < 1e-12,
      `${row.group}/${row.search}`,
    );
    assert.equal(t.significantTrials, row.significant[1]);
    assert.equal(t.lessSignificantTrials, row.lessSignificant[1]);
    if (row.lessSignificant[0] === null) assert.equal(t.lessSignificantThreshold, null);
    else assert.ok(Math.abs(t.lessSignificantThreshold! / row.lessSignificant[0] - 1) < 1e-12);
  }
  const cut = (g: string, s: string) => {
    const t = searchThresholds(g, s)!;
    return t.significantThreshold! / t.significantTrials;
  };
  assert.ok(Math.abs(cut('cbc', 'allsky') / 6.43e-8 - 1) < 1e-3, 'CBC AllSky ≈ 1/180 d');
  assert.ok(Math.abs(cut('cbc', 'earlywarning') / 9.65e-8 - 1) < 1e-3);
  assert.ok(Math.abs(cut('cbc', 'ssm') / 1.59e-8 - 1) < 1e-2);
  assert.ok(Math.abs(cut('burst', 'allsky') / 1.06e-8 - 1) < 1e-2);
  const low = searchThresholds('cbc', 'allsky')!;
  assert.ok(Math.abs(low.lessSignificantThreshold! / 1.6204e-4 - 1) < 1e-4);
  assert.ok(
    Math.abs(low.lessSignificantThreshold! / low.lessSignificantTrials / 2.315e-5 - 1) < 1e-3,
  );
});

for (const row of TABLE) {
  const name = `${row.group}/${row.search}`;
  test(`significant threshold of ${name}, on both sides of the boundary`, () => {
    const [threshold, trials] = row.significant;
    const t = searchThresholds(row.group, row.search)!;
    const at = largestPassingFar(t.significantThreshold!, t.significantTrials);
    assert.ok(Math.abs((at * trials) / threshold - 1) < 1e-12);
    assert.equal(shouldPublish(candidate(row.group, row.search, at)), true, 'at the cut');
    assert.equal(shouldPublish(candidate(row.group, row.search, nextUp(at))), false, 'just above');
    assert.equal(shouldPublish(candidate(row.group, row.search, 0)), true, 'FAR 0');
    // Significant implies less-significant, even exactly at the boundary and with a disabled
    // less-significant threshold.
    assert.equal(
      shouldPublish(candidate(row.group, row.search, at), { significant: false }),
      true,
      'significant ⇒ less-significant',
    );
  });

  test(`less-significant threshold of ${name}, on both sides of the boundary`, () => {
    const t = searchThresholds(row.group, row.search)!;
    const aboveSignificant = nextUp(
      largestPassingFar(t.significantThreshold!, t.significantTrials),
    );
    if (t.lessSignificantThreshold === null) {
      assert.equal(
        shouldPublish(candidate(row.group, row.search, aboveSignificant), { significant: false }),
        false,
        'disabled: nothing that fails the significant test passes',
      );
      return;
    }
    const at = largestPassingFar(t.lessSignificantThreshold, t.lessSignificantTrials);
    assert.equal(shouldPublish(candidate(row.group, row.search, at), { significant: false }), true);
    assert.equal(
      shouldPublish(candidate(row.group, row.search, nextUp(at)), { significant: false }),
      false,
    );
    assert.equal(shouldPublish(candidate(row.group, row.search, at)), false, 'not significant');
  });
}

test('offline candidates and INJ-labelled ones are never published; RAVEN_ALERT overrides the FAR', () => {
  const cases: { event: CandidateEvent; significant: boolean; lessSignificant: boolean }[] = [
    { event: cbcEvent({ far: 1e-12 }), significant: true, lessSignificant: true },
    { event: cbcEvent({ far: 1e-12, offline: true }), significant: false, lessSignificant: false },
    {
      event: cbcEvent({ far: 1e-12, labels: ['INJ'] }),
      significant: false,
      lessSignificant: false,
    },
    {
      event: cbcEvent({ far: 1e-4, labels: ['RAVEN_ALERT'] }),
      significant: true,
      lessSignificant: true,
    },
    {
      event: cbcEvent({ far: 1e-4, labels: ['RAVEN_ALERT'], offline: true }),
      significant: false,
      lessSignificant: false,
    },
    {
      event: cbcEvent({ far: 1e-4, labels: ['RAVEN_ALERT', 'INJ'] }),
      significant: false,
      lessSignificant: false,
    },
    {
      event: cbcEvent({ far: null, labels: ['RAVEN_ALERT'] }),
      significant: true,
      lessSignificant: true,
    },
    { event: cbcEvent({ far: null }), significant: false, lessSignificant: false },
    { event: cbcEvent({ far: 1e-4 }), significant: false, lessSignificant: false },
  ];
  for (const c of cases) {
    const what = JSON.stringify({
      far: c.event.far,
      labels: c.event.labels,
      offline: c.event.offline,
    });
    assert.equal(shouldPublish(c.event), c.significant, `significant ${what}`);
    assert.equal(shouldPublish(c.event, { significant: false }), c.lessSignificant, `less ${what}`);
  }
  assert.deepEqual(publishabilityTest(cbcEvent({ far: 1e-12, offline: true }), true), {
    eligible: false,
    farPasses: true,
  });
  assert.deepEqual(publishabilityTest(cbcEvent({ far: 1e-4, labels: ['RAVEN_ALERT'] }), false), {
    eligible: true,
    farPasses: true,
  });
});

test('a search the tables do not list is never published (the reference published it, §13)', () => {
  assert.equal(shouldPublish(cbcEvent({ search: 'IMBH', far: 0 })), false);
  assert.equal(shouldPublish(cbcEvent({ search: 'IMBH', far: 0 }), { significant: false }), false);
  assert.equal(shouldPublish(mlyEvent({ search: null, far: 0 })), false, 'no search at all');
  assert.equal(shouldPublish({ ...cwbEvent({ far: 0 }), group: 'External' }), false);
  assert.equal(searchThresholds('cbc', 'constructor'), undefined, 'no prototype names');
  assert.equal(shouldPublish(cbcEvent({ search: 'IMBH', labels: ['RAVEN_ALERT'] })), true);
});

test('thresholds come from the configuration passed in', () => {
  const event = cbcEvent({ far: 1e-6 });
  assert.equal(shouldPublish(event), false);
  const relaxed = {
    ...DEFAULT_SUPEREVENT_SETTINGS,
    significant_alert_far_threshold: {
      ...DEFAULT_SUPEREVENT_SETTINGS.significant_alert_far_threshold,
      cbc: { ...DEFAULT_SUPEREVENT_SETTINGS.significant_alert_far_threshold.cbc, allsky: 1e-5 },
    },
  };
  assert.equal(shouldPublish(event, { config: relaxed }), true);
});

test('a search listed for significant alerts but missing from another table is a configuration error', () => {
  const broken = {
    ...DEFAULT_SUPEREVENT_SETTINGS,
    significant_alert_far_threshold: {
      ...DEFAULT_SUPEREVENT_SETTINGS.significant_alert_far_threshold,
      cbc: { ...DEFAULT_SUPEREVENT_SETTINGS.significant_alert_far_threshold.cbc, imbh: 1e-7 },
    },
  };
  assert.throws(
    () => shouldPublish(cbcEvent({ search: 'IMBH' }), { config: broken }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /significant_alert_trials_factor' has no entry for cbc\/imbh/.test(err.message),
  );
});

test('bad candidate fields are errors naming the event and field', () => {
  assert.throws(
    () => shouldPublish({ ...cbcEvent({ graceid: 'G5' }), group: undefined }),
    /event G5: group/,
  );
  assert.throws(() => shouldPublish(cbcEvent({ graceid: 'G6', far: -1 })), /event G6: far/);
  assert.throws(
    () => shouldPublish({ ...cbcEvent({ graceid: 'G7' }), labels: [1] as unknown as string[] }),
    /event G7: labels must list label names/,
  );
});
