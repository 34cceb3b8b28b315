/**
 * Writers of the service as operators write them, in configuration (`gracedb_service_tokens`)
 * and on the command line (`--token`): `USER:TOKEN`, or a bare token for the user `gwcelery`,
 * several separated by commas or whitespace. Kept a string so that `gwcelery config` masks it.
 */
export function parseTokens(specs: string | string[]): Record<string, string> {
  const list = (Array.isArray(specs) ? specs : [specs])
    .flatMap((s) => s.split(/[\s,]+/))
    .filter(Boolean);
  const tokens: Record<string, string> = {};
  for (const spec of list) {
    const colon = spec.indexOf(':');
    const [user, token] =
      colon > 0 ? [spec.slice(0, colon), spec.slice(colon + 1)] : ['gwcelery', spec];
    if (!token) throw new Error(`token '${spec}': the token is empty`);
    tokens[user] = token;
  }
  return tokens;
}
