import type { Db } from '../database.js';
import { findSuperevent } from '../model.js';
import { canonicalName, GROUPS, PIPELINES, SEARCHES } from '../vocabulary.js';
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
import { QuerySyntaxError, type Token, TokenStream, tokenize } from './tokens.js';

/** Attribute tables of `<table>.<column>` terms and where their values live (§6.1). */
const ATTRIBUTE_TABLES: Record<string, { key: string; array?: boolean }> = {
  singleinspiral: { key: 'SingleInspiral', array: true },
  si: { key: 'SingleInspiral', array: true },
  coincinspiral: { key: 'CoincInspiral' },
  ci: { key: 'CoincInspiral' },
  multiburst: { key: 'MultiBurst' },
  mb: { key: 'MultiBurst' },
  lalinferenceburstevent: { key: 'LalInferenceBurst' },
  li: { key: 'LalInferenceBurst' },
  ml: { key: 'MLyBurst' },
  grbevent: { key: 'GRB' },
  grb: { key: 'GRB' },
  siminspiralevent: { key: 'SimInspiral' },
  inj: { key: 'SimInspiral' },
};

const EVENT_ID = /^([GEHMTC])(\d+)$/i;
const ID_KEYWORDS: Record<string, string | undefined> = {
  gid: 'G',
  tid: 'T',
  mid: 'M',
  eid: 'E',
  hid: 'H',
  graceid: undefined,
};
const ATTRIBUTE_OPS: Record<string, string> = {
  '<': '<',
  '<=': '<=',
  '=': '=',
  '>': '>',
  '>=': '>=',
};

interface EventQueryContext {
  db: Db;
  labels: readonly string[];
  now: number;
}

