/**
 * An answer other than success, with the exact status and body the real GraceDB gives. Clients
 * (gwcelery among them) compare some bodies byte for byte, so the body is data, not a message
 * to be reformatted: a JSON value (often a bare string), or plain text for the older event views.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly format: 'json' | 'text' = 'json',
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

/** A validation error of the superevent API: one message is a bare JSON string, several a list. */
export function invalid(...messages: string[]): ApiError {
  return new ApiError(400, messages.length === 1 ? messages[0] : messages);
}

/** The DRF-style 404 of the superevent API. */
export function notFound(): ApiError {
  return new ApiError(404, { detail: 'Not found.' });
}

/** Plain-text errors of the older event views. */
export function textError(status: number, message: string): ApiError {
  return new ApiError(status, message, 'text');
}
