import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

/** Files served under /static, read once: htmx from its package, the console's own JS and CSS. */
const FILES: Record<string, { path: string; type: string }> = {
  'htmx.min.js': {
    path: require.resolve('htmx.org/dist/htmx.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'console.js': {
    path: new URL('../static/console.js', import.meta.url).pathname,
    type: 'text/javascript; charset=utf-8',
  },
  'console.css': {
    path: new URL('../static/console.css', import.meta.url).pathname,
    type: 'text/css; charset=utf-8',
  },
};

export function registerStaticRoutes(server: FastifyInstance): void {
  const cache = new Map<string, Buffer>();
  server.get<{ Params: { name: string } }>('/static/:name', async (request, reply) => {
    const file = FILES[request.params.name];
    if (!file) return reply.code(404).type('text/plain').send('not found');
    let body = cache.get(request.params.name);
    if (!body) {
      body = readFileSync(file.path);
      cache.set(request.params.name, body);
    }
    return reply.header('cache-control', 'public, max-age=300').type(file.type).send(body);
  });
}
