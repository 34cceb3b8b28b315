import { unifiedDiff } from '../formats/text/unified-diff.js';
import { findParam, ivornLocalId } from '../formats/voevent/document.js';
import { parseVoevent } from '../formats/voevent/parse.js';
import { getLogger } from '../log/index.js';
import type { VoeventFrame } from '../transport/vtp/messages.js';

const log = getLogger('alerts.echo');

/** GCN packet types of LVK notices: the only events the echo check looks at. */
const LVK_PACKET_TYPES = new Set(['150', '151', '152', '163', '164']);

export interface EchoResult {
  ivorn: string;
  /** Superevent id (the GraceID Param). */
  graceid: string;
  /** The file the notice was stored under: `<IVORN fragment>.xml`. */
  filename: string;
  /** identical: GCN re-broadcast exactly what we sent (tag the file gcn_received). */
  outcome: 'identical' | 'different' | 'unknown';
  /** For 'different': unified diff, sent → received. For 'unknown': why. */
  diff?: string;
  reason?: string;
}

export interface EchoCheckOptions {
  /** The bytes we sent, from where they were stored (GraceDB's copy of `filename`). */
  fetchSent(graceid: string, filename: string): Promise<Uint8Array | undefined>;
  /**
   * The verdict. The owner wires this to GraceDB: "VOEvent received from GCN differs from what
   * we sent." with the diff on the superevent (tag em_follow), or the gcn_received tag.
   */
  report(result: EchoResult): void | Promise<void>;
}

export const ECHO_DIFFERS_MESSAGE = 'VOEvent received from GCN differs from what we sent.';

/**
 * The VOEvent echo check: an LVK notice that GCN sends back over VTP is compared line by line
 * with the bytes we sent. Anything else received (other streams' notices) is ignored.
 */
export class VoeventEchoCheck {
  constructor(private readonly options: EchoCheckOptions) {}

  /** Handles one event from the receiver; resolves with the verdict, or undefined if not ours. */
  async handle(frame: VoeventFrame): Promise<EchoResult | undefined> {
    let event: ReturnType<typeof parseVoevent>;
    try {
      event = parseVoevent(frame.bytes, `echoed VOEvent ${frame.ivorn}`);
    } catch (err) {
      log.warn({ ivorn: frame.ivorn, err: (err as Error).message }, 'unreadable VOEvent from GCN');
      return undefined;
    }
    const packetType = findParam(event, 'Packet_Type')?.value;
    const graceid = findParam(event, 'GraceID')?.value;
    if (!packetType || !LVK_PACKET_TYPES.has(packetType) || !graceid) return undefined;
    const fragment = ivornLocalId(event.ivorn);
    const filename = `${fragment}.xml`;
    const result: EchoResult = { ivorn: event.ivorn, graceid, filename, outcome: 'identical' };
    let sent: Uint8Array | undefined;
    try {
      sent = await this.options.fetchSent(graceid, filename);
    } catch (err) {
      result.outcome = 'unknown';
      result.reason = `cannot fetch ${filename} of ${graceid}: ${(err as Error).message}`;
    }
    if (result.outcome !== 'unknown' && !sent) {
      result.outcome = 'unknown';
      result.reason = `${graceid} has no file ${filename}: we did not send this notice`;
    }
    if (sent) {
      const ours = Buffer.from(sent).toString('utf8');
      const theirs = frame.bytes.toString('utf8');
      if (ours !== theirs) {
        result.outcome = 'different';
        result.diff = unifiedDiff(ours, theirs, {
          fromFile: `sent ${filename}`,
          toFile: 'received from GCN',
        });
        if (!result.diff)
          result.diff = '(the files differ only in line endings or a final newline)';
      }
    }
    if (result.outcome === 'different') log.error({ ivorn: result.ivorn }, ECHO_DIFFERS_MESSAGE);
    await this.options.report(result);
    return result;
  }
}
