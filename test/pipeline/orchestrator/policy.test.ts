import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type AlertCandidate,
  type AutomaticAlertRequest,
  alertId,
  automaticAlertDecision,
  blockingLabels,
  blockingLog,
  hasCircularDraft,
  isRavenCoincidence,
  isSignificantAlert,
  labelAction,
  needsCombinedSkymap,
  ONLY_MDC_LOG,
  SKIP_EARLY_WARNING_LOG,
  SKIP_LESS_SIGNIFICANT_LOG,
  secondLessSignificantDecision,
  sentMarkerLabel,
  voeventTypeOf,
} from '../../../src/pipeline/orchestrator/policy.js';

const set = (...labels: string[]) => new Set(labels);

// §4.2: which flow a label starts ------------------------------------------------------------

test('LOW_SIGNIF_LOCKED starts the less-significant flow unless a significant or EW event exists', () => {
  assert.deepEqual(labelAction('LOW_SIGNIF_LOCKED', set('LOW_SIGNIF_LOCKED', 'EM_READY')), {
    action: 'less-significant-flow',
  });
  for (const blocker of ['SIGNIF_LOCKED', 'EARLY_WARNING']) {
    assert.deepEqual(labelAction('LOW_SIGNIF_LOCKED', set('LOW_SIGNIF_LOCKED', blocker)), {
      action: 'skip',
      log: SKIP_LESS_SIGNIFICANT_LOG,
    });
  }
  // Human vetting alone does not stop the flow here (the send-time check does).
  assert.equal(labelAction('LOW_SIGNIF_LOCKED', set('ADVOK')).action, 'less-significant-flow');
});

test('SIGNIF_LOCKED starts the significant flow and locks the superevent first when needed', () => {
  assert.deepEqual(labelAction('SIGNIF_LOCKED', set('SIGNIF_LOCKED')), {
    action: 'significant-flow',
    applyLowSignifLocked: true,
  });
  assert.deepEqual(labelAction('SIGNIF_LOCKED', set('SIGNIF_LOCKED', 'LOW_SIGNIF_LOCKED')), {
    action: 'significant-flow',
    applyLowSignifLocked: false,
  });
  // An early-warning alert already sent does not stop the full-bandwidth preliminary.
  assert.equal(
    labelAction('SIGNIF_LOCKED', set('EARLY_WARNING', 'LOW_SIGNIF_LOCKED')).action,
    'significant-flow',
  );
});

test('EARLY_WARNING starts the early-warning flow unless a full-bandwidth event superseded it', () => {
  assert.deepEqual(labelAction('EARLY_WARNING', set('EARLY_WARNING')), {
    action: 'early-warning-flow',
    applyLowSignifLocked: true,
  });
  assert.deepEqual(labelAction('EARLY_WARNING', set('EARLY_WARNING', 'LOW_SIGNIF_LOCKED')), {
    action: 'early-warning-flow',
    applyLowSignifLocked: false,
  });
  assert.deepEqual(labelAction('EARLY_WARNING', set('EARLY_WARNING', 'SIGNIF_LOCKED')), {
    action: 'skip',
    log: SKIP_EARLY_WARNING_LOG,
  });
});

test('sent markers schedule the second alerts; advocate labels start initial and retraction', () => {
  assert.equal(labelAction('GCN_PRELIM_SENT', set()).action, 'schedule-second-preliminary');
  assert.equal(
    labelAction('LOW_SIGNIF_PRELIM_SENT', set()).action,
    'schedule-second-less-significant',
  );
  assert.equal(labelAction('ADVOK', set('ADVOK')).action, 'initial-alert');
  assert.equal(labelAction('ADVNO', set('ADVNO')).action, 'retraction-alert');
  assert.equal(labelAction('ADVREQ', set('ADVREQ')).action, 'advocate-requested');
  for (const other of ['EM_READY', 'DQV', 'SKYMAP_READY', 'DQR_REQUEST', 'HIGH_PROFILE']) {
    assert.equal(labelAction(other, set(other)).action, 'none', other);
  }
});

test('the second less-significant alert stops once vetting started or a significant/EW event exists', () => {
  assert.deepEqual(
    secondLessSignificantDecision(set('LOW_SIGNIF_LOCKED', 'LOW_SIGNIF_PRELIM_SENT')),
    {
      send: true,
    },
  );
  for (const blocker of ['ADVREQ', 'ADVOK', 'ADVNO', 'SIGNIF_LOCKED', 'EARLY_WARNING']) {
    const decision = secondLessSignificantDecision(set('LOW_SIGNIF_LOCKED', blocker));
    assert.equal(decision.send, false, blocker);
    assert.ok(!decision.send && decision.log.includes(`{'${blocker}'}`), blocker);
  }
  const two = secondLessSignificantDecision(set('ADVREQ', 'SIGNIF_LOCKED'));
  assert.ok(!two.send);
  assert.deepEqual(two.blockers, ['ADVREQ', 'SIGNIF_LOCKED']);
});

// §4.4: whether an automated alert goes out --------------------------------------------------

