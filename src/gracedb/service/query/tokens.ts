/**
 * Tokens of GraceDB's search language (§6): words, quoted strings, keywords (`group:`) and the
 * operators of ranges (`..`), comparisons and label/attribute expressions.
 */
export type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'keyword'; text: string }
  | { kind: 'op'; text: string };

/** A query the service cannot read: 400 Invalid query. */
export class QuerySyntaxError extends Error {
  override name = 'QuerySyntaxError';
}

const OPERATORS = ['..', '<=', '>=', '<', '>', '=', '&', '|', ',', '~', '(', ')'];

function splitOperators(chunk: string, out: Token[]): void {
  let word = '';
  const flush = () => {
    if (word) out.push({ kind: 'word', text: word });
    word = '';
  };
  for (let i = 0; i < chunk.length; ) {
    const op = OPERATORS.find((o) => chunk.startsWith(o, i));
    // A dot inside a number or a table.column is part of the word, `..` never is.
    if (op) {
      flush();
      out.push({ kind: 'op', text: op });
      i += op.length;
    } else {
      word += chunk[i];
      i++;
    }
  }
  flush();
}

export function tokenize(query: string): Token[] {
  const out: Token[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(query); m; m = re.exec(query)) {
    if (m[1] !== undefined || m[2] !== undefined) {
      out.push({ kind: 'string', text: m[1] ?? m[2]! });
      continue;
    }
    let chunk = m[3]!;
    const keyword = /^([A-Za-z_][A-Za-z0-9_]*):(.*)$/.exec(chunk);
    if (keyword) {
      out.push({ kind: 'keyword', text: keyword[1]!.toLowerCase() });
      chunk = keyword[2]!;
      if (!chunk) continue;
    }
    splitOperators(chunk, out);
  }
  return out;
}

/** A cursor over the tokens with the look-ahead the term parsers need. */
export class TokenStream {
  #i = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.#i + offset];
  }

  next(): Token {
    const token = this.tokens[this.#i++];
    if (!token) throw new QuerySyntaxError('unexpected end of query');
    return token;
  }

  done(): boolean {
    return this.#i >= this.tokens.length;
  }

  isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'op' && t.text === text;
  }

  isWord(offset = 0): boolean {
    return this.peek(offset)?.kind === 'word';
  }

  /** Consumes an operator if it is next. */
  eat(text: string): boolean {
    if (this.isOp(text)) {
      this.#i++;
      return true;
    }
    return false;
  }

  expectWord(what: string): string {
    const t = this.next();
    if (t.kind !== 'word' && t.kind !== 'string') throw new QuerySyntaxError(`expected ${what}`);
    return t.text;
  }
}
