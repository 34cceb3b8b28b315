import type { Config } from '../config/index.js';
import { getLogger } from '../log/index.js';
import { GraceDbError } from './errors.js';
import { isEventId } from './ids.js';
import { type FormValue, formBody, jsonBody, multipartBody } from './multipart.js';
import {
  type HttpResponse,
  HttpTransport,
  type OperationLabel,
  type RequestSpec,
  responseJson,
  responseText,
  type TransportOptions,
} from './transport.js';
import { formatVersionedFilename, parseVersionedFilename } from './versioned-filename.js';

/** Event JSON (§3.1); the client passes it through without narrowing it. */
export type EventJson = Record<string, unknown> & {
  graceid: string;
  group: string;
  pipeline: string;
  search: string | null;
  gpstime: number | null;
  far: number | null;
  labels: string[];
  superevent: string | null;
};

/** Superevent JSON (§3.2). */
export type SupereventJson = Record<string, unknown> & {
  superevent_id: string;
  category: string;
  preferred_event: string;
  t_start: number;
  t_0: number;
  t_end: number;
  gw_events: string[];
  labels: string[];
};

/** Log entry JSON (§3.4). */
export interface LogEntry {
  N: number;
  comment: string;
  filename: string;
  file_version: number | null;
  tag_names: string[];
  [key: string]: unknown;
}

export interface SupereventUpdate {
  t_start?: number | null;
  t_end?: number | null;
  t_0?: number | null;
  preferred_event?: string | null;
  em_type?: string | null;
  time_coinc_far?: number | null;
  space_coinc_far?: number | null;
}

export interface GraceDbClientOptions extends TransportOptions {
  /** Make exposeSuperevent do something (gwcelery's expose_to_public). */
  exposeToPublic?: boolean;
}

const VOEVENT_TYPES: Record<string, string> = {
  preliminary: 'PR',
  initial: 'IN',
  update: 'UP',
  retraction: 'RE',
  earlywarning: 'EW',
};

/** Bodies gwcelery treats as success (gracedb-api.md §7.1); compared exactly, as it does. */
const ADVREQ_AFTER_SIGNOFF =
  "The 'ADVREQ' label cannot be applied to request a signoff because a related signoff already exists.";
const LABEL_ALREADY_APPLIED = 'The fields superevent, name must make a unique set.';
const NOT_MODIFIED = 'Request would not modify the superevent';
const TAG_ALREADY_APPLIED = 'Tag is already applied to this log message';
const ALREADY_ASSIGNED = 'is already assigned to a Superevent';
const SIGNOFF_EXISTS = 'The fields superevent, instrument must make a unique set';
/** Not one of gwcelery's rules: a repeated (retried) pipeline-preferred addition is done. */
const ALREADY_PIPELINE_PREFERRED = 'pipeline-preferred event for';

const is400WithBody = (body: string) => (r: HttpResponse) =>
  r.status === 400 && responseJson(r) === body;
const is400Containing = (text: string) => (r: HttpResponse) =>
  r.status === 400 && responseText(r).includes(text);