/** Compiles an event query to a WHERE condition on `events` (aliased `e`). */
export function compileEventQuery(query: string, ctx: EventQueryContext): Condition {
  const stream = new TokenStream(tokenize(query));
  const terms = new TermSet();
  let explicitTest = /test/i.test(query);
  let explicitMdc = /mdc/i.test(query);
  const canonicalLabel = (name: string) => canonicalName(ctx.labels, name);

  const idTerm = (prefix: string | undefined): void => {
    const first = stream.expectWord('an event id');
    const m = EVENT_ID.exec(first);
    if (!m || (prefix && m[1]!.toUpperCase() !== prefix))
      throw new QuerySyntaxError(`'${first}' is not an event id`);
    const letter = m[1]!.toUpperCase();
    if (letter === 'T') explicitTest = true;
    if (letter === 'M') explicitMdc = true;
    if (stream.eat('..')) {
      const last = EVENT_ID.exec(stream.expectWord('an event id'));
      if (!last || last[1]!.toUpperCase() !== letter)
        throw new QuerySyntaxError('an id range needs ids of one kind');
      terms.add('id', {
        sql: 'substr(e.graceid, 1, 1) = ? AND e.id BETWEEN ? AND ?',
        params: [letter, Number(m[2]), Number(last[2])],
      });
    } else {
      terms.add('id', {
        sql: 'substr(e.graceid, 1, 1) = ? AND e.id = ?',
        params: [letter, Number(m[2])],
      });
    }
  };

  const nameList = (
    kind: 'group' | 'pipeline' | 'search',
    names: readonly string[],
    column: string,
  ) => {
    const found: string[] = [];
    for (;;) {
      const t = stream.peek();
      const name = t?.kind === 'word' ? canonicalName(names, t.text) : undefined;
      // `grbevent.trigger_id` starts with a search name but is an attribute term.
      if (!name || t!.text.includes('.')) break;
      stream.next();
      found.push(name);
    }
    if (!found.length) throw new QuerySyntaxError(`expected a ${kind} name`);
    terms.add(kind, { sql: `${column} IN (${found.map(() => '?').join(', ')})`, params: found });
  };

  while (!stream.done()) {
    const t = stream.peek()!;
    if (t.kind === 'keyword') {
      stream.next();
      switch (t.text) {
        case 'gpstime':
          terms.add('gpstime', gpsRange(stream, 'e.gpstime'));
          break;
        case 'group':
          nameList('group', GROUPS, 'e.grp');
          break;
        case 'pipeline':
          nameList('pipeline', PIPELINES, 'e.pipeline');
          break;
        case 'search':
          nameList('search', SEARCHES, 'e.search');
          break;
        case 'superevent': {
          const sid = stream.expectWord('a superevent id');
          const superevent = findSuperevent(ctx.db, normalizeSupereventId(sid));
          terms.add('superevent', { sql: 'e.superevent = ?', params: [superevent?.id ?? -1] });
          break;
        }
        case 'in_superevent':
          terms.add('in_superevent', {
            sql: `e.superevent IS ${readBoolean(stream) ? 'NOT ' : ''}NULL`,
            params: [],
          });
          break;
        case 'is_preferred_event':
          terms.add('is_preferred_event', {
            sql: `e.id ${readBoolean(stream) ? '' : 'NOT '}IN (SELECT preferred_event FROM superevents)`,
            params: [],
          });
          break;
        case 'label':
          terms.add('label', labelCondition(stream, 'event', 'e.id', canonicalLabel));
          break;
        case 'submitter':
          terms.add('submitter', {
            sql: 'e.submitter LIKE ?',
            params: [`%${stream.expectWord('a name')}%`],
          });
          break;
        case 'created':
          terms.add('created', createdCondition(stream, 'e.created_ms', ctx.now));
          break;
        case 'ifos': {
          const ifos = [stream.expectWord('detectors')];
          while (stream.isOp(',') && stream.isWord(1) && /^[A-Z]\d$/.test(stream.peek(1)!.text)) {
            stream.next();
            ifos.push(stream.expectWord('a detector'));
          }
          terms.add('ifos', { sql: 'e.instruments LIKE ?', params: [`%${ifos.join(',')}%`] });
          break;
        }
        case 'nevents': {
          const n = stream.expectWord('a number');
          if (!/^\d+$/.test(n)) throw new QuerySyntaxError(`nevents: '${n}' is not a number`);
          terms.add('nevents', { sql: 'e.nevents = ?', params: [Number(n)] });
          break;
        }
        case 'far':
          terms.add('far', farCondition(stream, 'e.far'));
          break;
        default:
          if (t.text in ID_KEYWORDS) idTerm(ID_KEYWORDS[t.text]);
          else throw new QuerySyntaxError(`unknown keyword '${t.text}:'`);
      }
      continue;
    }
    if (t.kind === 'string') {
      stream.next();
      terms.add('submitter', { sql: 'e.submitter LIKE ?', params: [`%${t.text}%`] });
      continue;
    }
    if (t.kind === 'op' && (t.text === '(' || t.text === '~')) {
      if (
        t.text === '~' &&
        stream.peek(1)?.kind === 'word' &&
        !stream.peek(1)!.text.includes('.')
      ) {
        terms.add('label', labelCondition(stream, 'event', 'e.id', canonicalLabel));
      } else terms.add('attribute', attributeExpression(stream));
      continue;
    }
    if (t.kind !== 'word') throw new QuerySyntaxError(`unexpected '${t.text}'`);
    const text = t.text;
    const lower = text.toLowerCase();
    if (lower === 'hasfar') {
      stream.next();
      terms.add('hasfar', { sql: 'e.far IS NOT NULL', params: [] });
    } else if (lower === 'far' && stream.peek(1)?.kind === 'op') {
      stream.next();
      terms.add('far', farCondition(stream, 'e.far'));
    } else if (isNumber(text)) {
      terms.add('gpstime', gpsRange(stream, 'e.gpstime'));
    } else if (looksLikeDate(stream)) {
      terms.add('created', createdCondition(stream, 'e.created_ms', ctx.now));
    } else if (EVENT_ID.test(text)) {
      idTerm(undefined);
    } else if (/^[a-z_]+\.[A-Za-z_][A-Za-z0-9_]*:?$/i.test(text)) {
      terms.add('attribute', attributeExpression(stream));
    } else if (canonicalName(GROUPS, text)) {
      nameList('group', GROUPS, 'e.grp');
    } else if (canonicalName(PIPELINES, text)) {
      nameList('pipeline', PIPELINES, 'e.pipeline');
    } else if (canonicalName(SEARCHES, text)) {
      nameList('search', SEARCHES, 'e.search');
    } else if (canonicalLabel(text.replace(/^-/, ''))) {
      terms.add('label', labelCondition(stream, 'event', 'e.id', canonicalLabel));
    } else {
      throw new QuerySyntaxError(`cannot interpret '${text}'`);
    }
  }
  if (!explicitTest) terms.add('default_test', { sql: "e.grp != 'Test'", params: [] });
  if (!explicitMdc)
    terms.add('default_mdc', { sql: "(e.search IS NULL OR e.search != 'MDC')", params: [] });
  return terms.toCondition();
}

