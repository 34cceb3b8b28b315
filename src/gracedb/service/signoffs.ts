import { supereventAlert } from './alerts.js';
import { addLog, applyLabel, findLabel, removeLabel } from './annotations.js';
import { invalid, notFound } from './api-error.js';
import { requireSuperevent, type SupereventRow, supereventParent } from './model.js';
import type { RequestFields } from './request-fields.js';
import type { GraceDbStore, Write } from './store.js';
import { requestLabelFor } from './superevents.js';

/**
 * Signoffs (§2.9): an advocate's or an operator's verdict. The real service turns them into
 * labels: the request label (ADVREQ, H1OPS, ...) disappears silently and the status label
 * (ADVOK/ADVNO, H1OK/H1NO, ...) appears with a notification.
 */

interface SignoffRow {
  signoff_type: string;
  instrument: string;
  status: string;
  submitter: string;
  comment: string;
}

const INSTRUMENTS = ['H1', 'L1', 'V1'];

export function signoffJson(w: Pick<Write, 'links'>, superevent: SupereventRow, row: SignoffRow) {
  return {
    self: `${w.links.superevent(superevent.superevent_id)}signoffs/${row.signoff_type}${row.instrument}/`,
    signoff_type: row.signoff_type,
    instrument: row.instrument,
    status: row.status,
    submitter: row.submitter,
    comment: row.comment,
  };
}

function statusLabel(instrument: string, status: string): string {
  return `${instrument === '' ? 'ADV' : instrument}${status}`;
}

function describe(row: Pick<SignoffRow, 'signoff_type' | 'instrument'>): string {
  return row.signoff_type === 'ADV' ? 'Advocate signoff' : 'Operator signoff';
}

export function listSignoffs(store: GraceDbStore, superevent: SupereventRow) {
  const rows = store.db
    .prepare('SELECT * FROM signoffs WHERE superevent = ? ORDER BY created_ms, instrument')
    .all(superevent.id) as SignoffRow[];
  return rows.map((row) => signoffJson(store, superevent, row));
}

/** Looks a signoff up by its URL key: `ADV`, `OPH1`, ... */
export function findSignoff(
  store: GraceDbStore,
  superevent: SupereventRow,
  key: string,
): SignoffRow {
  const m = /^(ADV|OP)(H1|L1|V1)?$/.exec(key);
  if (!m || (m[1] === 'ADV') !== (m[2] === undefined)) throw notFound();
  const row = store.db
    .prepare('SELECT * FROM signoffs WHERE superevent = ? AND signoff_type = ? AND instrument = ?')
    .get(superevent.id, m[1], m[2] ?? '') as SignoffRow | undefined;
  if (!row) throw notFound();
  return row;
}

