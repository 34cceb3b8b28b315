/**
 * An IGWN Alert message as GraceDB publishes it (gracedb-api §8.2): the id of the event or
 * superevent, what happened, the thing that changed and the full parent object.
 */
export interface IgwnAlert {
  uid: string;
  alert_type: string;
  data: unknown;
  object: Record<string, unknown>;
}

export type ParsedAlert =
  | { ok: true; alert: IgwnAlert }
  | { ok: false; reason: string; noApiUrl?: true };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and checks the envelope; never throws. */
export function parseIgwnAlert(value: Buffer | string): ParsedAlert {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${(err as Error).message})` };
  }
  if (!isObject(parsed)) return { ok: false, reason: 'not a JSON object' };
  if (typeof parsed.uid !== 'string' || !parsed.uid) {
    return { ok: false, reason: "field 'uid' is missing or not a non-empty string" };
  }
  if (typeof parsed.alert_type !== 'string' || !parsed.alert_type) {
    return { ok: false, reason: "field 'alert_type' is missing or not a non-empty string" };
  }
  if (!isObject(parsed.object)) {
    // Without the parent object there is no self link to tell which GraceDB it is from
    // (legacy LVAlert-era messages look like this).
    return { ok: false, reason: "field 'object' is missing or not an object", noApiUrl: true };
  }
  if (!('data' in parsed) || parsed.data === undefined) {
    return { ok: false, reason: "field 'data' is missing" };
  }
  return {
    ok: true,
    alert: {
      uid: parsed.uid,
      alert_type: parsed.alert_type,
      data: parsed.data,
      object: parsed.object,
    },
  };
}

/**
 * The GraceDB API URL a message belongs to: `object.links.self` (or `object.self`) cut at
 * `/api/`, plus `/api/` (gwcelery-spec §1.3). Undefined when the message carries none.
 */
export function apiUrlOf(object: Record<string, unknown>): string | undefined {
  const links = object.links;
  const self =
    (isObject(links) && typeof links.self === 'string' ? links.self : undefined) ??
    (typeof object.self === 'string' ? object.self : undefined);
  if (!self) return undefined;
  const cut = self.indexOf('/api/');
  if (cut < 0) return undefined;
  return `${self.slice(0, cut)}/api/`;
}

/** A configured GraceDB URL in the form apiUrlOf() produces (`https://host/api/`). */
export function normalizeApiUrl(url: string): string {
  const trimmed = url.trim();
  if (trimmed.endsWith('/api/')) return trimmed;
  if (trimmed.endsWith('/api')) return `${trimmed}/`;
  return `${trimmed.replace(/\/+$/, '')}/api/`;
}
