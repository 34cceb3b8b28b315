import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Bumped with every change to SCHEMA; a database written by another version is refused. */
const SCHEMA_VERSION = 1;

/**
 * Events and superevents share the annotation tables (labels, logs, files, VOEvents), told
 * apart by parent_kind ('event' | 'superevent') and the parent's row id.
 */
const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  graceid TEXT UNIQUE,
  submitter TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  grp TEXT NOT NULL,
  pipeline TEXT NOT NULL,
  search TEXT,
  gpstime REAL,
  instruments TEXT NOT NULL DEFAULT '',
  nevents INTEGER,
  offline INTEGER NOT NULL DEFAULT 0,
  far REAL,
  likelihood REAL,
  attributes TEXT NOT NULL DEFAULT '{}',
  superevent INTEGER REFERENCES superevents(id)
);
CREATE INDEX events_gpstime ON events(gpstime);
CREATE INDEX events_superevent ON events(superevent);
CREATE INDEX events_created ON events(created_ms);

CREATE TABLE superevents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  category TEXT NOT NULL CHECK (category IN ('P', 'T', 'M')),
  date TEXT NOT NULL,
  number INTEGER NOT NULL,
  superevent_id TEXT NOT NULL UNIQUE,
  gw_number INTEGER,
  gw_id TEXT UNIQUE,
  created_ms INTEGER NOT NULL,
  submitter TEXT NOT NULL,
  preferred_event INTEGER NOT NULL REFERENCES events(id),
  em_type TEXT,
  t_start REAL NOT NULL,
  t_0 REAL NOT NULL,
  t_end REAL NOT NULL,
  time_coinc_far REAL,
  space_coinc_far REAL,
  exposed INTEGER NOT NULL DEFAULT 0,
  UNIQUE (category, date, number)
);
CREATE INDEX superevents_t_0 ON superevents(t_0);

CREATE TABLE pipeline_preferred (
  superevent INTEGER NOT NULL REFERENCES superevents(id),
  pipeline TEXT NOT NULL,
  event INTEGER NOT NULL REFERENCES events(id),
  PRIMARY KEY (superevent, pipeline)
);

CREATE TABLE labels (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_kind TEXT NOT NULL,
  parent_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  creator TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  UNIQUE (parent_kind, parent_id, name)
);

CREATE TABLE logs (
  parent_kind TEXT NOT NULL,
  parent_id INTEGER NOT NULL,
  n INTEGER NOT NULL,
  comment TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  issuer TEXT NOT NULL,
  filename TEXT NOT NULL DEFAULT '',
  file_version INTEGER,
  PRIMARY KEY (parent_kind, parent_id, n)
);

CREATE TABLE log_tags (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_kind TEXT NOT NULL,
  parent_id INTEGER NOT NULL,
  n INTEGER NOT NULL,
  tag TEXT NOT NULL,
  UNIQUE (parent_kind, parent_id, n, tag)
);

CREATE TABLE tags (name TEXT PRIMARY KEY, display_name TEXT);

CREATE TABLE files (
  parent_kind TEXT NOT NULL,
  parent_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  blob TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (parent_kind, parent_id, name, version)
);

CREATE TABLE voevents (
  parent_kind TEXT NOT NULL,
  parent_id INTEGER NOT NULL,
  n INTEGER NOT NULL,
  voevent_type TEXT NOT NULL,
  ivorn TEXT NOT NULL,
  filename TEXT NOT NULL,
  file_version INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  issuer TEXT NOT NULL,
  fields TEXT NOT NULL,
  PRIMARY KEY (parent_kind, parent_id, n)
);

CREATE TABLE signoffs (
  superevent INTEGER NOT NULL REFERENCES superevents(id),
  signoff_type TEXT NOT NULL,
  instrument TEXT NOT NULL,
  status TEXT NOT NULL,
  submitter TEXT NOT NULL,
  comment TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (superevent, instrument)
);

CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  key TEXT NOT NULL,
  payload TEXT NOT NULL
);
`;

/**
 * Opens (creating when new) the service's SQLite database in `dir`. WAL lets readers run
 * while a write commits; every write is one IMMEDIATE transaction, so writers never interleave.
 */
export function openDatabase(dir: string): Db {
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, 'gracedb.sqlite3'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const hasMeta = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
    .get();
  if (!hasMeta) {
    db.transaction(() => {
      db.exec(SCHEMA);
      db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(
        String(SCHEMA_VERSION),
      );
    }).immediate();
  } else {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
      | { value: string }
      | undefined;
    if (Number(row?.value) !== SCHEMA_VERSION) {
      db.close();
      throw new Error(
        `GraceDB database ${join(dir, 'gracedb.sqlite3')} has schema version ${row?.value ?? 'unknown'}, this service needs ${SCHEMA_VERSION}`,
      );
    }
  }
  return db;
}

/** Runs `fn` in one IMMEDIATE transaction: all of it commits, or nothing does. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
