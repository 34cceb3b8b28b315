/**
 * VTP framing: every message is a 4-byte unsigned big-endian byte count followed by that many
 * bytes of UTF-8 XML. TCP delivers a stream, so frames are reassembled from arbitrary chunks.
 */

/** Comet (Twisted's Int32StringReceiver) drops a connection whose frame exceeds this. */
export const COMET_MAX_FRAME_BYTES = 99_999;

export class FrameError extends Error {
  override name = 'FrameError';
}

export function encodeFrame(payload: Uint8Array | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxFrameBytes = COMET_MAX_FRAME_BYTES) {}

  /**
   * Adds received bytes and returns every frame now complete. An oversize length is an error:
   * its usual cause is a peer writing the length little-endian, and reading on would only
   * misinterpret everything that follows.
   */
  push(chunk: Uint8Array): Buffer[] {
    this.chunks.push(Buffer.from(chunk));
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    let data = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    while (data.length >= 4) {
      const length = data.readUInt32BE(0);
      if (length > this.maxFrameBytes) {
        throw new FrameError(
          `frame length ${length} exceeds the limit of ${this.maxFrameBytes} bytes (a little-endian length prefix?)`,
        );
      }
      if (data.length < 4 + length) break;
      frames.push(Buffer.from(data.subarray(4, 4 + length)));
      data = data.subarray(4 + length);
    }
    this.chunks = data.length ? [data] : [];
    this.buffered = data.length;
    return frames;
  }

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.buffered;
  }
}
