import type { AlertExternalCoinc, AlertPacket } from '../alert/types.js';
import { gpsToIsoUtc, isoUtcToGps } from '../time/gps.js';
import {
  type Method,
  OBSERVATORIES,
  pipelineMethod,
  skymapMethod,
  USER_GUIDE,
} from './vocabulary.js';
import { englishList, farText, OPENING, paragraphs, percent, roundForText } from './wording.js';

export const CIRCULAR_TYPES = [
  'earlywarning',
  'preliminary',
  'initial',
  'update',
  'retraction',
] as const;
export type CircularType = (typeof CIRCULAR_TYPES)[number];

export const UPDATE_TOPICS = ['sky_localization', 'em_bright', 'p_astro', 'raven'] as const;
export type UpdateTopic = (typeof UPDATE_TOPICS)[number];

/** What the circular says about one sky map; the numbers come from the sky-map library. */
export interface SkymapSummary {
  /** Versioned file name, e.g. `bayestar.multiorder.fits,1`. */
  filename: string;
  /** Area of the 90% credible region, deg². */
  area90?: number;
  /** Posterior luminosity distance, Mpc (mean and standard deviation). */
  distanceMpc?: { mean: number; std: number };
  /** How it was distributed, e.g. "distributed via GCN notice about 30 seconds after the candidate event time". */
  note?: string;
}

export interface CircularInput {
  type: CircularType;
  /** The alert packet this circular accompanies (sky-map bytes are not used). */
  packet: AlertPacket;
  /** Superevent t_0 (GPS); read from the packet's event time when absent. */
  gpsTime?: number;
  skymaps?: SkymapSummary[];
  /** Defaults to the last sky map listed. */
  preferredSkymap?: string;
  /** Update circulars: what changed. */
  updateTopics?: UpdateTopic[];
  /** Combined GW × external sky map file, for coincidence circulars. */
  combinedSkymap?: string;
  /** Retractions: why, in one sentence (optional). */
  retractionReason?: string;
}

export interface CircularDraft {
  subject: string;
  body: string;
  /** `SUBJECT: ...`, a blank line, the body: the file content. */
  text: string;
  /** `<type>-circular.txt` or `<type>-emcoinc-circular.txt`. */
  filename: string;
  tags: string[];
  /** GraceDB log comment for the upload. */
  comment: string;
}

export class CircularError extends Error {
  override name = 'CircularError';
}

/**
 * File name, tags and comment of a circular draft upload, as the reference names them: the
 * coincidence variant for RAVEN alerts is tagged ext_coinc too.
 */
export function circularUpload(
  type: CircularType,
  coincidence: boolean,
): Pick<CircularDraft, 'filename' | 'tags' | 'comment'> {
  const emcoinc = coincidence && type !== 'retraction';
  return {
    filename: emcoinc ? `${type}-emcoinc-circular.txt` : `${type}-circular.txt`,
    tags: emcoinc ? ['em_follow', 'ext_coinc'] : ['em_follow'],
    comment: `Template for ${type} GCN Circular`,
  };
}

