/**
 * WS/catalog.sqlite: the catalogue and everything the user decides (labels,
 * rounds, vetting). WAL + synchronous=FULL: a transaction that returned is on
 * disk. Several processes may open it; SQLite's write lock serialises writers.
 */
import Database from 'better-sqlite3';
import { AppError } from '@app/core/errors';

export type Db = Database.Database;

export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS objects (
  idx INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ra REAL NOT NULL, dec REAL NOT NULL,
  source TEXT NOT NULL, truth TEXT, extra TEXT
);
CREATE TABLE IF NOT EXISTS columns (name TEXT PRIMARY KEY, kind TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS searches (name TEXT PRIMARY KEY, description TEXT NOT NULL, created TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS labels (
  search TEXT NOT NULL REFERENCES searches(name) ON DELETE CASCADE, idx INTEGER NOT NULL,
  label INTEGER NOT NULL, source TEXT NOT NULL, updated TEXT NOT NULL, PRIMARY KEY (search, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS label_events (
  seq INTEGER PRIMARY KEY, search TEXT NOT NULL REFERENCES searches(name) ON DELETE CASCADE,
  idx INTEGER NOT NULL, label INTEGER, source TEXT NOT NULL, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS label_events_search ON label_events(search);
CREATE TABLE IF NOT EXISTS rounds (
  search TEXT NOT NULL REFERENCES searches(name) ON DELETE CASCADE, round INTEGER NOT NULL,
  created TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (search, round)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vetting_lists (name TEXT PRIMARY KEY, created TEXT NOT NULL, candidates BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vetting (
  list TEXT NOT NULL REFERENCES vetting_lists(name) ON DELETE CASCADE, idx INTEGER NOT NULL,
  grade INTEGER NOT NULL, type TEXT, features TEXT NOT NULL, note TEXT NOT NULL, updated TEXT NOT NULL,
  PRIMARY KEY (list, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS models (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, name TEXT NOT NULL, created TEXT NOT NULL, meta TEXT) WITHOUT ROWID;
`;

export function openDb(path: string, opts: { create: boolean; readonly: boolean }): Db {
  let db: Db;
  try {
    // LATENT_SKY_SQLITE_BINDING: a better-sqlite3 build for another ABI (Electron's, set by main/cli/start.mjs)
    const nativeBinding = process.env.LATENT_SKY_SQLITE_BINDING || undefined;
    db = new Database(path, { readonly: opts.readonly, fileMustExist: !opts.create, nativeBinding });
    db.pragma('busy_timeout = 10000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (opts.create) {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    const v = db.pragma('user_version', { simple: true }) as number;
    if (v !== SCHEMA_VERSION) {
      db.close();
      throw new AppError('WORKSPACE_INVALID', `${path}: catalogue schema version ${v}, expected ${SCHEMA_VERSION}`);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('WORKSPACE_INVALID', `${path}: cannot open the catalogue (${(e as Error).message})`);
  }
  return db;
}

/** Run fn in a BEGIN IMMEDIATE transaction: holds the write lock (across processes) for its duration. */
export function immediate<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

export const nowIso = (): string => new Date().toISOString();
