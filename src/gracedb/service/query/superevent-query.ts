import { parseSupereventId } from '../../ids.js';
import type { Db } from '../database.js';
import { canonicalName } from '../vocabulary.js';
import { normalizeSupereventId } from './event-query.js';
import {
  type Condition,
  createdCondition,
  farCondition,
  gpsRange,
  isNumber,
  labelCondition,
  looksLikeDate,
  readBoolean,
  TermSet,
} from './terms.js';
import { QuerySyntaxError, TokenStream, tokenize } from './tokens.js';

const CATEGORIES: Record<string, string> = { production: 'P', test: 'T', mdc: 'M' };
const SUPEREVENT_ID = /^[tm]?(s\d{6}[a-z]*|gw\d{6}[a-z]*)\*?$/i;
const EVENT_ID = /^([GEHMTC])(\d+)$/i;

interface SupereventQueryContext {
  db: Db;
  labels: readonly string[];
  now: number;
}

/** The preferred event's FAR, for `far` terms on superevents. */
const PREFERRED_FAR = '(SELECT far FROM events pe WHERE pe.id = s.preferred_event)';

/** Compiles a superevent query to a WHERE condition on `superevents` (aliased `s`). */
export function compileSupereventQuery(query: string, ctx: SupereventQueryContext): Condition {
  const stream = new TokenStream(tokenize(query));
  const terms = new TermSet();
  const canonicalLabel = (name: string) => canonicalName(ctx.labels, name);

  const idTerm = (text: string): void => {
    if (text.endsWith('*')) {
      // `S2509*`: every superevent whose id starts so (S or GW form).
      const prefix = text.slice(0, -1);
      terms.add('id', {
        sql: '(s.superevent_id LIKE ? OR s.gw_id LIKE ?)',
        params: [`${prefix}%`, `${prefix}%`],
      });
      return;
    }
    const normalized = normalizeSupereventId(text);
    const parts = parseSupereventId(normalized);
    if (!parts) throw new QuerySyntaxError(`'${text}' is not a superevent id`);
    terms.add('id', {
      sql: `s.category = ? AND s.date = ? AND s.${parts.gw ? 'gw_number' : 'number'} = ?`,
      params: [parts.category, parts.date, parts.number],
    });
  };

  const eventTerm = (column: string): Condition => {
    const first = EVENT_ID.exec(stream.expectWord('an event id'));
    if (!first) throw new QuerySyntaxError('expected an event id');
    if (stream.eat('..')) {
      const last = EVENT_ID.exec(stream.expectWord('an event id'));
      if (!last) throw new QuerySyntaxError('expected an event id');
      return { sql: `${column} BETWEEN ? AND ?`, params: [Number(first[2]), Number(last[2])] };
    }
    return { sql: `${column} = ?`, params: [Number(first[2])] };
  };

  const categoryTerm = (): void => {
    const found: string[] = [];
    while (stream.isWord() && CATEGORIES[stream.peek()!.text.toLowerCase()]) {
      found.push(CATEGORIES[stream.next().text.toLowerCase()]!);
    }
    if (!found.length) throw new QuerySyntaxError('expected Production, Test or MDC');
    terms.add('category', {
      sql: `s.category IN (${found.map(() => '?').join(', ')})`,
      params: found,
    });
  };

  const exposure = (exposed: boolean): void => {
    terms.add('exposure', { sql: `s.exposed = ${exposed ? 1 : 0}`, params: [] });
  };

  while (!stream.done()) {
    const t = stream.peek()!;
    if (t.kind === 'keyword') {
      stream.next();
      switch (t.text) {
        case 'id':
        case 'superevent_id':
          idTerm(stream.expectWord('a superevent id'));
          break;
        case 'category':
          categoryTerm();
          break;
        case 't_0':
        case 'gpstime':
          terms.add('t_0', gpsRange(stream, 's.t_0'));
          break;
        case 't_start':
          terms.add('t_start', gpsRange(stream, 's.t_start'));
          break;
        case 't_end':
          terms.add('t_end', gpsRange(stream, 's.t_end'));
          break;
        case 'preferred_event':
          terms.add('preferred_event', eventTerm('s.preferred_event'));
          break;
        case 'event':
        case 'events': {
          const inner = eventTerm('m.id');
          terms.add('event', {
            sql: `EXISTS (SELECT 1 FROM events m WHERE m.superevent = s.id AND ${inner.sql})`,
            params: inner.params,
          });
          break;
        }
        case 'is_gw':
          terms.add('is_gw', {
            sql: `s.gw_id IS ${readBoolean(stream) ? 'NOT ' : ''}NULL`,
            params: [],
          });
          break;
        case 'is_public':
        case 'is_exposed':
          exposure(readBoolean(stream));
          break;
        case 'status': {
          const status = stream.expectWord('public or internal').toLowerCase();
          if (status !== 'public' && status !== 'internal')
            throw new QuerySyntaxError('status: public or internal');
          exposure(status === 'public');
          break;
        }
        case 'far':
          terms.add('far', farCondition(stream, PREFERRED_FAR));
          break;
        case 'created':
          terms.add('created', createdCondition(stream, 's.created_ms', ctx.now));
          break;
        case 'submitter':
          terms.add('submitter', {
            sql: 's.submitter LIKE ?',
            params: [`%${stream.expectWord('a name')}%`],
          });
          break;
        case 'label':
          terms.add('label', labelCondition(stream, 'superevent', 's.id', canonicalLabel));
          break;
        default:
          throw new QuerySyntaxError(`unknown keyword '${t.text}:'`);
      }
      continue;
    }
    if (t.kind === 'string') {
      stream.next();
      terms.add('submitter', { sql: 's.submitter LIKE ?', params: [`%${t.text}%`] });
      continue;
    }
    if (t.kind === 'op' && t.text === '~') {
      terms.add('label', labelCondition(stream, 'superevent', 's.id', canonicalLabel));
      continue;
    }
    if (t.kind !== 'word') throw new QuerySyntaxError(`unexpected '${t.text}'`);
    const lower = t.text.toLowerCase();
    if (isNumber(t.text)) terms.add('t_0', gpsRange(stream, 's.t_0'));
    else if (lower === 'far' && stream.peek(1)?.kind === 'op') {
      stream.next();
      terms.add('far', farCondition(stream, PREFERRED_FAR));
    } else if (looksLikeDate(stream))
      terms.add('created', createdCondition(stream, 's.created_ms', ctx.now));
    else if (CATEGORIES[lower]) categoryTerm();
    else if (lower === 'public' || lower === 'internal') {
      stream.next();
      exposure(lower === 'public');
    } else if (SUPEREVENT_ID.test(t.text)) {
      stream.next();
      idTerm(t.text);
    } else if (EVENT_ID.test(t.text)) {
      throw new QuerySyntaxError(
        `'${t.text}' looks like an event graceid. Only superevent IDs (S, MS, TS, GW) are valid in this search.`,
      );
    } else if (canonicalLabel(t.text.replace(/^-/, ''))) {
      terms.add('label', labelCondition(stream, 'superevent', 's.id', canonicalLabel));
    } else throw new QuerySyntaxError(`cannot interpret '${t.text}'`);
  }
  // An id names its category itself (TS…, MS…), as T/M ids lift the event exclusions.
  if (query.trim() !== '' && !terms.has('category') && !terms.has('id')) {
    terms.add('category', { sql: "s.category = 'P'", params: [] });
  }
  return terms.toCondition();
}
