import { hostname } from 'node:os';

/** This node's IVO identifier in transport messages, as the reference forms it. */
export function localIvo(configured = ''): string {
  return configured || `ivo://${hostname()}/gwcelery`;
}