/** Writes the GCN Circular draft for an alert. */
export function composeCircular(input: CircularInput): CircularDraft {
  const { packet, type } = input;
  const sid = packet.superevent_id;
  if (!(CIRCULAR_TYPES as readonly string[]).includes(type)) {
    throw new CircularError(`${sid}: no circular template for alert type '${type}'`);
  }
  const refs = new References();
  let subject: string;
  let body: string;
  if (type === 'retraction') {
    subject = `LIGO/Virgo/KAGRA ${sid}: Retraction`;
    body = paragraphs([
      OPENING,
      `Upon further inspection, ${sid} is no longer considered a viable gravitational-wave candidate and is retracted.${input.retractionReason ? ` ${input.retractionReason}` : ''} The retraction was distributed in a GCN notice of type RETRACTION.`,
      `The event page remains available at this URL:\n${packet.urls.gracedb}`,
      userGuide(),
    ]);
  } else {
    const event = packet.event;
    if (!event) throw new CircularError(`${sid}: a ${type} circular needs the packet's event`);
    const coinc = packet.external_coinc;
    const cbc = event.group === 'CBC';
    const kind = cbc ? 'compact binary merger candidate' : 'burst candidate';
    subject =
      type === 'update'
        ? `LIGO/Virgo/KAGRA ${sid}: ${updateSubject(input.updateTopics ?? [])}`
        : `LIGO/Virgo/KAGRA ${sid}: ${type === 'earlywarning' ? 'Early warning identification' : 'Identification'} of a GW ${kind}${coinc ? ` coincident with a ${coinc.observatory} ${coinc.search} trigger` : ''}`;
    const topics = new Set<UpdateTopic>(
      type === 'update'
        ? (input.updateTopics ?? [])
        : ['sky_localization', 'em_bright', 'p_astro', 'raven'],
    );
    body = paragraphs([
      OPENING,
      type === 'update'
        ? `We are issuing this circular to provide updated information about ${sid} (event page: ${packet.urls.gracedb}).`
        : identification(input, kind, refs),
      type !== 'update' && significance(input),
      !cbc && burstDescription(input),
      cbc && topics.has('p_astro') && classification(event.classification),
      cbc && topics.has('em_bright') && properties(event.properties),
      topics.has('sky_localization') && skymapParagraph(input, refs),
      coinc && topics.has('raven') && coincidence(sid, coinc, input.combinedSkymap),
      userGuide(),
      refs.list(),
    ]);
  }
  const upload = circularUpload(type, packet.external_coinc !== null);
  return { subject, body, text: `SUBJECT: ${subject}\n\n${body}`, ...upload };
}

class References {
  private items: string[] = [];
  cite(method: Method): string {
    const numbers = method.references.map((r) => {
      let at = this.items.indexOf(r);
      if (at < 0) at = this.items.push(r) - 1;
      return `[${at + 1}]`;
    });
    return numbers.length ? `${method.name} ${numbers.join(', ')}` : method.name;
  }
  list(): string | undefined {
    if (this.items.length === 0) return undefined;
    return this.items.map((r, i) => ` [${i + 1}] ${r}`).join('\n');
  }
}

function gpsOf(input: CircularInput): number {
  if (input.gpsTime !== undefined) return input.gpsTime;
  return isoUtcToGps(input.packet.event!.time);
}

function identification(input: CircularInput, kind: string, refs: References): string {
  const event = input.packet.event!;
  const gps = gpsOf(input);
  const utc = gpsToIsoUtc(gps, 3, { suffix: '' }).replace('T', ' ');
  const detectors = englishList(event.instruments.map((i) => OBSERVATORIES[i] ?? i));
  const pipeline = refs.cite(pipelineMethod(event.pipeline));
  const when =
    input.type === 'earlywarning'
      ? ' This is an early warning alert: the candidate was identified before the estimated merger time, from the inspiral signal alone.'
      : '';
  return `We identified the ${kind} ${input.packet.superevent_id} during real-time processing of data from ${detectors} at ${utc} UTC (GPS time: ${gps.toFixed(3)}). The candidate was found by the ${pipeline} analysis pipeline (search ${event.search}).${when}`;
}

function significance(input: CircularInput): string {
  const event = input.packet.event!;
  const why = event.significant
    ? 'is an event of interest because its false alarm rate'
    : 'is a low-significance candidate: its false alarm rate';
  return `${input.packet.superevent_id} ${why}, as estimated by the online analysis, is ${farText(event.far)}. The event's properties can be found at this URL:\n${input.packet.urls.gracedb}`;
}

function burstDescription(input: CircularInput): string | undefined {
  const { duration, central_frequency } = input.packet.event!;
  const parts: string[] = [];
  if (central_frequency !== null)
    parts.push(`a central frequency of ${roundForText(central_frequency)} Hz`);
  if (duration !== null) parts.push(`a duration of ${roundForText(duration)} s`);
  return parts.length ? `The burst candidate has ${englishList(parts)}.` : undefined;
}

function classification(probabilities: Record<string, number>): string | undefined {
  const entries = Object.entries(probabilities).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return undefined;
  const listed = entries.map(([k, v]) => `${k} (${percent(v)})`);
  const text =
    listed.length === 1 ? listed[0] : `${listed.slice(0, -1).join(', ')}, or ${listed.at(-1)}`;
  return `The classification of the GW signal, in order of descending probability, is ${text}.`;
}

