/**
 * LIGO_LW naming conventions: element Name attributes carry suffixes (`sngl_inspiral:table`,
 * `f0:param`, `PSD:array`) and column names carry the table prefix (`sngl_inspiral:snr`) or,
 * for a foreign key, the owning table's prefix (`process:process_id`). Old documents spell row
 * ids as ilwd:char strings (`coinc_event:coinc_event_id:7`); new ones as int_8s integers.
 */

/** `process_group:process:table` → `process`; a name without the suffix is kept. */
export function tableShortName(xmlName: string): string {
  const base = xmlName.endsWith(':table') ? xmlName.slice(0, -6) : xmlName;
  const colon = base.lastIndexOf(':');
  return colon === -1 ? base : base.slice(colon + 1);
}

/** `sngl_inspiral:snr` → `snr`; `process:process_id` → `process_id`. */
export function columnShortName(xmlName: string): string {
  const colon = xmlName.lastIndexOf(':');
  return colon === -1 ? xmlName : xmlName.slice(colon + 1);
}

/** `f0:param` → `f0`, `PSD:array` → `PSD`. */
export function stripSuffix(xmlName: string, suffix: ':param' | ':array'): string {
  return xmlName.endsWith(suffix) ? xmlName.slice(0, -suffix.length) : xmlName;
}

/** Id columns named after the table that owns them; other tables refer to them by that name. */
const ID_OWNER: Record<string, string> = {
  process_id: 'process',
  coinc_def_id: 'coinc_definer',
  coinc_event_id: 'coinc_event',
  time_slide_id: 'time_slide',
  segment_def_id: 'segment_definer',
  simulation_id: 'sim_inspiral',
  filter_id: 'filter',
};

/**
 * The Column Name the current Python library (ligo.lw) writes: `table:column`, except a
 * foreign key, which carries the owning table's prefix (`process:process_id` in sngl_inspiral).
 */
export function columnXmlName(table: string, column: string): string {
  return `${ID_OWNER[column] ?? table}:${column}`;
}

const ILWD = /^([A-Za-z0-9_]+):([A-Za-z0-9_]+):(\d+)$/;

/** The parts of an ilwd:char id such as `sngl_inspiral:event_id:2`, or undefined. */
export function parseIlwd(
  text: string,
): { table: string; column: string; index: number } | undefined {
  const match = ILWD.exec(text);
  if (!match) return undefined;
  const index = Number(match[3]);
  if (!Number.isSafeInteger(index)) return undefined;
  return { table: match[1]!, column: match[2]!, index };
}
