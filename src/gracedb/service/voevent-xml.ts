import { gpsToUnix } from '../gps-time.js';

/**
 * STAND-IN — replace with the LVK VOEvent 2.0 writer of src/formats/voevent when it lands.
 *
 * GraceDB renders the VOEvent XML of an alert server-side (notices-and-transport.md §2). This
 * module is the one place the service builds that XML: a valid VOEvent 2.0 document with the
 * IVORN, role, Who, the Params the request carried, WhereWhen and Citations, following §2.1–2.7,
 * but not checked byte-for-byte against GraceDB's renderer.
 */

export type VoeventTypeCode = 'PR' | 'IN' | 'UP' | 'RE' | 'EW';

export const VOEVENT_TYPE_NAMES: Record<VoeventTypeCode, string> = {
  PR: 'Preliminary',
  IN: 'Initial',
  UP: 'Update',
  RE: 'Retraction',
  EW: 'EarlyWarning',
};

const PACKET_TYPES: Record<VoeventTypeCode, number> = {
  EW: 163,
  PR: 150,
  IN: 151,
  UP: 152,
  RE: 164,
};

const CITATION_TEXT: Record<VoeventTypeCode, string> = {
  EW: 'Early warning localization is now available',
  PR: 'Initial localization is now available (preliminary)',
  IN: 'Initial localization is now available',
  UP: 'Updated localization is now available',
  RE: 'Determined to not be a viable GW event candidate',
};

const DETECTORS: Record<string, string> = {
  H1: 'LIGO Hanford 4 km gravitational wave detector',
  L1: 'LIGO Livingston 4 km gravitational wave detector',
  V1: 'Virgo 3 km gravitational wave detector',
  K1: 'KAGRA 3 km gravitational wave detector',
};

export interface VoeventRenderInput {
  /** Superevent (or event) id. */
  graceId: string;
  n: number;
  type: VoeventTypeCode;
  role: 'observation' | 'test';
  createdMs: number;
  eventPage: string;
  internal: boolean;
  openAlert: boolean;
  hardwareInj: boolean;
  coincComment: boolean;
  significant: boolean;
  preferred: {
    group: string;
    pipeline: string;
    search: string | null;
    instruments: string;
    far: number | null;
    gpstime: number;
    attributes: Record<string, Record<string, unknown> | unknown[]>;
  };
  skymapUrl?: string;
  classification: { BNS?: number; NSBH?: number; BBH?: number; Terrestrial?: number };
  properties: { HasNS?: number; HasRemnant?: number; HasMassGap?: number; HasSSM?: number };
  external?: {
    triggerId?: string | null;
    ivorn?: string | null;
    observatory?: string | null;
    search?: string | null;
    timeDifference?: number | null;
    timeCoincFar?: number | null;
    spaceCoincFar?: number | null;
    combinedSkymapUrl?: string;
  };
  /** IVORNs of the earlier VOEvents of the same superevent. */
  earlierIvorns: string[];
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** Python's float repr (GraceDB writes floats that way): `1e-05`, `0.5`, `2047.0`. */
export function pythonFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exponent = Number(expText);
  const negative = mantissa!.startsWith('-');
  const digits = mantissa!.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const frac = digits.slice(exponent + 1);
  return `${sign}${intPart}.${frac || '0'}`;
}

function param(
  name: string,
  value: string | number,
  dataType: 'int' | 'float' | 'string',
  description: string,
  extra: { ucd?: string; unit?: string } = {},
  indent = '    ',
): string {
  const text = dataType === 'float' ? pythonFloat(value as number) : String(value);
  const attrs = [
    `dataType="${dataType}"`,
    `name="${name}"`,
    extra.ucd ? `ucd="${extra.ucd}"` : '',
    extra.unit ? `unit="${extra.unit}"` : '',
    `value="${escapeXml(text)}"`,
  ]
    .filter(Boolean)
    .join(' ');
  return `${indent}<Param ${attrs}>\n${indent}  <Description>${escapeXml(description)}</Description>\n${indent}</Param>`;
}

