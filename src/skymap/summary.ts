/**
 * The numbers an alert, an annotation and a scientist at a terminal want from a sky map:
 * credible areas, most probable position, distance, provenance.
 */
import { credibleAreas, mostProbablePosition } from './credible.js';
import { marginalDistanceMoments } from './marginal-distance.js';
import { hasDistance, type MultiOrderSkyMap, maxOrder, pixelProbabilities } from './multiorder.js';

const DEG = 180 / Math.PI;

export interface SkyMapSummary {
  objectId?: string;
  instruments?: string[];
  creator?: string;
  dateObs?: string;
  gpsTime?: number;
  pixels: number;
  maxOrder: number;
  totalProbability: number;
  /** Credible areas in deg², keyed by percent ("50", "90"). */
  areas: Record<string, number>;
  /** Most probable position in degrees. */
  mode: { ra: number; dec: number };
  /** DISTMEAN/DISTSTD from the header (Mpc). */
  headerDistance?: { mean: number; std: number };
  /** Sky-marginalised distance recomputed from the columns (Mpc). */
  columnDistance?: { mean: number; std: number };
  logBci?: number;
  logBsn?: number;
}

export function summarize(
  map: MultiOrderSkyMap,
  levels: readonly number[] = [0.5, 0.9],
): SkyMapSummary {
  const areas = credibleAreas(map, levels);
  const mode = mostProbablePosition(map);
  const m = map.meta;
  const summary: SkyMapSummary = {
    objectId: m.objectId,
    instruments: m.instruments,
    creator: m.creator,
    dateObs: m.dateObs,
    gpsTime: m.gpsTime,
    pixels: map.uniq.length,
    maxOrder: maxOrder(map),
    totalProbability: pixelProbabilities(map).reduce((s, p) => s + p, 0),
    areas: Object.fromEntries(levels.map((c, i) => [percentLabel(c), areas[i]])),
    mode: { ra: mode.ra * DEG, dec: mode.dec * DEG },
    logBci: m.logBci,
    logBsn: m.logBsn,
  };
  if (m.distMean !== undefined && m.distStd !== undefined)
    summary.headerDistance = { mean: m.distMean, std: m.distStd };
  if (hasDistance(map)) summary.columnDistance = marginalDistanceMoments(map);
  for (const k of Object.keys(summary) as (keyof SkyMapSummary)[])
    if (summary[k] === undefined) delete summary[k];
  return summary;
}

function percentLabel(c: number): string {
  return String(Math.round(c * 1e6) / 1e4);
}

/** As ligo-skymap-plot annotates: 3 significant figures up to 100 deg², else a whole number with separators. */
export function formatArea(deg2: number): string {
  if (deg2 <= 100) return String(Number(deg2.toPrecision(3)));
  return Math.round(deg2).toLocaleString('en-US');
}

/** Distance as "126 ± 44 Mpc". */
export function formatDistance(d: { mean: number; std: number }): string {
  return `${Math.round(d.mean)} ± ${Math.round(d.std)} Mpc`;
}

/** A short human-readable report. */
export function formatSummary(s: SkyMapSummary): string {
  const lines: string[] = [];
  const row = (k: string, v: string) => lines.push(`${`${k}:`.padEnd(22)}${v}`);
  if (s.objectId) row('event ID', s.objectId);
  if (s.instruments?.length) row('instruments', s.instruments.join(', '));
  if (s.creator) row('created by', s.creator);
  if (s.dateObs) row('time of event (UTC)', s.dateObs);
  row('pixels', `${s.pixels} (max order ${s.maxOrder}, nside ${2 ** s.maxOrder})`);
  row('total probability', s.totalProbability.toPrecision(6));
  for (const [level, area] of Object.entries(s.areas))
    row(`${level}% area`, `${formatArea(area)} deg²`);
  row('most probable', `RA ${s.mode.ra.toFixed(2)}°, Dec ${s.mode.dec.toFixed(2)}°`);
  if (s.headerDistance) row('distance (header)', formatDistance(s.headerDistance));
  if (s.columnDistance) row('distance (columns)', formatDistance(s.columnDistance));
  if (s.logBci !== undefined) row('log BCI', s.logBci.toFixed(3));
  if (s.logBsn !== undefined) row('log BSN', s.logBsn.toFixed(3));
  return `${lines.join('\n')}\n`;
}
