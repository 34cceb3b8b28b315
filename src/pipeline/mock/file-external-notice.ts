import type { GraceDbClient } from '../../gracedb/client.js';

/**
 * Files a GCN notice in GraceDB as an MDC external event the way the external-trigger handler
 * does: a notice whose trigger number is already there replaces that event's file instead of
 * making a second event, so a task that runs twice leaves one event.
 */
export async function fileExternalMdcNotice(
  gracedb: GraceDbClient,
  notice: { pipeline: string; triggerId: string; xml: string },
): Promise<{ graceid: string; created: boolean }> {
  const existing = await gracedb.getEvents(
    `group: External pipeline: ${notice.pipeline} search: MDC grbevent.trigger_id = "${notice.triggerId}"`,
  );
  if (existing.length > 0) {
    const graceid = String(existing[0]!.graceid);
    await gracedb.replaceEvent(graceid, notice.xml);
    return { graceid, created: false };
  }
  const event = await gracedb.createEvent(notice.xml, 'MDC', notice.pipeline, 'External');
  return { graceid: String(event.graceid), created: true };
}
