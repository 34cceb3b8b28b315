import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  alertMarkerComment,
  findAlertMarker,
  voeventSerial,
} from '../../../src/pipeline/orchestrator/alert-marker.js';

test('the marker of an alert is found by its identity, not by a look-alike', () => {
  const log = [
    { comment: 'New VOEvent' },
    { comment: alertMarkerComment('preliminary-1', 'S1-1-Preliminary.xml') },
    { comment: 'Alert preliminary-1 (preliminary, S1-1-Preliminary.xml): sent to file-xml' },
    { comment: alertMarkerComment('preliminary-request-ab', 'S1-2-Preliminary.xml') },
    { comment: null },
  ];
  assert.deepEqual(findAlertMarker(log, 'preliminary-1'), {
    alertId: 'preliminary-1',
    voevent: 'S1-1-Preliminary.xml',
    serial: 1,
    index: 1,
  });
  assert.equal(findAlertMarker(log, 'preliminary-request-ab')?.serial, 2);
  assert.equal(findAlertMarker(log, 'preliminary-2'), undefined);
  assert.equal(findAlertMarker(log, 'preliminary'), undefined);
});

test('the serial of a VOEvent file name', () => {
  assert.equal(voeventSerial('MS240101a-12-EarlyWarning.xml'), 12);
  assert.throws(() => voeventSerial('bayestar.multiorder.fits'), /is not a VOEvent file name/);
});
