/**
 * LIGO_LW parse time: gwcelery's coinc.xml (readCoinc), psd.xml.gz (readPsds) and the
 * first-two-years file read at every hourly mock event (readCoincidences), from bytes in memory
 * to typed views. Each figure is the median of several runs after warm-up. As a baseline, the
 * same decompressed text is parsed in the same process by fast-xml-parser, which only builds a
 * generic tree (no Stream tokenizing, no typing).
 *
 * Usage: npm run bench:ligolw [-- --runs 15]
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import {
  decodeLigoLwText,
  readCoinc,
  readCoincidences,
  readLigoLw,
  readPsds,
} from '../src/formats/ligolw/index.js';

const runsArgument = process.argv.indexOf('--runs');
const RUNS = runsArgument === -1 ? 15 : Number(process.argv[runsArgument + 1]);
const WARMUP = 3;

const shared = fileURLToPath(new URL('../../shared/data/gwcelery/', import.meta.url));
const fixtures = fileURLToPath(new URL('../test/fixtures/ligolw/', import.meta.url));

function pick(
  sharedPath: string,
  fallback: string | null,
): { path: string; shared: boolean } | null {
  if (existsSync(shared + sharedPath)) return { path: shared + sharedPath, shared: true };
  if (fallback && existsSync(fixtures + fallback))
    return { path: fixtures + fallback, shared: false };
  return null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function time(fn: () => unknown): number {
  for (let i = 0; i < WARMUP; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const round = (ms: number) => Math.round(ms * 100) / 100;

interface Case {
  key: 'coinc' | 'psd' | 'first2years';
  file: { path: string; shared: boolean } | null;
  view: (bytes: Buffer) => unknown;
}

const cases: Case[] = [
  { key: 'coinc', file: pick('tests/coinc.xml', 'coinc.xml'), view: (b) => readCoinc(b) },
  { key: 'psd', file: pick('tests/psd.xml.gz', 'psd.xml.gz'), view: (b) => readPsds(b) },
  {
    key: 'first2years',
    file: pick('first2years/gstlal.xml.gz', null),
    view: (b) => readCoincidences(b),
  },
];

const baselineParser = new XMLParser({ ignoreAttributes: false });
const result: Record<string, number | string | null> = {};
console.log(`LIGO_LW parse, median of ${RUNS} runs after ${WARMUP} warm-up runs`);
console.log('file          bytes       views ms   document ms   fast-xml-parser ms   ratio');
for (const { key, file, view } of cases) {
  if (!file) {
    console.log(`${key.padEnd(13)} (not found: ../shared/data is missing)`);
    result[`${key}_ms`] = null;
    continue;
  }
  const bytes = readFileSync(file.path);
  const viewMs = time(() => view(bytes));
  const documentMs = time(() => readLigoLw(bytes));
  const baselineMs = time(() => baselineParser.parse(decodeLigoLwText(bytes)));
  const label = file.shared ? key : `${key}*`;
  console.log(
    `${label.padEnd(13)} ${String(bytes.length).padStart(9)}   ${viewMs.toFixed(2).padStart(8)}   ` +
      `${documentMs.toFixed(2).padStart(11)}   ${baselineMs.toFixed(2).padStart(18)}   ` +
      `${(baselineMs / viewMs).toFixed(1).padStart(5)}x`,
  );
  result[`${key}_ms`] = round(viewMs);
  result[`${key}_document_ms`] = round(documentMs);
  result[`${key}_fast_xml_parser_ms`] = round(baselineMs);
  if (!file.shared) result[`${key}_source`] = 'project fixture';
}
if (cases.some((c) => c.file && !c.file.shared)) {
  console.log('* ../shared/data is missing: measured on the project fixture instead');
}
console.log(`RESULT ${JSON.stringify(result)}`);
