import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { getLogger } from '../../log/index.js';
import { COMET_MAX_FRAME_BYTES, encodeFrame, FrameDecoder } from './framing.js';
import { parseFrame, transportMessage } from './messages.js';
import { Whitelist } from './whitelist.js';

const log = getLogger('vtp.broadcaster');

export interface BroadcasterOptions {
  host: string;
  port: number;
  whitelist: string[];
  localIvo: string;
  iamaliveIntervalMs?: number;
  /** A subscriber with this many unacknowledged events at an iamalive round is dropped. */
  maxOutstandingAcks?: number;
  maxFrameBytes?: number;
  /** A subscriber that stops reading is dropped once this much is queued for it. */
  maxQueuedBytes?: number;
}

export interface PeerInfo {
  /** `address:port` of the subscriber. */
  peer: string;
  connectedAt: string;
  lastHeardAt: string;
  outstandingAcks: number;
  eventsSent: number;
  acks: number;
}

export interface BroadcastResult {
  ivorn: string;
  /** Subscribers the event was written to. */
  sentTo: string[];
  /** Subscribers that acknowledged it within the wait. */
  acked: string[];
  nakked: { peer: string; reason: string }[];
  /** Subscribers that neither acked nor nakked within the wait. */
  unanswered: string[];
}

/** `send` found nobody to send to; retryable (GCN reconnects). */
export class NoSubscribersError extends Error {
  override name = 'NoSubscribersError';
  constructor() {
    super('Not sending the event because there are no subscribers connected to the GCN broker.');
  }
}

type Answer = { ack: true } | { ack: false; reason: string };

interface Waiter {
  ivorn: string;
  /** undefined: the subscriber went away without answering. */
  resolve(outcome: Answer | undefined): void;
}

class Peer {
  readonly name: string;
  readonly connectedAt = new Date();
  lastHeardAt = new Date();
  awaitingIamalive = false;
  outstandingAcks = 0;
  eventsSent = 0;
  acks = 0;
  waiters: Waiter[] = [];
  readonly decoder: FrameDecoder;

  constructor(
    readonly socket: Socket,
    maxFrameBytes: number,
  ) {
    this.name = `${socket.remoteAddress}:${socket.remotePort}`;
    this.decoder = new FrameDecoder(maxFrameBytes);
  }

  info(): PeerInfo {
    return {
      peer: this.name,
      connectedAt: this.connectedAt.toISOString(),
      lastHeardAt: this.lastHeardAt.toISOString(),
      outstandingAcks: this.outstandingAcks,
      eventsSent: this.eventsSent,
      acks: this.acks,
    };
  }
}

/**
 * The VTP broker side of the LVK → GCN link: subscribers (GCN) connect in, are checked against
 * the IP whitelist, receive keep-alives and every event, and acknowledge each. A subscriber that
 * misses a keep-alive round, falls ten acknowledgements behind, naks, or stops reading is
 * dropped (Comet's policy), so one bad subscriber never holds back the others.
 *
 * Events: 'peer-connected' (PeerInfo), 'peer-dropped' ({peer, reason}), 'refused' (address).
 */
export class VtpBroadcaster extends EventEmitter {
  private server?: Server;
  private whitelist?: Whitelist;
  private readonly peers = new Set<Peer>();
  private timer?: NodeJS.Timeout;
  private readonly iamaliveIntervalMs: number;
  private readonly maxOutstandingAcks: number;
  private readonly maxFrameBytes: number;
  private readonly maxQueuedBytes: number;

  constructor(private readonly options: BroadcasterOptions) {
    super();
    if (options.whitelist.length === 0) {
      // An empty whitelist means "broadcasting disabled": listening anyway would serve anyone.
      throw new Error('the VOEvent broadcaster needs a non-empty whitelist');
    }
    this.iamaliveIntervalMs = options.iamaliveIntervalMs ?? 60_000;
    this.maxOutstandingAcks = options.maxOutstandingAcks ?? 10;
    this.maxFrameBytes = options.maxFrameBytes ?? COMET_MAX_FRAME_BYTES;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 16 * 1024 * 1024;
  }