/** ISO time as Python's isoformat writes it, with a terminal Z (no fraction when it is zero). */
function isoTime(gps: number): string {
  const unix = gpsToUnix(gps);
  const whole = Math.floor(unix);
  const micro = Math.round((unix - whole) * 1e6);
  const base = new Date((whole + (micro === 1e6 ? 1 : 0)) * 1000).toISOString().slice(0, 19);
  const fraction = micro === 0 || micro === 1e6 ? '' : `.${String(micro).padStart(6, '0')}`;
  return `${base}${fraction}Z`;
}

export function renderVoevent(input: VoeventRenderInput): string {
  const typeName = VOEVENT_TYPE_NAMES[input.type];
  const ivorn = `ivo://gwnet/LVC#${input.graceId}-${input.n}-${typeName}`;
  const retraction = input.type === 'RE';
  const p = input.preferred;
  const what: string[] = [
    param(
      'Packet_Type',
      PACKET_TYPES[input.type],
      'int',
      `The Notice Type number is assigned/used within GCN, eg type=${PACKET_TYPES[input.type]} is an LVC_${typeName.toUpperCase()} notice`,
    ),
    param(
      'internal',
      input.internal ? 1 : 0,
      'int',
      'Indicates whether this event should be distributed to LSC/Virgo/KAGRA members only',
    ),
    param(
      'Pkt_Ser_Num',
      input.n,
      'int',
      'A number that increments by 1 each time a new revision is issued for this event',
    ),
    param('GraceID', input.graceId, 'string', 'Identifier in GraceDB', { ucd: 'meta.id' }),
    param('AlertType', typeName, 'string', 'VOEvent alert type', { ucd: 'meta.version' }),
    param(
      'HardwareInj',
      input.hardwareInj ? 1 : 0,
      'int',
      'Indicates that this event is a hardware injection if 1, no if 0',
      { ucd: 'meta.number' },
    ),
    param(
      'OpenAlert',
      input.openAlert ? 1 : 0,
      'int',
      'Indicates that this event is an open alert if 1, no if 0',
      { ucd: 'meta.number' },
    ),
    param(
      'EventPage',
      input.eventPage,
      'string',
      'Web page for evolving status of this GW candidate',
      { ucd: 'meta.ref.url' },
    ),
  ];
  if (!retraction) {
    what.push(
      param(
        'Instruments',
        p.instruments,
        'string',
        'List of instruments used in analysis to identify this event',
        { ucd: 'meta.code' },
      ),
    );
    if (p.far) {
      what.push(
        param(
          'FAR',
          p.far,
          'float',
          'False alarm rate for GW candidates with this strength or greater',
          { ucd: 'arith.rate;stat.falsealarm', unit: 'Hz' },
        ),
      );
    }
    what.push(
      param(
        'Significant',
        input.significant ? 1 : 0,
        'int',
        'Indicates that this event is significant if 1, no if 0',
        { ucd: 'meta.number' },
      ),
      param('Group', p.group, 'string', 'Data analysis working group', { ucd: 'meta.code' }),
      param('Pipeline', p.pipeline, 'string', 'Low-latency data analysis pipeline', {
        ucd: 'meta.code',
      }),
    );
    if (p.search)
      what.push(
        param('Search', p.search, 'string', 'Specific low-latency search', { ucd: 'meta.code' }),
      );
    const burst = p.attributes.MultiBurst as Record<string, unknown> | undefined;
    if (burst && typeof burst.central_freq === 'number') {
      what.push(
        param('CentralFreq', burst.central_freq, 'float', 'Central frequency of GW burst signal', {
          ucd: 'gw.frequency',
          unit: 'Hz',
        }),
      );
    }
    if (burst && typeof burst.duration === 'number') {
      what.push(
        param('Duration', burst.duration, 'float', 'Measured duration of GW burst signal', {
          ucd: 'time.duration',
          unit: 's',
        }),
      );
    }
    const olib = p.attributes.LalInferenceBurst as Record<string, unknown> | undefined;
    if (olib && typeof olib.frequency_mean === 'number') {
      what.push(
        param('frequency', olib.frequency_mean, 'float', 'Mean frequency of GW burst signal', {
          ucd: 'gw.frequency',
          unit: 'Hz',
        }),
      );
    }
    const ext = input.external;
    if (ext) {
      const group: string[] = [];
      const g = (
        name: string,
        value: unknown,
        type: 'float' | 'string',
        description: string,
        extra: { ucd?: string; unit?: string },
      ) => {
        if (value !== undefined && value !== null && value !== '')
          group.push(param(name, value as string | number, type, description, extra, '      '));
      };
      g('External_GCN_Notice_Id', ext.triggerId, 'string', 'GCN trigger ID of external event', {
        ucd: 'meta.id',
      });
      g('External_Ivorn', ext.ivorn, 'string', 'IVORN of external event', { ucd: 'meta.id' });
      g('External_Observatory', ext.observatory, 'string', 'External Observatory', {
        ucd: 'meta.code',
      });
      g('External_Search', ext.search, 'string', 'External astrophysical search', {
        ucd: 'meta.code',
      });
      g(
        'Time_Difference',
        ext.timeDifference,
        'float',
        'Time difference between GW candidate and external event, centered on the GW candidate',
        { ucd: 'meta.code' },
      );
      g(
        'Time_Coincidence_FAR',
        ext.timeCoincFar,
        'float',
        'Estimated coincidence false alarm rate in Hz using timing',
        { ucd: 'arith.rate;stat.falsealarm', unit: 'Hz' },
      );
      g(
        'Time_Sky_Position_Coincidence_FAR',
        ext.spaceCoincFar,
        'float',
        'Estimated coincidence false alarm rate in Hz using timing and sky position',
        { ucd: 'arith.rate;stat.falsealarm', unit: 'Hz' },
      );
      g('joint_skymap_fits', ext.combinedSkymapUrl, 'string', 'Combined GW-External Sky Map FITS', {
        ucd: 'meta.ref.url',
      });
      what.push(
        `    <Group name="External Coincidence" type="External Coincidence">\n${group.join('\n')}${group.length ? '\n' : ''}      <Description>Properties of joint coincidence found by RAVEN</Description>\n    </Group>`,
      );
    }
    if (input.skymapUrl) {
      what.push(
        `    <Group name="GW_SKYMAP" type="GW_SKYMAP">\n${param('skymap_fits', input.skymapUrl, 'string', 'Sky Map FITS', { ucd: 'meta.ref.url' }, '      ')}\n    </Group>`,
      );
    }
    const classification: string[] = [];
    const cDescriptions: Record<string, string> = {
      BNS: 'Probability that the source is a binary neutron star merger (both objects lighter than 3 solar masses)',
      NSBH: 'Probability that the source is a neutron star-black merger (secondary lighter than 3 solar masses)',
      BBH: 'Probability that the source is a binary black hole merger (both objects heavier than 3 solar masses)',
      Terrestrial:
        'Probability that the source is terrestrial (i.e., a background noise fluctuation or a glitch)',
    };
    for (const [name, description] of Object.entries(cDescriptions)) {
      const v = input.classification[name as keyof VoeventRenderInput['classification']];
      if (v !== undefined)
        classification.push(
          param(name, v, 'float', description, { ucd: 'stat.probability' }, '      '),
        );
    }
    what.push(
      `    <Group name="Classification" type="Classification">\n${classification.join('\n')}${classification.length ? '\n' : ''}      <Description>Source classification: binary neutron star (BNS), neutron star-black hole (NSBH), binary black hole (BBH), or terrestrial (noise)</Description>\n    </Group>`,
    );
    const properties: string[] = [];
    const pDescriptions: Record<string, string> = {
      HasNS:
        'Probability that at least one object in the binary has a mass that is less than 3 solar masses',
      HasRemnant: 'Probability that a nonzero mass was ejected outside the central remnant object',
      HasMassGap:
        'Probability that the source has at least one object between 3 and 5 solar masses',
      HasSSM: 'Probability that the source has at least one object less than 1 solar mass',
    };
    for (const [name, description] of Object.entries(pDescriptions)) {
      const v = input.properties[name as keyof VoeventRenderInput['properties']];
      if (v !== undefined)
        properties.push(
          param(name, v, 'float', description, { ucd: 'stat.probability' }, '      '),
        );
    }
    what.push(
      `    <Group name="Properties" type="Properties">\n${properties.join('\n')}${properties.length ? '\n' : ''}      <Description>Qualitative properties of the source, conditioned on the assumption that the signal is an astrophysical compact binary merger</Description>\n    </Group>`,
    );
  }

  const created = new Date(Math.floor(input.createdMs / 1000) * 1000).toISOString().slice(0, 19);
  const lines = [
    "<?xml version='1.0' encoding='UTF-8'?>",
    `<voe:VOEvent xmlns:voe="http://www.ivoa.net/xml/VOEvent/v2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.ivoa.net/xml/VOEvent/v2.0 http://www.ivoa.net/xml/VOEvent/VOEvent-v2.0.xsd" version="2.0" role="${input.role}" ivorn="${ivorn}">`,
    '  <Who>',
    `    <Date>${created}Z</Date>`,
    '    <Author>',
    '      <contactName>LIGO Scientific Collaboration, Virgo Collaboration, and KAGRA Collaboration</contactName>',
    '    </Author>',
    '  </Who>',
    '  <What>',
    ...what,
    '  </What>',
    '  <WhereWhen>',
    '    <ObsDataLocation>',
    '      <ObservatoryLocation id="LIGO Virgo"/>',
    '      <ObservationLocation>',
    '        <AstroCoordSystem id="UTC-FK5-GEO"/>',
    '        <AstroCoords coord_system_id="UTC-FK5-GEO">',
    '          <Time unit="s">',
    '            <TimeInstant>',
    `              <ISOTime>${isoTime(p.gpstime)}</ISOTime>`,
    '            </TimeInstant>',
    '          </Time>',
    '        </AstroCoords>',
    '      </ObservationLocation>',
    '    </ObsDataLocation>',
    '  </WhereWhen>',
  ];
  if (!retraction) {
    const detectors = ['H1', 'L1', 'V1', 'K1'].filter((d) => p.instruments.split(',').includes(d));
    lines.push(
      '  <How>',
      '    <Description>Candidate gravitational wave event identified by low-latency analysis</Description>',
      ...detectors.map((d) => `    <Description>${d}: ${DETECTORS[d]}</Description>`),
      ...(input.coincComment
        ? [
            '    <Description>A gravitational wave trigger identified a possible counterpart GRB</Description>',
          ]
        : []),
      '  </How>',
    );
  }
  if (input.earlierIvorns.length) {
    const cite = retraction ? 'retraction' : 'supersedes';
    lines.push(
      '  <Citations>',
      ...input.earlierIvorns.map(
        (e) => `    <EventIVORN cite="${cite}">${escapeXml(e)}</EventIVORN>`,
      ),
      `    <Description>${CITATION_TEXT[input.type]}</Description>`,
      '  </Citations>',
    );
  }
  if (!retraction) {
    lines.push(
      `  <Description>${input.type === 'EW' ? 'Early warning report of a candidate gravitational wave event' : 'Report of a candidate gravitational wave event'}</Description>`,
    );
  }
  lines.push('</voe:VOEvent>', '');
  return lines.join('\n');
}
