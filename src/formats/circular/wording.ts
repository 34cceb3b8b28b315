/** Number and list wording shared by the circular templates. */

/** The first line of every LVK circular. */
export const OPENING =
  'The LIGO Scientific Collaboration, the Virgo Collaboration, and the KAGRA Collaboration report:';

/** Probabilities as circulars print them: >99%, <1%, else whole per cent. */
export function percent(p: number): string {
  if (p > 0.99) return '>99%';
  if (p < 0.01) return '<1%';
  return `${Math.round(p * 100)}%`;
}

const SECONDS_PER_YEAR = 365.25 * 86400;

/**
 * A false alarm rate in Hz as "X Hz, or about one in N <unit>": readers think in recurrence
 * times, not hertz.
 */
export function farText(farHz: number): string {
  const hz = farHz.toExponential(1);
  if (!(farHz > 0)) return `${hz} Hz`;
  const period = 1 / farHz;
  const [value, unit] =
    period >= SECONDS_PER_YEAR
      ? [period / SECONDS_PER_YEAR, 'year']
      : period >= 86400
        ? [period / 86400, 'day']
        : period >= 3600
          ? [period / 3600, 'hour']
          : [period, 'second'];
  return `${hz} Hz, or about one in ${roundForText(value)} ${unit}${roundForText(value) === '1' ? '' : 's'}`;
}

/** Two significant figures, with scientific notation only for large numbers. */
export function roundForText(x: number): string {
  if (x >= 1e5) return x.toExponential(1).replace('e+', 'e');
  return String(Number(x.toPrecision(2)));
}

/** "a, b, and c" */
export function englishList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, and ${items.at(-1)}`;
}

/** Paragraphs joined by blank lines; empty ones dropped. */
export function paragraphs(parts: (string | undefined | null | false)[]): string {
  return `${parts.filter((p): p is string => typeof p === 'string' && p !== '').join('\n\n')}\n`;
}