/** The API URL of `gracedb_host`: a bare host becomes `https://<host>/api/`. */
export function gracedbUrl(host: string): string {
  if (/^https?:\/\//.test(host)) return host.endsWith('/') ? host : `${host}/`;
  return `https://${host}/api/`;
}

/**
 * The pipeline's GraceDB client: every operation gwcelery performs (gwcelery-spec §1.4) over the
 * real routes, with its retry policy and idempotency rules. Ids containing an event id go to
 * the event resources, everything else to the superevent resources.
 */
export class GraceDbClient {
  readonly url: string;
  readonly #http: HttpTransport;
  readonly #exposeToPublic: boolean;
  readonly #log = getLogger('gracedb.client');

  constructor(options: GraceDbClientOptions) {
    this.#http = new HttpTransport(options);
    this.url = this.#http.url;
    this.#exposeToPublic = options.exposeToPublic ?? false;
  }

  static fromConfig(config: Config): GraceDbClient {
    return new GraceDbClient({
      url: gracedbUrl(config.gracedb_host),
      token: config.gracedb_token || undefined,
      tokenFile: config.gracedb_token_file || undefined,
      cert: config.gracedb_tls_cert || undefined,
      key: config.gracedb_tls_key || undefined,
      ca: config.gracedb_tls_ca || undefined,
      timeoutMs: config.gracedb_timeout_s * 1000,
      retry: {
        baseMs: config.gracedb_retry_base_s * 1000,
        max: config.gracedb_retry_max,
        maxDelayMs: config.gracedb_retry_max_delay_s * 1000,
        jitter: config.gracedb_retry_jitter,
      },
      maxConnections: config.gracedb_max_connections,
      exposeToPublic: config.expose_to_public,
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.#http.close();
  }

  async #request(label: OperationLabel, spec: RequestSpec): Promise<HttpResponse> {
    return this.#http.request(label, spec);
  }

  async #json<T>(label: OperationLabel, spec: RequestSpec): Promise<T> {
    const response = await this.#request(label, spec);
    const body = responseJson(response);
    if (body === undefined) {
      throw new GraceDbError(
        label.operation,
        label.subject,
        `answer is not JSON: ${responseText(response).slice(0, 200)}`,
        response.status,
      );
    }
    return body as T;
  }

  /** `events/{gid}` or `superevents/{sid}/`, plus a sub-resource named per kind. */
  static #base(id: string): string {
    const encoded = encodeURIComponent(id);
    return isEventId(id) ? `events/${encoded}` : `superevents/${encoded}`;
  }

  // Events

  /** Uploads a new event (the file is named `initial.data`, as gwcelery does). */
  async createEvent(
    filecontents: Uint8Array | string,
    search: string | null,
    pipeline: string,
    group: string,
    labels: Iterable<string> = [],
    options: { offline?: boolean; filename?: string } = {},
  ): Promise<EventJson> {
    const body = multipartBody(
      {
        group,
        pipeline,
        search: search ?? undefined,
        labels: [...labels],
        offline: options.offline === undefined ? undefined : options.offline ? 'True' : 'False',
      },
      [
        {
          field: 'eventFile',
          filename: options.filename ?? 'initial.data',
          data: toBytes(filecontents),
        },
      ],
    );
    return this.#json(
      { operation: 'create_event', subject: `${group}/${pipeline}/${search ?? '-'}` },
      { method: 'POST', path: 'events/', body },
    );
  }

  /** Replaces an event's file (external events updated by a newer notice). */
  async replaceEvent(graceid: string, payload: Uint8Array | string): Promise<void> {
    const body = multipartBody({}, [
      { field: 'eventFile', filename: 'initial.data', data: toBytes(payload) },
    ]);
    await this.#request(
      { operation: 'replace_event', subject: graceid },
      { method: 'PUT', path: `events/${encodeURIComponent(graceid)}`, body },
    );
  }

  async getEvent(graceid: string): Promise<EventJson> {
    if (!isEventId(graceid)) throw new GraceDbError('get_event', graceid, 'not an event id');
    return this.#json(
      { operation: 'get_event', subject: graceid },
      { method: 'GET', path: `events/${encodeURIComponent(graceid)}` },
    );
  }

  async getGroup(graceid: string): Promise<string> {
    return (await this.getEvent(graceid)).group;
  }

  async getSearch(graceid: string): Promise<string | null> {
    return (await this.getEvent(graceid)).search;
  }

  /** Every event matching a query, following `links.next` page by page. */
  async getEvents(
    query: string,
    options: { count?: number; sort?: string } = {},
  ): Promise<EventJson[]> {
    return this.#search<EventJson>('get_events', 'events/', 'events', query, options);
  }

  async getSuperevents(
    query: string,
    options: { count?: number; sort?: string } = {},
  ): Promise<SupereventJson[]> {
    return this.#search<SupereventJson>(
      'get_superevents',
      'superevents/',
      'superevents',
      query,
      options,
    );
  }

  async #search<T>(
    operation: string,
    path: string,
    key: string,
    query: string,
    options: { count?: number; sort?: string },
  ): Promise<T[]> {
    const params = new URLSearchParams({ query });
    if (options.count !== undefined) params.set('count', String(options.count));
    if (options.sort !== undefined) params.set('sort', options.sort);
    const label = { operation, subject: `'${query}'` };
    const out: T[] = [];
    let next: string | null | undefined = `${path}?${params}`;
    const seen = new Set<string>();
    while (next) {
      if (seen.has(next))
        throw new GraceDbError(operation, label.subject, `pagination loops at ${next}`);
      seen.add(next);
      const page: Record<string, unknown> = await this.#json(label, { method: 'GET', path: next });
      const items = page[key];
      if (!Array.isArray(items))
        throw new GraceDbError(operation, label.subject, `answer has no '${key}' list`);
      out.push(...(items as T[]));
      next = (page.links as Record<string, string | null> | undefined)?.next;
    }
    return out;
  }

  /** Labels as GraceDB lists them (name, created, creator), for the listener's reconciliation. */
  async listLabels(id: string): Promise<Record<string, unknown>[]> {
    const body: { labels: Record<string, unknown>[] } = await this.#json(
      { operation: 'get_labels', subject: id },
      { method: 'GET', path: `${GraceDbClient.#base(id)}/labels/` },
    );
    return body.labels;
  }

  async getLabels(id: string): Promise<Set<string>> {
    const body: { labels: { name: string }[] } = await this.#json(
      { operation: 'get_labels', subject: id },
      { method: 'GET', path: `${GraceDbClient.#base(id)}/labels/` },
    );
    return new Set(body.labels.map((l) => l.name));
  }

  async getLog(id: string): Promise<LogEntry[]> {
    const path = `${GraceDbClient.#base(id)}/${isEventId(id) ? 'log' : 'logs'}/`;
    const body: { log: LogEntry[] } = await this.#json(
      { operation: 'get_log', subject: id },
      { method: 'GET', path },
    );
    return body.log;
  }

  // Superevents

  async getSuperevent(sid: string): Promise<SupereventJson> {
    return this.#json(
      { operation: 'get_superevent', subject: sid },
      { method: 'GET', path: `superevents/${encodeURIComponent(sid)}/` },
    );
  }

  /**
   * Creates a superevent with `graceid` preferred; returns its id, or undefined when the event
   * already belongs to one (a retried creation that did go through).
   */
  async createSuperevent(
    graceid: string,
    t0: number,
    tStart: number,
    tEnd: number,
  ): Promise<string | undefined> {
    const category = graceid.startsWith('T') ? 'T' : graceid.startsWith('M') ? 'M' : 'P';
    const response = await this.#request(
      { operation: 'create_superevent', subject: `for ${graceid}` },
      {
        method: 'POST',
        path: 'superevents/',
        body: jsonBody({
          t_start: tStart,
          t_0: t0,
          t_end: tEnd,
          preferred_event: graceid,
          category,
        }),
        accept: is400Containing(ALREADY_ASSIGNED),
      },
    );
    if (response.status === 400) return undefined;
    return (responseJson(response) as { superevent_id: string }).superevent_id;
  }

  /** Sets what is given (null/undefined fields are left alone); "nothing to change" is success. */
  async updateSuperevent(sid: string, update: SupereventUpdate): Promise<void> {
    const body = Object.fromEntries(
      Object.entries(update).filter(([, v]) => v !== undefined && v !== null),
    );
    await this.#request(
      { operation: 'update_superevent', subject: sid },
      {
        method: 'PATCH',
        path: `superevents/${encodeURIComponent(sid)}/`,
        body: jsonBody(body),
        accept: is400WithBody(NOT_MODIFIED),
      },
    );
  }

  async addEventToSuperevent(sid: string, graceid: string): Promise<void> {
    await this.#request(
      { operation: 'add_event_to_superevent', subject: `${graceid} to ${sid}` },
      {
        method: 'POST',
        path: `superevents/${encodeURIComponent(sid)}/events/`,
        body: formBody({ event: graceid }),
        accept: is400Containing(ALREADY_ASSIGNED),
      },
    );
  }

  async addPipelinePreferredEvent(sid: string, graceid: string): Promise<void> {
    await this.#request(
      { operation: 'add_pipeline_preferred_event', subject: `${graceid} to ${sid}` },
      {
        method: 'POST',
        path: `superevents/${encodeURIComponent(sid)}/pipeline_preferred_events/`,
        body: jsonBody({ event: graceid }),
        accept: is400Containing(ALREADY_PIPELINE_PREFERRED),
      },
    );
  }

  async removePipelinePreferredEvent(sid: string, graceid: string): Promise<void> {
    await this.#request(
      { operation: 'remove_pipeline_preferred_event', subject: `${graceid} from ${sid}` },
      {
        method: 'DELETE',
        path: `superevents/${encodeURIComponent(sid)}/pipeline_preferred_events/${encodeURIComponent(graceid)}/`,
      },
    );
  }

  // Labels, signoffs

  /** Applies a label; already applied (or ADVREQ after a signoff) counts as done. */
  async createLabel(label: string, id: string): Promise<void> {
    const subject = `${label} on ${id}`;
    if (isEventId(id)) {
      await this.#request(
        { operation: 'create_label', subject },
        {
          method: 'PUT',
          path: `events/${encodeURIComponent(id)}/labels/${encodeURIComponent(label)}`,
        },
      );
      return;
    }
    await this.#request(
      { operation: 'create_label', subject },
      {
        method: 'POST',
        path: `superevents/${encodeURIComponent(id)}/labels/`,
        body: formBody({ name: label }),
        accept: (r) =>
          is400WithBody(ADVREQ_AFTER_SIGNOFF)(r) || is400WithBody(LABEL_ALREADY_APPLIED)(r),
      },
    );
  }

  /** Removes a label; a label that is not there counts as removed. */
  async removeLabel(label: string, id: string): Promise<void> {
    const path = isEventId(id)
      ? `events/${encodeURIComponent(id)}/labels/${encodeURIComponent(label)}`
      : `superevents/${encodeURIComponent(id)}/labels/${encodeURIComponent(label)}/`;
    await this.#request(
      { operation: 'remove_label', subject: `${label} from ${id}` },
      { method: 'DELETE', path, accept: (r) => r.status === 404 },
    );
  }

  /** An advocate (`ADV`) or operator (`H1`, `L1`, `V1`) signoff; a repeat counts as done. */
  async createSignoff(
    status: 'OK' | 'NO',
    comment: string,
    signoffType: string,
    sid: string,
  ): Promise<void> {
    const operator = ['H1', 'L1', 'V1'].includes(signoffType);
    await this.#request(
      { operation: 'create_signoff', subject: `${signoffType} ${status} on ${sid}` },
      {
        method: 'POST',
        path: `superevents/${encodeURIComponent(sid)}/signoffs/`,
        body: formBody({
          signoff_type: operator ? 'OP' : signoffType,
          instrument: operator ? signoffType : '',
          status,
          comment,
        }),
        accept: is400Containing(SIGNOFF_EXISTS),
      },
    );
  }

  // Logs and files

  /**
   * Writes a log message, with a file when `filecontents` is given; returns the stored file as
   * `"<filename>,<version>"` (null without a file).
   */
  async upload(
    filecontents: Uint8Array | string | null,
    filename: string | null,
    id: string,
    message: string,
    tags: Iterable<string> = [],
  ): Promise<string | null> {
    const tagList = [...tags];
    const path = `${GraceDbClient.#base(id)}/${isEventId(id) ? 'log' : 'logs'}/`;
    const hasFile = filecontents !== null && filecontents !== undefined;
    if (hasFile && !filename)
      throw new GraceDbError('upload', `to ${id}`, 'a file needs a file name');
    const body = hasFile
      ? multipartBody({ comment: message, tagname: tagList }, [
          { field: 'upload', filename: filename!, data: toBytes(filecontents) },
        ])
      : jsonBody({ comment: message, tagname: tagList });
    const entry: LogEntry = await this.#json(
      { operation: 'upload', subject: `${hasFile ? filename : 'message'} to ${id}` },
      { method: 'POST', path, body },
    );
    return hasFile ? formatVersionedFilename(entry.filename, entry.file_version!) : null;
  }

  /** A file's contents; `name` is the newest version, `name,N` an exact one. */
  async download(filename: string, id: string): Promise<Buffer> {
    const response = await this.#request(
      { operation: 'download', subject: `${filename} from ${id}` },
      { method: 'GET', path: `${GraceDbClient.#base(id)}/files/${encodeFilename(filename)}` },
    );
    return response.body;
  }

  /** Tags the newest log entry carrying the file (and version, with `name,N`). */
  async createTag(filename: string, tag: string, id: string): Promise<void> {
    const subject = `${tag} on ${filename} of ${id}`;
    let ref: ReturnType<typeof parseVersionedFilename>;
    try {
      ref = parseVersionedFilename(filename);
    } catch (err) {
      throw new GraceDbError('create_tag', subject, (err as Error).message);
    }
    const log = await this.getLog(id);
    const entry = log.findLast(
      (e) =>
        e.filename === ref.name && (ref.version === undefined || e.file_version === ref.version),
    );
    if (!entry)
      throw new GraceDbError('create_tag', subject, `no log message carries the file ${filename}`);
    if (isEventId(id)) {
      await this.#request(
        { operation: 'create_tag', subject },
        {
          method: 'PUT',
          path: `events/${encodeURIComponent(id)}/log/${entry.N}/tag/${encodeURIComponent(tag)}`,
          // Already tagged: the event API answers 409, which is final (not worth retrying).
          accept: (r) => r.status === 409 && responseText(r).includes('already has tag'),
        },
      );
      return;
    }
    await this.#request(
      { operation: 'create_tag', subject },
      {
        method: 'POST',
        path: `superevents/${encodeURIComponent(id)}/logs/${entry.N}/tags/`,
        body: formBody({ name: tag }),
        accept: is400WithBody(TAG_ALREADY_APPLIED),
      },
    );
  }

  /** `{file name: download URL}` of every stored version (`name,N`) and newest alias (`name`). */
  async getSupereventFileList(id: string): Promise<Record<string, string>> {
    return this.#json(
      { operation: 'get_superevent_file_list', subject: id },
      { method: 'GET', path: `${GraceDbClient.#base(id)}/files/` },
    );
  }

  /**
   * The newest stored version of `name` as `name,N`, or undefined. Versions are compared as
   * numbers: gwcelery's lexicographic max() picks `name,9` over `name,10` (spec §13).
   */
  async getLatestFile(id: string, name: string): Promise<string | undefined> {
    return latestVersion(Object.keys(await this.getSupereventFileList(id)), name);
  }

  // VOEvents and exposure

  /** Asks GraceDB to build a VOEvent; returns its file name (`<sid>-<N>-<Type>.xml`). */
  async createVoevent(
    id: string,
    voeventType: string,
    fields: Record<string, FormValue | null | undefined> = {},
  ): Promise<string> {
    const code = VOEVENT_TYPES[voeventType.toLowerCase()] ?? voeventType;
    const form: Record<string, FormValue | undefined> = { voevent_type: code, CoincComment: false };
    for (const [key, value] of Object.entries(fields))
      if (value !== null && value !== undefined) form[key] = value;
    const path = `${GraceDbClient.#base(id)}/${isEventId(id) ? 'voevent' : 'voevents'}/`;
    const body: { filename: string } = await this.#json(
      { operation: 'create_voevent', subject: `${voeventType} for ${id}` },
      { method: 'POST', path, body: formBody(form) },
    );
    return body.filename;
  }

  /** Makes a superevent public; does nothing unless `expose_to_public` is set. */
  async exposeSuperevent(sid: string): Promise<void> {
    if (!this.#exposeToPublic) {
      this.#log.info({ superevent: sid }, 'expose_to_public is off: not exposing');
      return;
    }
    await this.#request(
      { operation: 'expose', subject: sid },
      {
        method: 'POST',
        path: `superevents/${encodeURIComponent(sid)}/permissions/modify/`,
        body: formBody({ action: 'expose' }),
      },
    );
  }
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data) : data;
}

/** Percent-encodes a file name but keeps the comma of `name,N`, as GraceDB's own URLs do. */
function encodeFilename(filename: string): string {
  return encodeURIComponent(filename).replaceAll('%2C', ',');
}

/** The highest numeric version of `name` among file-list keys, as `name,N`. */
export function latestVersion(keys: Iterable<string>, name: string): string | undefined {
  let best: number | undefined;
  for (const key of keys) {
    let ref: ReturnType<typeof parseVersionedFilename>;
    try {
      ref = parseVersionedFilename(key);
    } catch {
      continue;
    }
    if (
      ref.name === name &&
      ref.version !== undefined &&
      (best === undefined || ref.version > best)
    )
      best = ref.version;
  }
  return best === undefined ? undefined : formatVersionedFilename(name, best);
}
