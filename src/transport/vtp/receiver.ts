import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { getLogger } from '../../log/index.js';
import { COMET_MAX_FRAME_BYTES, encodeFrame, FrameDecoder } from './framing.js';
import { parseFrame, transportMessage, type VoeventFrame } from './messages.js';

const log = getLogger('vtp.receiver');

export interface ReceiverOptions {
  host: string;
  port: number;
  localIvo: string;
  /** Called for every VOEvent received, after it has been acknowledged. */
  onEvent: (event: VoeventFrame) => void | Promise<void>;
  /** Reconnect when nothing at all has been heard for this long. */
  silenceMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  maxFrameBytes?: number;
}

export interface ReceiverPeer {
  peer: string;
  connectedAt: string;
  lastHeardAt: string;
  events: number;
}

/**
 * The VTP subscriber side: connects to a broker (GCN's VOEvent server), answers keep-alives,
 * acknowledges every event (never naks: a nak makes the broker drop us), hands each event to
 * `onEvent`, and reconnects with a doubling back-off when the connection closes or goes silent.
 *
 * Events: 'connected' (peer), 'disconnected' ({peer, reason}).
 */
export class VtpReceiver extends EventEmitter {
  private socket?: Socket;
  private current?: ReceiverPeer;
  private silenceTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private backoffMs: number;
  private stopped = true;
  private readonly silenceMs: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: ReceiverOptions) {
    super();
    this.silenceMs = options.silenceMs ?? 150_000;
    this.minBackoffMs = options.minBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 1_024_000;
    this.backoffMs = this.minBackoffMs;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** The server we are connected to (empty when not connected), for inspect and Nagios. */
  peerList(): ReceiverPeer[] {
    return this.current ? [{ ...this.current }] : [];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const { host, port } = this.options;
    const name = `${host}:${port}`;
    const socket = connect({ host, port });
    this.socket = socket;
    const decoder = new FrameDecoder(this.options.maxFrameBytes ?? COMET_MAX_FRAME_BYTES);
    let reason = 'connection closed';
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.current = {
        peer: name,
        connectedAt: new Date().toISOString(),
        lastHeardAt: new Date().toISOString(),
        events: 0,
      };
      log.info({ peer: name }, 'connected to VOEvent server');
      this.emit('connected', name);
      this.armSilenceTimer(socket);
    });
    socket.on('data', (chunk) => {
      if (this.current) this.current.lastHeardAt = new Date().toISOString();
      this.armSilenceTimer(socket);
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        reason = (err as Error).message;
        socket.destroy();
        return;
      }
      for (const frame of frames) this.handle(socket, frame, name);
    });
    socket.on('error', (err) => {
      reason = err.message;
    });
    socket.on('close', () => {
      clearTimeout(this.silenceTimer);
      const wasConnected = this.current !== undefined;
      this.current = undefined;
      if (this.socket === socket) this.socket = undefined;
      if (wasConnected) {
        log.warn({ peer: name, reason }, 'disconnected from VOEvent server');
        this.emit('disconnected', { peer: name, reason });
      }
      if (this.stopped) return;
      const delay = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
      log.info({ peer: name, delayMs: delay, reason }, 'reconnecting to VOEvent server');
      this.retryTimer = setTimeout(() => this.connect(), delay);
      this.retryTimer.unref();
    });
  }

  private armSilenceTimer(socket: Socket): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => {
      log.warn(
        { silenceMs: this.silenceMs },
        `No iamalive received for ${this.silenceMs / 1000} seconds; disconnecting`,
      );
      socket.destroy();
    }, this.silenceMs);
    this.silenceTimer.unref();
  }

  private handle(socket: Socket, frame: Buffer, name: string): void {
    let message: ReturnType<typeof parseFrame>;
    try {
      message = parseFrame(frame, `VOEvent server ${name}`);
    } catch (err) {
      log.warn({ peer: name, err: (err as Error).message }, 'unreadable frame from VOEvent server');
      return;
    }
    const { localIvo } = this.options;
    if (message.kind === 'voevent') {
      // A connection that delivers events is healthy: start the next back-off from scratch.
      this.backoffMs = this.minBackoffMs;
      if (this.current) this.current.events++;
      socket.write(
        encodeFrame(
          transportMessage({
            role: 'ack',
            origin: message.ivorn,
            response: localIvo,
            result: 'Message received.',
          }),
        ),
      );
      Promise.resolve()
        .then(() => this.options.onEvent(message))
        .catch((err) => log.error({ err, ivorn: message.ivorn }, 'VOEvent handler failed'));
      return;
    }
    switch (message.role) {
      case 'iamalive':
        this.backoffMs = this.minBackoffMs;
        socket.write(
          encodeFrame(
            transportMessage({ role: 'iamalive', origin: message.origin, response: localIvo }),
          ),
        );
        break;
      case 'authenticate':
        socket.write(
          encodeFrame(
            transportMessage({
              role: 'authenticate',
              origin: message.origin,
              response: localIvo,
              meta: true,
            }),
          ),
        );
        break;
      default:
        log.warn(
          { peer: name, role: message.role },
          'unexpected transport message from VOEvent server',
        );
    }
  }
}
