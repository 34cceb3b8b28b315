import { chmodSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import type { StopRecord, SupervisorReport } from './supervisor.js';

/** What a command asks the supervisor, one JSON line per connection. */
export type ControlRequest =
  | { op: 'status' }
  | { op: 'restart' | 'hold' | 'release'; names: string[] }
  | { op: 'down' };

export type ControlResponse =
  | { ok: true; report: SupervisorReport; stopped?: StopRecord[] }
  | { ok: false; error: string };

/** No supervisor answers on the socket (none runs, or it is gone). */
export class NotRunningError extends Error {
  override name = 'NotRunningError';
}

/** Serves requests on a Unix socket; a failing handler becomes an `ok: false` answer. */
export function serveControl(
  socketPath: string,
  handle: (request: ControlRequest) => Promise<ControlResponse>,
): Promise<Server> {
  const server = createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined); // a client that went away: nothing to answer
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      const line = buffer.slice(0, end);
      buffer = '';
      let request: ControlRequest;
      try {
        request = JSON.parse(line) as ControlRequest;
      } catch {
        socket.end(`${JSON.stringify({ ok: false, error: 'request is not JSON' })}\n`);
        return;
      }
      handle(request).then(
        (response) => socket.end(`${JSON.stringify(response)}\n`),
        (err: unknown) =>
          socket.end(`${JSON.stringify({ ok: false, error: (err as Error).message })}\n`),
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      // Only the deployment account may stop or restart its processes.
      chmodSync(socketPath, 0o600);
      resolve(server);
    });
  });
}

/** Sends one request and waits for the answer (`down` answers once everything has stopped). */
export function requestControl(
  socketPath: string,
  request: ControlRequest,
  timeoutMs: number,
): Promise<ControlResponse> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`the supervisor did not answer '${request.op}' within ${timeoutMs / 1000} s`),
      );
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
    });
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buffer) as ControlResponse);
      } catch {
        reject(
          new Error(`the supervisor answered '${request.op}' with something that is not JSON`),
        );
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        err.code === 'ENOENT' || err.code === 'ECONNREFUSED'
          ? new NotRunningError(`no supervisor answers on ${socketPath}`)
          : err,
      );
    });
  });
}
