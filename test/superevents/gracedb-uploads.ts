/**
 * Uploads to a GraceDB service made with the project's own writers (coinc.xml through the
 * LIGO_LW writer, oLIB JSON), and a snapshot of the superevent state for before/after checks.
 */
import type { GraceDbClient } from '../../src/gracedb/client.js';
import { coincXml } from '../gracedb/coinc-fixture.js';
import { olibPayload } from '../gracedb/helpers.js';

export const CBC_PIPELINES = ['gstlal', 'pycbc', 'MBTA', 'spiir'] as const;

export interface Upload {
  pipeline: string;
  gpstime: number;
  far: number;
  snr?: number;
  ifos?: string[];
  search?: string;
  labels?: string[];
  /** oLIB only: quality over frequency sets the window half-width. */
  frequency?: number;
}

/** Uploads one candidate; returns the event JSON as GraceDB now serves it. */
export async function upload(client: GraceDbClient, u: Upload): Promise<Record<string, unknown>> {
  const search = u.search ?? 'AllSky';
  const created =
    u.pipeline === 'oLIB'
      ? await client.createEvent(
          olibPayload(u.gpstime, u.far, { frequency_posterior_mean: u.frequency ?? 100 }),
          search,
          'oLIB',
          'Burst',
          u.labels ?? [],
        )
      : await client.createEvent(
          coincXml({ gpstime: u.gpstime, far: u.far, snr: u.snr, ifos: u.ifos }),
          search,
          u.pipeline,
          'CBC',
          u.labels ?? [],
        );
  return u.labels?.length ? client.getEvent(String(created.graceid)) : created;
}

/** Every superevent with its log comments, and each event's superevent: the state to compare. */
export async function gracedbState(client: GraceDbClient, graceids: readonly string[]) {
  const superevents = await client.getSuperevents('');
  superevents.sort((a, b) => a.superevent_id.localeCompare(b.superevent_id));
  const logs: Record<string, string[]> = {};
  for (const s of superevents) {
    logs[s.superevent_id] = (await client.getLog(s.superevent_id)).map((l) => l.comment);
  }
  const membership: Record<string, unknown> = {};
  for (const gid of graceids) membership[gid] = (await client.getEvent(gid)).superevent;
  return { superevents, logs, membership };
}
