import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface NetrcEntry {
  login?: string;
  password?: string;
  account?: string;
}

/** Parses a netrc file (machine / default blocks of login, password, account tokens). */
export function parseNetrc(text: string): Map<string, NetrcEntry> {
  const tokens = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n')
    .split(/\s+/)
    .filter(Boolean);
  const out = new Map<string, NetrcEntry>();
  let current: NetrcEntry | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === 'machine') {
      current = {};
      out.set(tokens[++i] ?? '', current);
    } else if (token === 'default') {
      current = {};
      out.set('default', current);
    } else if (token === 'macdef') {
      current = undefined; // a macro runs to the next blank line: nothing we need
    } else if (current && (token === 'login' || token === 'password' || token === 'account')) {
      current[token] = tokens[++i];
    }
  }
  return out;
}

/** The netrc entry for a host ($NETRC, else ~/.netrc); undefined when absent or unreadable. */
export function netrcEntry(
  host: string,
  env: NodeJS.ProcessEnv = process.env,
): NetrcEntry | undefined {
  const path = env.NETRC || join(homedir(), '.netrc');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseNetrc(text).get(host);
}
