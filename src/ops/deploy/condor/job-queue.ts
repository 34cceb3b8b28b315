import { XMLParser } from 'fast-xml-parser';
import { runCaptured } from '../run-command.js';
import { deploymentConstraint } from './quote.js';

/** One job ad from `condor_q -xml`, reduced to what the commands report. */
export interface CondorJob {
  id: string;
  description?: string;
  /** HTCondor's JobStatus number (1 idle, 2 running, 3 removed, 4 completed, 5 held, ...). */
  status?: number;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => name === 'c' || name === 'a',
  processEntities: true,
});

type Attribute = { n: string } & Record<string, unknown>;

function attribute(ad: { a?: Attribute[] }, name: string): unknown {
  const found = ad.a?.find((a) => a.n.toLowerCase() === name.toLowerCase());
  if (!found) return undefined;
  for (const type of ['i', 'r', 's', 'b', 'e']) {
    if (type in found) {
      const v = found[type];
      return type === 'b' ? (v as { v?: string }).v === 't' : v;
    }
  }
  return undefined;
}

/**
 * Job ads in `condor_q -xml` output. No jobs prints an empty `<classads>` (or, from some
 * versions, nothing at all); anything else that is not a ClassAd document is an error, because
 * "no jobs" would then let a second deployment start beside the first.
 */
export function parseJobAds(xml: string): CondorJob[] {
  if (xml.trim() === '') return [];
  let doc: { classads?: { c?: { a?: Attribute[] }[] } | string };
  try {
    doc = parser.parse(xml, true) as typeof doc;
  } catch (err) {
    throw new Error(`condor_q -xml printed malformed XML: ${(err as Error).message}`);
  }
  if (doc.classads === undefined) {
    throw new Error(`condor_q -xml printed no <classads> document: ${xml.slice(0, 200)}`);
  }
  const ads = typeof doc.classads === 'object' ? (doc.classads.c ?? []) : [];
  return ads.map((ad) => {
    const cluster = attribute(ad, 'ClusterId');
    const proc = attribute(ad, 'ProcId');
    const description = attribute(ad, 'JobDescription');
    const status = attribute(ad, 'JobStatus');
    return {
      id: cluster === undefined ? '?' : `${cluster}.${proc ?? 0}`,
      ...(typeof description === 'string' ? { description } : {}),
      ...(status === undefined ? {} : { status: Number(status) }),
    };
  });
}

/** The jobs of the deployment in this directory (`condor_q -xml -constraint ...`). */
export async function deploymentJobs(cwd: string): Promise<CondorJob[]> {
  const run = await runCaptured(['condor_q', '-xml', '-constraint', deploymentConstraint(cwd)]);
  if (run.code !== 0) {
    throw new Error(
      `condor_q failed (exit status ${run.code}): ${run.stderr.trim() || run.stdout.trim()}`,
    );
  }
  return parseJobAds(run.stdout);
}