/** `s230413b` → `S230413b`, `gw150914` → `GW150914A` (queries are case-insensitive). */
export function normalizeSupereventId(text: string): string {
  const m = /^([tm]?)(s|gw)(\d{6})([a-z]*)$/i.exec(text);
  if (!m) return text;
  const gw = m[2]!.toLowerCase() === 'gw';
  const letters = m[4] ? (gw ? m[4].toUpperCase() : m[4].toLowerCase()) : gw ? 'A' : '';
  return `${m[1]!.toUpperCase()}${gw ? 'GW' : 'S'}${m[3]}${letters}`;
}

/** `<table>.<column> <op> <value>` terms combined with `&`, `,`, `|`, `~` and parentheses. */
function attributeExpression(stream: TokenStream): Condition {
  const or = (): Condition => {
    const parts = [and()];
    while (stream.eat('|')) parts.push(and());
    return combine(parts, 'OR');
  };
  const and = (): Condition => {
    const parts = [unary()];
    while (stream.isOp('&') || (stream.isOp(',') && isAttributeStart(stream.peek(1)))) {
      stream.next();
      parts.push(unary());
    }
    return combine(parts, 'AND');
  };
  const unary = (): Condition => {
    if (stream.eat('~')) {
      const inner = unary();
      return { sql: `NOT (${inner.sql})`, params: inner.params };
    }
    if (stream.eat('(')) {
      const inner = or();
      if (!stream.eat(')')) throw new QuerySyntaxError("missing ')'");
      return inner;
    }
    return comparison();
  };
  const comparison = (): Condition => {
    let ref = stream.expectWord('table.column');
    // `si.snr: 5` — the colon is glued to the column and means equality.
    const colon = ref.endsWith(':');
    if (colon) ref = ref.slice(0, -1);
    const m = /^([a-z_]+)\.([A-Za-z_][A-Za-z0-9_]*)$/i.exec(ref);
    const table = m ? ATTRIBUTE_TABLES[m[1]!.toLowerCase()] : undefined;
    if (!m || !table) throw new QuerySyntaxError(`unknown attribute '${ref}'`);
    const values: unknown[] = [];
    let op: string;
    if (colon) op = '=';
    else {
      const t = stream.next();
      if (t.kind === 'op' && ATTRIBUTE_OPS[t.text]) op = ATTRIBUTE_OPS[t.text]!;
      else if (t.kind === 'word' && t.text.toLowerCase() === 'in') op = 'IN';
      else throw new QuerySyntaxError(`expected a comparison after '${ref}'`);
    }
    values.push(literal(stream.next()));
    if (op === 'IN') {
      while (stream.isOp(',') && !isAttributeStart(stream.peek(1))) {
        stream.next();
        values.push(literal(stream.next()));
      }
    }
    const path = table.array ? `$.${m[2]}` : `$.${table.key}.${m[2]}`;
    const lhs = table.array ? 'json_extract(je.value, ?)' : 'json_extract(e.attributes, ?)';
    const rhs = op === 'IN' ? `IN (${values.map(() => '?').join(', ')})` : `${op} ?`;
    const cond = `${lhs} ${rhs}`;
    if (table.array) {
      return {
        sql: `EXISTS (SELECT 1 FROM json_each(e.attributes, '$.${table.key}') je WHERE ${cond})`,
        params: [path, ...values],
      };
    }
    return { sql: cond, params: [path, ...values] };
  };
  return or();
}

function isAttributeStart(token: Token | undefined): boolean {
  return (
    (token?.kind === 'word' && /^[a-z_]+\.[A-Za-z_]/i.test(token.text)) ||
    (token?.kind === 'op' && (token.text === '(' || token.text === '~'))
  );
}

function literal(token: Token): unknown {
  if (token.kind === 'string') return token.text;
  if (token.kind === 'word') return isNumber(token.text) ? Number(token.text) : token.text;
  throw new QuerySyntaxError(`expected a value, got '${token.text}'`);
}

function combine(parts: Condition[], op: 'AND' | 'OR'): Condition {
  if (parts.length === 1) return parts[0]!;
  return {
    sql: parts.map((p) => `(${p.sql})`).join(` ${op} `),
    params: parts.flatMap((p) => p.params),
  };
}
