import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request instead of forwarding it. */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'reset' }
  | { kind: 'stall' };

export interface SeenRequest {
  method: string;
  url: string;
  at: number;
  fault?: Fault['kind'];
}

/**
 * A real HTTP proxy in front of the GraceDB service that answers the next requests with
 * injected faults (503/429 storms, connection resets, stalls) and forwards the rest, so that
 * the client's retry behaviour is tested over real sockets.
 */
export class FaultProxy {
  readonly seen: SeenRequest[] = [];
  readonly #faults: Fault[] = [];
  readonly #server: http.Server;
  readonly #stalled = new Set<http.ServerResponse>();
  #target = '';

  private constructor() {
    this.#server = http.createServer((req, res) => this.#handle(req, res));
  }

  static async start(): Promise<FaultProxy> {
    const proxy = new FaultProxy();
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `http://127.0.0.1:<port>/api/` — give it to the service as its public URL. */
  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/api/`;
  }

  /** Where requests are forwarded (the service's own address, `http://host:port`). */
  setTarget(apiUrl: string): void {
    this.#target = new URL(apiUrl).origin;
  }

  /** Queues faults for the next requests, in order. */
  inject(...faults: Fault[]): void {
    this.#faults.push(...faults);
  }

  pending(): number {
    return this.#faults.length;
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const fault = this.#faults.shift();
    this.seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      at: Date.now(),
      fault: fault?.kind,
    });
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'stall') {
      // Never answer; the client's timeout must fire. Released when the proxy closes.
      this.#stalled.add(res);
      req.resume();
      return;
    }
    if (fault?.kind === 'status') {
      req.resume();
      req.on('end', () => {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter;
        res.writeHead(fault.status, headers);
        res.end(fault.body ?? JSON.stringify({ detail: `injected ${fault.status}` }));
      });
      return;
    }
    const upstream = http.request(
      `${this.#target}${req.url}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  async close(): Promise<void> {
    for (const res of this.#stalled) res.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
