import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../../log/index.js';
import { ApiError } from '../api-error.js';
import { RequestFields } from '../request-fields.js';
import type { Viewer } from '../serialize.js';
import type { GraceDbStore } from '../store.js';

/** What the route handlers share. */
export interface RouteContext {
  store: GraceDbStore;
  log: Logger;
  /** Waits until the notifications of the writes so far are on the bus (bounded). */
  settle(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer;
  }
}

/** The authenticated user of a write; the auth hook has already refused anonymous writes. */
export function userOf(request: FastifyRequest): string {
  if (!request.viewer.user)
    throw new ApiError(401, { detail: 'Authentication credentials were not provided.' });
  return request.viewer.user;
}

/** Raw multipart bodies are kept until a handler asks for the fields. */
export interface MultipartBody {
  multipart: Buffer;
  contentType: string;
}

function isMultipart(body: unknown): body is MultipartBody {
  return (
    typeof body === 'object' && body !== null && Buffer.isBuffer((body as MultipartBody).multipart)
  );
}

/** The request's fields, whatever the encoding (JSON, form, multipart). */
export async function fieldsOf(request: FastifyRequest): Promise<RequestFields> {
  const body = request.body;
  if (body === undefined || body === null || Buffer.isBuffer(body)) return RequestFields.empty();
  if (isMultipart(body)) {
    let form: FormData;
    try {
      form = await new Response(body.multipart, {
        headers: { 'content-type': body.contentType },
      }).formData();
    } catch (err) {
      throw new ApiError(400, { detail: `Multipart form parse error - ${(err as Error).message}` });
    }
    return RequestFields.fromFormData(form);
  }
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return RequestFields.fromForm(body as Record<string, string | string[]>);
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, { detail: 'JSON parse error - expected an object' });
  }
  return RequestFields.fromJson(body as Record<string, unknown>);
}

/** Sends JSON exactly as given (a bare string becomes `"..."`, compact, no added spaces). */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json').send(JSON.stringify(body));
}
