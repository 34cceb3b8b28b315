/** A value of a table keyed by group then search, own entries only (no prototype names). */
export function perSearchEntry<T>(
  table: Readonly<Record<string, Readonly<Record<string, T>>>>,
  group: string,
  search: string,
): T | undefined {
  if (!Object.hasOwn(table, group)) return undefined;
  const searches = table[group]!;
  return Object.hasOwn(searches, search) ? searches[search] : undefined;
}