  async start(): Promise<{ host: string; port: number }> {
    this.whitelist = await Whitelist.resolve(this.options.whitelist);
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host || undefined, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => log.error({ err }, 'VOEvent broadcaster server error'));
    this.timer = setInterval(() => this.keepAliveRound(), this.iamaliveIntervalMs);
    this.timer.unref();
    const address = this.address();
    log.info({ ...address, whitelist: this.options.whitelist }, 'VOEvent broadcaster listening');
    return address;
  }

  address(): { host: string; port: number } {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('broadcaster is not listening');
    return { host: address.address, port: address.port };
  }

  /** Connected subscribers, for `inspect` and the Nagios check. */
  peerList(): PeerInfo[] {
    return [...this.peers].map((p) => p.info());
  }

  /**
   * Writes the event bytes, unchanged, to every subscriber and waits up to `ackTimeoutMs` for
   * their acknowledgements. Resolves once every subscriber has answered or the wait is over.
   */
  async broadcast(
    bytes: Uint8Array,
    ivorn: string,
    options: { ackTimeoutMs?: number } = {},
  ): Promise<BroadcastResult> {
    const targets = [...this.peers];
    if (targets.length === 0) throw new NoSubscribersError();
    if (bytes.length > this.maxFrameBytes) {
      throw new Error(
        `VOEvent ${ivorn} is ${bytes.length} bytes, above the ${this.maxFrameBytes}-byte VTP frame limit`,
      );
    }
    const frame = encodeFrame(bytes);
    const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    const outcomes = targets.map((peer) => {
      const answer = new Promise<Answer | undefined>((resolve) => {
        if (ackTimeoutMs <= 0) return resolve(undefined);
        const timer = setTimeout(() => resolve(undefined), ackTimeoutMs);
        timer.unref();
        peer.waiters.push({
          ivorn,
          resolve: (outcome) => {
            clearTimeout(timer);
            resolve(outcome);
          },
        });
      });
      peer.outstandingAcks++;
      peer.eventsSent++;
      peer.socket.write(frame);
      if (peer.socket.writableLength > this.maxQueuedBytes) {
        this.drop(peer, 'Peer is not reading; dropping connection');
      }
      return answer.then((outcome) => ({ peer: peer.name, outcome }));
    });
    const settled = await Promise.all(outcomes);
    const result: BroadcastResult = {
      ivorn,
      sentTo: targets.map((p) => p.name),
      acked: [],
      nakked: [],
      unanswered: [],
    };
    for (const { peer, outcome } of settled) {
      if (!outcome) result.unanswered.push(peer);
      else if (outcome.ack) result.acked.push(peer);
      else result.nakked.push({ peer, reason: outcome.reason });
    }
    log.info(result, 'VOEvent broadcast');
    return result;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const peer of this.peers) this.drop(peer, 'broadcaster shutting down', 'info');
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (!this.whitelist?.allows(socket.remoteAddress)) {
      log.warn(
        { address: socket.remoteAddress },
        `Attempted subscription from non-whitelisted ${socket.remoteAddress}`,
      );
      this.emit('refused', socket.remoteAddress);
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    const peer = new Peer(socket, this.maxFrameBytes);
    this.peers.add(peer);
    socket.on('data', (chunk) => this.receive(peer, chunk));
    socket.on('error', (err) =>
      log.warn({ peer: peer.name, err: err.message }, 'subscriber socket error'),
    );
    socket.on('close', () => this.forget(peer, 'connection closed'));
    socket.write(
      encodeFrame(transportMessage({ role: 'authenticate', origin: this.options.localIvo })),
    );
    log.info({ peer: peer.name }, 'subscriber connected');
    this.emit('peer-connected', peer.info());
  }

  private receive(peer: Peer, chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = peer.decoder.push(chunk);
    } catch (err) {
      this.drop(peer, (err as Error).message);
      return;
    }
    peer.lastHeardAt = new Date();
    for (const frame of frames) {
      let message: ReturnType<typeof parseFrame>;
      try {
        message = parseFrame(frame, `subscriber ${peer.name}`);
      } catch (err) {
        log.warn(
          { peer: peer.name, err: (err as Error).message },
          'unreadable frame from subscriber',
        );
        continue;
      }
      if (message.kind !== 'transport') {
        log.warn({ peer: peer.name, ivorn: message.ivorn }, 'subscriber sent an event; ignored');
        continue;
      }
      switch (message.role) {
        case 'iamalive':
          peer.awaitingIamalive = false;
          break;
        case 'ack':
          peer.acks++;
          peer.outstandingAcks = Math.max(0, peer.outstandingAcks - 1);
          this.settle(peer, message.origin, { ack: true });
          break;
        case 'nak': {
          peer.outstandingAcks = Math.max(0, peer.outstandingAcks - 1);
          const reason = message.meta.result ?? 'no reason given';
          this.settle(peer, message.origin, { ack: false, reason });
          this.drop(peer, `Nak received from ${peer.name}; terminating (${reason})`);
          break;
        }
        case 'authenticate':
          // XPath filters a subscriber may ask for are not applied: GCN asks for none, and
          // sending everything errs on the side of delivery.
          if (message.meta.params.length) {
            log.info(
              { peer: peer.name, filters: message.meta.params },
              'subscriber filters ignored',
            );
          }
          break;
      }
    }
  }

  private settle(
    peer: Peer,
    ivorn: string,
    outcome: { ack: true } | { ack: false; reason: string },
  ) {
    // Comet counts acks rather than matching them; match by IVORN when we can, else the oldest.
    let index = peer.waiters.findIndex((w) => w.ivorn === ivorn);
    if (index < 0) index = 0;
    const [waiter] = peer.waiters.splice(index, 1);
    waiter?.resolve(outcome);
  }

  private keepAliveRound(): void {
    for (const peer of [...this.peers]) {
      if (peer.awaitingIamalive) {
        this.drop(peer, 'Peer appears to be dead; dropping connection');
        continue;
      }
      if (peer.outstandingAcks >= this.maxOutstandingAcks) {
        this.drop(peer, 'Peer is not acknowledging events; dropping connection');
        continue;
      }
      peer.awaitingIamalive = true;
      peer.socket.write(
        encodeFrame(transportMessage({ role: 'iamalive', origin: this.options.localIvo })),
      );
    }
  }

  private drop(peer: Peer, reason: string, level: 'warn' | 'info' = 'warn'): void {
    if (!this.peers.has(peer)) return;
    log[level]({ peer: peer.name, reason }, 'dropping subscriber');
    peer.socket.destroy();
    this.forget(peer, reason);
  }

  private forget(peer: Peer, reason: string): void {
    if (!this.peers.delete(peer)) return;
    for (const waiter of peer.waiters.splice(0)) waiter.resolve(undefined);
    this.emit('peer-dropped', { peer: peer.name, reason });
  }
}
