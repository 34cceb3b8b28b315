import { ScienceInputError } from './errors.js';

/** Slack for pipelines whose probabilities overshoot [0, 1] by rounding. */
const TOLERANCE = 1e-9;

/**
 * Reads a classification file (`<pipeline>.p_astro.json`, `em_bright.json`): a JSON object of
 * probabilities, keys kept in file order. Anything else is a ScienceInputError naming the file
 * and the offending key, so a broken upload is reported instead of plotted or forwarded.
 */
export function parseProbabilityJson(
  contents: string | Uint8Array,
  source: string,
): Record<string, number> {
  const text = typeof contents === 'string' ? contents : Buffer.from(contents).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ScienceInputError(
      'contents',
      `is not valid JSON (${(err as Error).message})`,
      source,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ScienceInputError('contents', 'must be a JSON object of probabilities', source);
  }
  const entries = Object.entries(parsed);
  if (entries.length === 0) throw new ScienceInputError('contents', 'has no probabilities', source);
  const out: Record<string, number> = {};
  for (const [key, value] of entries) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ScienceInputError(
        key,
        `must be a finite number, got ${JSON.stringify(value)}`,
        source,
      );
    }
    if (value < -TOLERANCE || value > 1 + TOLERANCE) {
      throw new ScienceInputError(key, `must be a probability in [0, 1], got ${value}`, source);
    }
    out[key] = value;
  }
  return out;
}
