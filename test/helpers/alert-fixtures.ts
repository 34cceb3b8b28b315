import { readFileSync, writeFileSync } from 'node:fs';
import type { GraceDbExternalEvent, GraceDbSuperevent } from '../../src/formats/alert/index.js';

/**
 * Inputs for the alert-format tests that need nothing from ../shared: a CBC superevent in
 * GraceDB's JSON shape (values modelled on a real O4 NSBH candidate), variants of it for the
 * other pipelines, and a small multi-order FITS-shaped sky map.
 */
export const FIXTURE_DIR = new URL('../fixtures/alerts/', import.meta.url);

export function cbcSuperevent(): GraceDbSuperevent {
  return JSON.parse(readFileSync(new URL('S230518h.json', FIXTURE_DIR), 'utf8'));
}

export function burstSuperevent(
  pipeline: 'CWB' | 'MLy' | 'oLIB',
  search = 'AllSky',
): GraceDbSuperevent {
  const s = cbcSuperevent();
  const extra: Record<string, Record<string, unknown>> = {
    CWB: { MultiBurst: { duration: 0.017816, central_freq: 61.417622, snr: 17.4 } },
    MLy: { MLyBurst: { duration: 0.24281376600265503, central_freq: 367.1429748535156 } },
    oLIB: {
      LalInferenceBurst: { quality_mean: 6.574701487686878, frequency_mean: 45.58331038957203 },
    },
  };
  s.preferred_event_data = {
    ...s.preferred_event_data!,
    group: 'Burst',
    pipeline,
    search,
    extra_attributes: extra[pipeline],
  };
  return s;
}

export function grbExternalEvent(): GraceDbExternalEvent {
  return {
    graceid: 'E412345',
    pipeline: 'Fermi',
    search: 'GRB',
    gpstime: 1368449966.5,
    extra_attributes: {
      GRB: {
        trigger_id: '706212563',
        ivorn: 'ivo://nasa.gsfc.gcn/Fermi#GBM_Fin_Pos2023-05-18T12:59:08.00_706212563_0-025',
      },
    },
  };
}

/**
 * Bytes shaped like a multi-order FITS file (a primary header and an empty binary-table header,
 * each one 2880-byte block of 80-character cards), enough for packets that only carry the bytes.
 */
export function smallSkymap(): Buffer {
  const block = (cards: string[]) =>
    Buffer.from(
      cards
        .map((c) => c.padEnd(80))
        .join('')
        .padEnd(2880),
      'latin1',
    );
  return Buffer.concat([
    block([
      'SIMPLE  =                    T',
      'BITPIX  =                    8',
      'NAXIS   =                    0',
      'EXTEND  =                    T',
      'END',
    ]),
    block([
      "XTENSION= 'BINTABLE'",
      'BITPIX  =                    8',
      'NAXIS   =                    2',
      'NAXIS1  =                   16',
      'NAXIS2  =                    0',
      'PCOUNT  =                    0',
      'GCOUNT  =                    1',
      'TFIELDS =                    2',
      "TTYPE1  = 'UNIQ    '",
      "TFORM1  = 'K       '",
      "TTYPE2  = 'PROBDENSITY'",
      "TFORM2  = 'D       '",
      "ORDERING= 'NUNIQ   '",
      'END',
    ]),
  ]);
}

/**
 * Compares text with a committed golden file; `UPDATE_GOLDEN=1` rewrites the file instead (after
 * a deliberate format change, reviewed in the diff).
 */
export function golden(name: string, actual: string | Uint8Array): Buffer {
  const url = new URL(name, FIXTURE_DIR);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(url, actual);
  return readFileSync(url);
}
