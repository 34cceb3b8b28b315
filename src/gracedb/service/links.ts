/**
 * Absolute URLs as GraceDB writes them into JSON and notifications. They are built from the
 * service's public API URL, never from a request: notifications have no request, and clients
 * (gwcelery's alert dispatcher) drop messages whose links point at another server.
 */
export class Links {
  /** The API root, ending in `/api/`. */
  readonly api: string;
  /** The web root (the API root without `api/`), for HTML pages. */
  readonly web: string;

  constructor(apiUrl: string) {
    this.api = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
    this.web = this.api.replace(/api\/$/, '');
  }

  event(graceid: string): string {
    return `${this.api}events/${graceid}`;
  }

  superevent(sid: string): string {
    return `${this.api}superevents/${sid}/`;
  }

  /** A file of an event or superevent; the comma of `name,N` stays unescaped, like GraceDB's. */
  file(parentUrl: string, name: string, version?: number): string {
    const base = parentUrl.endsWith('/') ? parentUrl : `${parentUrl}/`;
    const encoded = encodeURIComponent(name);
    return `${base}files/${encoded}${version === undefined ? '' : `,${version}`}`;
  }

  eventView(graceid: string): string {
    return `${this.web}events/${graceid}/view/`;
  }

  supereventView(sid: string): string {
    return `${this.web}superevents/${sid}/view/`;
  }
}