const publishableEvent: AlertCandidate = {
  graceid: 'G1',
  search: 'AllSky',
  far: 1e-10,
  labels: set('PASTRO_READY', 'EMBRIGHT_READY', 'SKYMAP_READY'),
  publishable: { significant: true, lessSignificant: true },
};

function request(overrides: Partial<AutomaticAlertRequest> = {}): AutomaticAlertRequest {
  return {
    alertType: 'preliminary',
    candidate: publishableEvent,
    supereventLabels: set('SIGNIF_LOCKED', 'LOW_SIGNIF_LOCKED'),
    initiateVoevent: true,
    onlyAlertForMdc: false,
    ...overrides,
  };
}

test('a publishable candidate with no blocking label gets its notice', () => {
  assert.deepEqual(automaticAlertDecision(request()), { send: true, scheduleDqrRequest: false });
  assert.deepEqual(
    automaticAlertDecision(
      request({ alertType: 'less-significant', supereventLabels: set('LOW_SIGNIF_LOCKED') }),
    ),
    { send: true, scheduleDqrRequest: false },
  );
});

test('the significance level of the alert picks the publishability test', () => {
  const lessOnly: AlertCandidate = {
    ...publishableEvent,
    far: 1e-6,
    publishable: { significant: false, lessSignificant: true },
  };
  const preliminary = automaticAlertDecision(request({ candidate: lessOnly }));
  assert.equal(preliminary.send, false);
  assert.ok(!preliminary.send && preliminary.reason === 'not-publishable');
  assert.match(
    (preliminary as { log: string }).log,
    /preferred event G1 \(FAR 1e-06 Hz\) does not pass the significant publishability test/,
  );
  assert.equal(
    automaticAlertDecision(
      request({
        alertType: 'less-significant',
        candidate: lessOnly,
        supereventLabels: set('LOW_SIGNIF_LOCKED'),
      }),
    ).send,
    true,
  );
  const neither = automaticAlertDecision(
    request({
      alertType: 'less-significant',
      candidate: { ...lessOnly, publishable: { significant: false, lessSignificant: false } },
      supereventLabels: set('LOW_SIGNIF_LOCKED'),
    }),
  );
  assert.ok(!neither.send && neither.reason === 'not-publishable');
  assert.match((neither as { log: string }).log, /less-significant publishability test/);
});

test('DQV or INJ on the preferred event suppress the notice', () => {
  const dqv = automaticAlertDecision(
    request({ candidate: { ...publishableEvent, labels: set('DQV') } }),
  );
  assert.ok(!dqv.send && dqv.reason === 'data-quality-veto');
  assert.equal(
    (dqv as { log: string }).log,
    'Not sending a preliminary alert: the preferred event G1 is labelled DQV',
  );
  const inj = automaticAlertDecision(
    request({ candidate: { ...publishableEvent, labels: set('INJ') } }),
  );
  assert.ok(!inj.send && inj.reason === 'injection');
  // DQOK is no obstacle.
  assert.equal(
    automaticAlertDecision(request({ candidate: { ...publishableEvent, labels: set('DQOK') } }))
      .send,
    true,
  );
});

test('only_alert_for_mdc stops every alert but those of MDC events', () => {
  const decision = automaticAlertDecision(request({ onlyAlertForMdc: true }));
  assert.ok(!decision.send && decision.reason === 'only-mdc');
  assert.equal((decision as { log: string }).log, ONLY_MDC_LOG);
  assert.equal(
    automaticAlertDecision(
      request({ onlyAlertForMdc: true, candidate: { ...publishableEvent, search: 'MDC' } }),
    ).send,
    true,
  );
});

test('the manual change of preferred event copies files without a notice or a log', () => {
  const expected = {
    send: false,
    reason: 'no-voevent-requested',
    log: undefined,
    scheduleDqrRequest: false,
  };
  assert.deepEqual(automaticAlertDecision(request({ initiateVoevent: false })), expected);
  // Not even a refusal line when the event would not have been publishable anyway.
  assert.deepEqual(
    automaticAlertDecision(
      request({
        initiateVoevent: false,
        candidate: {
          ...publishableEvent,
          publishable: { significant: false, lessSignificant: false },
        },
      }),
    ),
    expected,
  );
});