function properties(p: Record<string, number>): string | undefined {
  const sentences: string[] = [];
  if (p.HasNS !== undefined) {
    sentences.push(
      `Assuming the candidate is astrophysical in origin, the probability that the lighter compact object is consistent with a neutron star mass (HasNS) is ${percent(p.HasNS)}.`,
    );
  }
  if (p.HasRemnant !== undefined) {
    sentences.push(
      `Using the masses and spins inferred from the signal, the probability of matter outside the final compact object (HasRemnant) is ${percent(p.HasRemnant)}.`,
    );
  }
  if (p.HasNS !== undefined && p.HasRemnant !== undefined) {
    sentences.push(
      'Both HasNS and HasRemnant consider the support of several neutron star equations of state.',
    );
  }
  if (p.HasMassGap !== undefined) {
    sentences.push(
      `The probability that either of the binary components lies between 3 and 5 solar masses (HasMassGap) is ${percent(p.HasMassGap)}.`,
    );
  }
  if (p.HasSSM !== undefined) {
    sentences.push(
      `The probability that at least one of the binary components is lighter than one solar mass (HasSSM) is ${percent(p.HasSSM)}.`,
    );
  }
  return sentences.length ? sentences.join(' ') : undefined;
}

const COUNT_WORDS = ['No', 'One', 'Two', 'Three', 'Four', 'Five'];

function skymapParagraph(input: CircularInput, refs: References): string | undefined {
  const maps = input.skymaps ?? [];
  if (maps.length === 0) return undefined;
  const count = COUNT_WORDS[maps.length] ?? String(maps.length);
  const lines = maps.map((m) => {
    const method = skymapMethod(m.filename);
    return ` * ${m.filename}, ${method.kind} ${refs.cite(method)}${m.note ? `, ${m.note}` : ''}.`;
  });
  const preferredName = input.preferredSkymap ?? maps.at(-1)!.filename;
  const preferred = maps.find((m) => m.filename === preferredName);
  const stats: string[] = [`The preferred sky map at this time is ${preferredName}.`];
  if (preferred?.area90 !== undefined) {
    stats.push(
      `For the ${preferredName} sky map, the 90% credible region is ${Math.round(preferred.area90)} deg2.`,
    );
  }
  if (preferred?.distanceMpc) {
    const { mean, std } = preferred.distanceMpc;
    stats.push(
      `Marginalized over the whole sky, the a posteriori luminosity distance estimate is ${Math.round(mean)} +/- ${Math.round(std)} Mpc (a posteriori mean +/- standard deviation).`,
    );
  }
  return `${count} sky map${maps.length === 1 ? ' is' : 's are'} available at this time and can be retrieved from the GraceDB event page:\n${lines.join('\n')}\n\n${stats.join(' ')}`;
}

function coincidence(sid: string, coinc: AlertExternalCoinc, combined?: string): string {
  const dt = coinc.time_difference;
  const order = dt >= 0 ? 'after' : 'before';
  const fars: string[] = [];
  if (coinc.time_coincidence_far !== null) {
    fars.push(
      `The joint false alarm rate from the time coincidence is ${farText(coinc.time_coincidence_far)}.`,
    );
  }
  if (coinc.time_sky_position_coincidence_far !== null) {
    fars.push(
      `Including the overlap of the sky maps, the joint false alarm rate is ${farText(coinc.time_sky_position_coincidence_far)}.`,
    );
  }
  const map = combined
    ? ` A combined GW-${coinc.observatory} sky map, ${combined}, is available on the GraceDB event page.`
    : '';
  return `The online RAVEN pipeline found that the ${coinc.observatory} ${coinc.search} trigger ${coinc.gcn_notice_id} (${coinc.ivorn}) occurred ${Math.abs(dt).toFixed(2)} s ${order} ${sid}. ${fars.join(' ')}${map}`.replace(
    / +$/,
    '',
  );
}

function updateSubject(topics: UpdateTopic[]): string {
  const names: Record<UpdateTopic, string> = {
    sky_localization: 'sky localization',
    em_bright: 'EM Bright classification',
    p_astro: 'source classification',
    raven: 'external coincidence information',
  };
  return topics.length ? `Updated ${englishList(topics.map((t) => names[t]))}` : 'Update';
}

function userGuide(): string {
  return `For further information about analysis methodology and the contents of this alert, refer to the LIGO/Virgo/KAGRA Public Alerts User Guide ${USER_GUIDE}.`;
}
