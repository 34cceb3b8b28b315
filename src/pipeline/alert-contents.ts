/**
 * What one alert is made of, by reference (claim check): the superevent, the alert's serial and
 * the versioned names of its files in GraceDB. Tasks that need the packet (Kafka, the circular)
 * build it themselves from these names, so a ~1 MB sky map never travels through the broker.
 */
import { buildAlertPacket } from '../formats/alert/build-packet.js';
import type { GraceDbExternalEvent, GraceDbSuperevent } from '../formats/alert/source.js';
import type { AlertPacket, PipelineAlertType } from '../formats/alert/types.js';
import type { GraceDbClient } from '../gracedb/client.js';
import { parseProbabilityJson } from '../science/index.js';

export interface AlertSpec {
  superevent: string;
  alertType: PipelineAlertType;
  /** The VOEvent number N GraceDB gave this alert's notice. */
  serial: number;
  /** `<sid>-<N>-<Type>.xml`. */
  voevent: string;
  /** Versioned file names on the superevent. */
  skymap?: string;
  emBright?: string;
  pAstro?: string;
  combinedSkymap?: string;
  /** A RAVEN coincidence: the packet carries the superevent's external event. */
  ravenCoinc?: boolean;
  /** The alert identity (policy.alertId), for log lines. */
  alertId: string;
}

export interface AlertContents {
  superevent: GraceDbSuperevent;
  packet: AlertPacket;
  skymap?: Uint8Array;
}

async function probabilities(
  gracedb: GraceDbClient,
  sid: string,
  filename: string | undefined,
): Promise<Record<string, number> | undefined> {
  if (!filename) return undefined;
  return parseProbabilityJson(await gracedb.download(filename, sid), `${sid} ${filename}`);
}

/** What a packet is built from: the alert's files and whether it is a RAVEN coincidence. */
export type PacketSource = Pick<
  AlertSpec,
  'superevent' | 'alertType' | 'skymap' | 'emBright' | 'pAstro' | 'combinedSkymap' | 'ravenCoinc'
>;

/** Downloads the alert's parts and builds its igwn.alerts packet. */
export async function loadAlertContents(
  gracedb: GraceDbClient,
  spec: PacketSource,
  now?: Date,
): Promise<AlertContents> {
  const superevent = (await gracedb.getSuperevent(spec.superevent)) as unknown as GraceDbSuperevent;
  if (spec.alertType === 'retraction') {
    return { superevent, packet: buildAlertPacket({ superevent, alertType: 'retraction', now }) };
  }
  const [skymap, emBright, pAstro, combinedSkymap, externalEvent] = await Promise.all([
    spec.skymap ? gracedb.download(spec.skymap, spec.superevent) : undefined,
    probabilities(gracedb, spec.superevent, spec.emBright),
    probabilities(gracedb, spec.superevent, spec.pAstro),
    spec.combinedSkymap ? gracedb.download(spec.combinedSkymap, spec.superevent) : undefined,
    spec.ravenCoinc && superevent.em_type
      ? (gracedb.getEvent(superevent.em_type) as unknown as Promise<GraceDbExternalEvent>)
      : undefined,
  ]);
  const packet = buildAlertPacket({
    superevent,
    alertType: spec.alertType,
    skymap: skymap ?? null,
    emBright: emBright ?? null,
    pAstro: pAstro ?? null,
    externalEvent: externalEvent ?? null,
    combinedSkymap: combinedSkymap ?? null,
    now,
  });
  return { superevent, packet, skymap };
}