test('blocking labels at send time, per alert type, with the reference log text', () => {
  const cases: [AutomaticAlertRequest['alertType'], string[], string[]][] = [
    ['preliminary', ['ADVOK'], ['ADVOK']],
    ['preliminary', ['ADVNO', 'ADVOK'], ['ADVNO', 'ADVOK']],
    ['preliminary', ['EARLY_WARNING', 'ADVREQ'], []],
    ['earlywarning', ['SIGNIF_LOCKED'], ['SIGNIF_LOCKED']],
    ['earlywarning', ['ADVNO'], ['ADVNO']],
    ['earlywarning', ['LOW_SIGNIF_LOCKED', 'ADVREQ'], []],
    ['less-significant', ['EARLY_WARNING'], ['EARLY_WARNING']],
    ['less-significant', ['SIGNIF_LOCKED', 'ADVOK'], ['ADVOK', 'SIGNIF_LOCKED']],
    ['less-significant', ['LOW_SIGNIF_LOCKED', 'ADVREQ'], []],
  ];
  for (const [alertType, labels, expected] of cases) {
    assert.deepEqual(blockingLabels(alertType, set(...labels)), expected, `${alertType} ${labels}`);
    const decision = automaticAlertDecision(
      request({ alertType, supereventLabels: set(...labels) }),
    );
    if (expected.length === 0) {
      assert.equal(decision.send, true, `${alertType} ${labels}`);
    } else {
      assert.ok(!decision.send && decision.reason === 'blocked-by-labels');
      assert.equal((decision as { log: string }).log, blockingLog(expected));
    }
  }
  assert.equal(
    blockingLog(['ADVOK', 'ADVNO']),
    "Blocking automated notice due to labels {'ADVNO', 'ADVOK'}",
  );
});

test('an early warning schedules DQR_REQUEST when publishable, even if labels then block it', () => {
  const ew = request({ alertType: 'earlywarning', supereventLabels: set('EARLY_WARNING') });
  assert.deepEqual(automaticAlertDecision(ew), { send: true, scheduleDqrRequest: true });
  const blocked = automaticAlertDecision({ ...ew, supereventLabels: set('SIGNIF_LOCKED') });
  assert.ok(!blocked.send && blocked.scheduleDqrRequest);
  const unpublishable = automaticAlertDecision({
    ...ew,
    candidate: { ...publishableEvent, publishable: { significant: false, lessSignificant: false } },
  });
  assert.ok(!unpublishable.send && !unpublishable.scheduleDqrRequest);
});

test('an INJ superevent sends nothing', () => {
  const decision = automaticAlertDecision(
    request({ supereventLabels: set('SIGNIF_LOCKED', 'INJ') }),
  );
  assert.ok(!decision.send && decision.reason === 'superevent-injection');
});

// §4.3/§4.5: notice type, flags, markers ------------------------------------------------------

test('less-significant alerts are Preliminary notices with Significant 0', () => {
  assert.equal(voeventTypeOf('less-significant'), 'preliminary');
  assert.equal(isSignificantAlert('less-significant'), false);
  for (const t of ['earlywarning', 'preliminary', 'initial', 'update', 'retraction'] as const) {
    assert.equal(voeventTypeOf(t), t);
    assert.equal(isSignificantAlert(t), true);
  }
});

test('sent markers are applied once: the second preliminary does not re-apply GCN_PRELIM_SENT (§13)', () => {
  assert.equal(sentMarkerLabel('preliminary', set('SIGNIF_LOCKED')), 'GCN_PRELIM_SENT');
  assert.equal(sentMarkerLabel('preliminary', set('GCN_PRELIM_SENT')), undefined);
  assert.equal(sentMarkerLabel('less-significant', set()), 'LOW_SIGNIF_PRELIM_SENT');
  assert.equal(sentMarkerLabel('less-significant', set('LOW_SIGNIF_PRELIM_SENT')), undefined);
  for (const t of ['earlywarning', 'initial', 'update', 'retraction'] as const) {
    assert.equal(sentMarkerLabel(t, set()), undefined, t);
  }
});

test('circular drafts for early warning, preliminary, initial and retraction only', () => {
  assert.deepEqual(
    (
      [
        'earlywarning',
        'less-significant',
        'preliminary',
        'initial',
        'update',
        'retraction',
      ] as const
    ).filter(hasCircularDraft),
    ['earlywarning', 'preliminary', 'initial', 'retraction'],
  );
});

test('a RAVEN coincidence needs RAVEN_ALERT and an external event; the combined map both labels', () => {
  assert.equal(isRavenCoincidence(set('RAVEN_ALERT'), 'E1'), true);
  assert.equal(isRavenCoincidence(set('RAVEN_ALERT'), null), false);
  assert.equal(isRavenCoincidence(set('RAVEN_ALERT'), ''), false);
  assert.equal(isRavenCoincidence(set('EM_COINC'), 'E1'), false);
  assert.equal(needsCombinedSkymap(set('RAVEN_ALERT', 'COMBINEDSKYMAP_READY')), true);
  assert.equal(needsCombinedSkymap(set('RAVEN_ALERT')), false);
  assert.equal(needsCombinedSkymap(set('COMBINEDSKYMAP_READY')), false);
});

test('alert identities: fixed per superevent for automated alerts, per request for manual ones', () => {
  assert.equal(alertId('preliminary', 1), 'preliminary-1');
  assert.equal(alertId('preliminary', 2), 'preliminary-2');
  assert.equal(alertId('less-significant', 2), 'less-significant-2');
  assert.equal(alertId('earlywarning', 1), 'earlywarning');
  assert.equal(alertId('initial', 1), 'initial');
  assert.equal(alertId('retraction', 1), 'retraction');
  assert.equal(alertId('update', { request: 'a1b2' }), 'update-request-a1b2');
  assert.throws(() => alertId('update', { request: 'bad id' }), /letters, digits/);
});
