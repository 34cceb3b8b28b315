/**
 * Bar annotations as the reference prints them (gwcelery-spec §7.1): "100%" at or above 1, "0%"
 * at or below 0, ">99%" above 0.99, "<1%" below 0.01, else the rounded integer percentage. The
 * rounding is numpy's (half to even), so 0.125 reads "12%", not "13%".
 */
export function formatProbability(p: number): string {
  if (Number.isNaN(p)) throw new RangeError('cannot format a NaN probability');
  if (p >= 1) return '100%';
  if (p <= 0) return '0%';
  if (p > 0.99) return '>99%';
  if (p < 0.01) return '<1%';
  return `${roundHalfEven(100 * p)}%`;
}

export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}
