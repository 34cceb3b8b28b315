/**
 * A mock SNEWS MDC event (gwcelery-spec §12 item 98): a SNEWS notice for "now" filed in GraceDB
 * as group External, pipeline SNEWS, search MDC.
 */
import { unixToGps } from '../../formats/time/gps.js';
import type { GraceDbClient } from '../../gracedb/client.js';
import { fileExternalMdcNotice } from './file-external-notice.js';
import { snewsMdcIvorn, snewsMdcNoticeXml, snewsTriggerId } from './snews-notice.js';

export interface SnewsEventResult {
  graceid: string;
  gpstime: number;
  trigger_id: string;
  ivorn: string;
  /** False when an event with this trigger number existed and its notice was replaced. */
  created: boolean;
}

export async function uploadSnewsMdcEvent(
  gracedb: GraceDbClient,
  gpstime: number = unixToGps(Date.now() / 1000),
): Promise<SnewsEventResult> {
  const triggerId = snewsTriggerId(gpstime);
  const filed = await fileExternalMdcNotice(gracedb, {
    pipeline: 'SNEWS',
    triggerId,
    xml: snewsMdcNoticeXml({ gpstime }),
  });
  return { ...filed, gpstime, trigger_id: triggerId, ivorn: snewsMdcIvorn(gpstime) };
}