/** `POST superevents/{sid}/signoffs/`, validated in the real service's order. */
export function createSignoff(
  store: GraceDbStore,
  user: string,
  sid: string,
  fields: RequestFields,
) {
  return store.write(user, (w) => {
    const superevent = requireSuperevent(w.db, sid);
    const signoffType = fields.string('signoff_type');
    const instrument = fields.string('instrument') ?? '';
    const status = fields.string('status');
    const comment = fields.string('comment') ?? '';
    const errors: string[] = [];
    if (!signoffType) errors.push('This field is required.');
    else if (!['ADV', 'OP'].includes(signoffType))
      errors.push(`"${signoffType}" is not a valid choice.`);
    if (!status) errors.push('This field is required.');
    else if (!['OK', 'NO'].includes(status)) errors.push(`"${status}" is not a valid choice.`);
    if (instrument !== '' && !INSTRUMENTS.includes(instrument))
      errors.push(`"${instrument}" is not a valid choice.`);
    if (errors.length) throw invalid(...errors);
    const existing = w.db
      .prepare('SELECT 1 FROM signoffs WHERE superevent = ? AND instrument = ?')
      .get(superevent.id, instrument);
    if (existing) throw invalid('The fields superevent, instrument must make a unique set.');
    if (signoffType === 'OP' && instrument === '')
      throw invalid('Operator signoffs require an instrument');
    if (signoffType === 'ADV' && instrument !== '') {
      throw invalid(
        'Advocate signoffs are not relevant to aparticular instrument; do not provide one.',
      );
    }
    const parent = supereventParent(superevent);
    const request = requestLabelFor(instrument);
    if (!findLabel(w, parent, request)) {
      throw invalid(
        `${signoffType} signoff not requested for superevent ${superevent.superevent_id}: label '${request}' not present.`,
      );
    }
    const row: SignoffRow = {
      signoff_type: signoffType!,
      instrument,
      status: status!,
      submitter: user,
      comment,
    };
    w.db
      .prepare(
        'INSERT INTO signoffs (superevent, signoff_type, instrument, status, submitter, comment, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(superevent.id, row.signoff_type, instrument, row.status, user, comment, w.now);
    const applied = statusLabel(instrument, row.status);
    removeLabel(w, parent, request, { log: false, alert: false });
    if (!findLabel(w, parent, applied)) applyLabel(w, parent, applied, { log: false, alert: true });
    const who = instrument === '' ? '' : ` for ${instrument}`;
    addLog(w, parent, {
      comment: `${describe(row)} certified status as ${row.status}${who}: '${comment}'; label ${request} removed and label ${applied} applied`,
      tags: ['em_follow'],
    });
    const json = signoffJson(w, superevent, row);
    supereventAlert(w, superevent, 'signoff_created', json);
    return json;
  });
}

/** `PATCH .../signoffs/{key}/`: a changed status swaps the OK/NO label. */
export function updateSignoff(
  store: GraceDbStore,
  user: string,
  sid: string,
  key: string,
  fields: RequestFields,
) {
  return store.write(user, (w) => {
    const superevent = requireSuperevent(w.db, sid);
    const row = findSignoff(store, superevent, key);
    const status = fields.string('status') ?? row.status;
    const comment = fields.string('comment') ?? row.comment;
    if (!['OK', 'NO'].includes(status)) throw invalid(`"${status}" is not a valid choice.`);
    if (status === row.status && comment === row.comment)
      throw invalid('Request would not modify the signoff.');
    const parent = supereventParent(superevent);
    if (status !== row.status) {
      removeLabel(w, parent, statusLabel(row.instrument, row.status), { log: false, alert: true });
      applyLabel(w, parent, statusLabel(row.instrument, status), { log: false, alert: true });
    }
    w.db
      .prepare(
        'UPDATE signoffs SET status = ?, comment = ?, submitter = ? WHERE superevent = ? AND instrument = ?',
      )
      .run(status, comment, user, superevent.id, row.instrument);
    const updated = { ...row, status, comment, submitter: user };
    addLog(w, parent, {
      comment: `${describe(row)} updated: status ${row.status} -> ${status}, comment '${comment}'`,
      tags: ['em_follow'],
    });
    const json = signoffJson(w, superevent, updated);
    supereventAlert(w, superevent, 'signoff_updated', json);
    return json;
  });
}

/** `DELETE .../signoffs/{key}/`: the status label goes, the request label comes back. */
export function deleteSignoff(store: GraceDbStore, user: string, sid: string, key: string): void {
  store.write(user, (w) => {
    const superevent = requireSuperevent(w.db, sid);
    const row = findSignoff(store, superevent, key);
    const parent = supereventParent(superevent);
    w.db
      .prepare('DELETE FROM signoffs WHERE superevent = ? AND instrument = ?')
      .run(superevent.id, row.instrument);
    removeLabel(w, parent, statusLabel(row.instrument, row.status), { log: false, alert: true });
    const request = requestLabelFor(row.instrument);
    if (!findLabel(w, parent, request)) applyLabel(w, parent, request, { log: false, alert: true });
    addLog(w, parent, { comment: `${describe(row)} deleted`, tags: ['em_follow'] });
    supereventAlert(w, superevent, 'signoff_deleted', signoffJson(w, superevent, row));
  });
}
