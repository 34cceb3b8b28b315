import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { isEventId } from '../../gracedb/ids.js';
import { closeGraceDbClients, gracedbFor } from '../../pipeline/gracedb.js';
import {
  type AlertTestExplanation,
  type CandidateExplanation,
  explainCandidates,
} from '../../pipeline/superevents/explain.js';
import type { CandidateEvent } from '../../pipeline/superevents/rules.js';
import { configFor } from '../command.js';

/**
 * Candidates from a JSON file: an event, an IGWN alert (its `object`), a superevent (its
 * preferred event), or a list of events.
 */
function readCandidates(path: string): CandidateEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new Error(`${path}${Array.isArray(parsed) ? `[${i}]` : ''}: not a JSON object`);
    }
    const record = item as Record<string, unknown>;
    if ('alert_type' in record && typeof record.object === 'object')
      return record.object as CandidateEvent;
    if ('superevent_id' in record && typeof record.preferred_event_data === 'object') {
      return record.preferred_event_data as CandidateEvent;
    }
    return record as CandidateEvent;
  });
}

const fmt = (x: number | null | undefined) =>
  x === null || x === undefined ? '-' : x.toPrecision(4);

function alertLine(name: string, t: AlertTestExplanation | undefined): string {
  if (!t) return '';
  const verdict = t.eligible && t.farPasses ? 'PASS' : 'fail';
  const why = [
    t.eligible ? '' : 'offline or INJ',
    `FAR×trials ${fmt(t.factoredFar)} vs ${t.threshold === null ? 'never' : fmt(t.threshold)}`,
    t.ravenOverride ? 'RAVEN_ALERT overrides the FAR' : '',
  ]
    .filter(Boolean)
    .join('; ');
  return `  ${name.padEnd(16)} ${verdict}  (${why})\n`;
}

function print(c: CandidateExplanation, preferred: boolean): string {
  let out = `${c.graceid}${preferred ? '  ← preferred by the rules' : ''}\n`;
  if (c.error) return `${out}  error: ${c.error}\n`;
  const entry = c.entry!;
  out += `  entry            ${entry.process ? `a new upload is processed at priority ${entry.priority}` : `skipped: ${entry.reason}`}\n`;
  if (!c.key) return out;
  out += `  category         ${c.category}\n`;
  out += `  window           ${c.window!.tStart.toFixed(6)} .. ${c.window!.tEnd.toFixed(6)} (t0 ${c.window!.t0})\n`;
  out += `  complete         ${
    c.requiredLabels === null
      ? 'never (no required labels for this group/search)'
      : c.missingLabels!.length === 0
        ? 'yes'
        : `no, missing ${c.missingLabels!.join(', ')}`
  }\n`;
  out += alertLine('significant', c.significant);
  out += alertLine('less-significant', c.lessSignificant);
  out += `  key              [${c.key.map(String).join(', ')}]\n`;
  out += `  labels applied   ${c.labels!.length ? c.labels!.join(', ') : '(none)'}\n`;
  return out;
}

export function register(program: Command): void {
  const group = program
    .command('superevents')
    .description('the superevent manager: grouping, preferred event and locking labels');

  group
    .command('explain')
    .description(
      'show how the rules treat candidates: entry filter, window, completeness, both alert tests, ranking key, labels. Each SOURCE is a G/M/T event id, an S/MS/TS superevent id (its members, against its preferred event) or a JSON file',
    )
    .argument('<source...>', 'event id, superevent id or JSON file')
    .option('--json', 'print JSON')
    .action(async (sources: string[], opts: { json?: boolean }, command: Command) => {
      const config = configFor(command);
      const events: CandidateEvent[] = [];
      const notes: string[] = [];
      try {
        for (const source of sources) {
          if (/\.json$/i.test(source) || source.includes('/')) {
            events.push(...readCandidates(source));
          } else if (isEventId(source)) {
            events.push((await gracedbFor(config).getEvent(source)) as CandidateEvent);
          } else {
            const gracedb = gracedbFor(config);
            const superevent = await gracedb.getSuperevent(source);
            for (const gid of superevent.gw_events) {
              events.push((await gracedb.getEvent(gid)) as CandidateEvent);
            }
            const locked = superevent.labels.includes('LOW_SIGNIF_LOCKED');
            notes.push(
              `${superevent.superevent_id}: preferred event ${superevent.preferred_event}${locked ? ' (frozen by LOW_SIGNIF_LOCKED)' : ''}; labels ${superevent.labels.join(', ') || '(none)'}`,
            );
          }
        }
      } finally {
        closeGraceDbClients();
      }
      const explanation = explainCandidates(events, config);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...explanation, notes }, null, 2)}\n`);
        return;
      }
      let out = '';
      for (const c of explanation.candidates) out += print(c, c.graceid === explanation.preferred);
      for (const note of notes) out += `${note}\n`;
      process.stdout.write(out);
    });
}
