/**
 * Keeps one HNSW index per model in WS/index/<modelKey>.usearch in step with
 * the embeddings: built on first use, extended with the rows embedded since
 * (incremental add), rebuilt from scratch when asked, when the parameters
 * change or when the vectors it was built from changed (the embeddings of
 * that model were recomputed). State lives in kv 'index' keyed by model:
 * which rows are in (a bitmap file next to the index), the parameters, and a
 * fingerprint of the first indexed rows.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '@app/core/errors';
import { hashString } from '@app/core/rng';
import type { EmbeddingView } from '../discovery/embedding-view';
import type { Workspace } from '../workspace';
import { writeFileAtomic } from '../workspace/fsutil';
import { DEFAULT_INDEX_PARAMS, scalarOf, VectorIndex, type IndexMetric, type IndexParams } from './vector-index';

export interface IndexState {
  modelKey: string;
  dim: number;
  params: IndexParams;
  /** the embeddings' metric the index was built for (absent: cosine, the only one before l2) */
  metric?: IndexMetric;
  /** objects in the index */
  size: number;
  /** hash of the first indexed rows: detects recomputed embeddings */
  fingerprint: number;
  builtAt: string;
  updatedAt: string;
}

export interface EnsureIndexOptions {
  rebuild?: boolean;
  params?: Partial<IndexParams>;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface EnsureIndexResult {
  state: IndexState;
  path: string;
  added: number;
  rebuilt: boolean;
  seconds: number;
}

const FINGERPRINT_ROWS = 8;

function fingerprint(view: EmbeddingView, members: Uint8Array): number {
  let h = 2166136261 >>> 0;
  let seen = 0;
  for (let i = 0; i < view.n && seen < FINGERPRINT_ROWS; i++) {
    if (!members[i]) continue;
    seen++;
    const row = view.unit.subarray(i * view.dim, (i + 1) * view.dim);
    h = Math.imul(h ^ hashString(`${i}:${Array.from(row.subarray(0, 16), (v) => v.toFixed(5)).join(',')}`), 16777619) >>> 0;
  }
  return h;
}

function allStates(ws: Workspace): Record<string, IndexState> {
  return ws.kv.get<Record<string, IndexState>>('index') ?? {};
}

export function indexState(ws: Workspace, modelKey: string): IndexState | null {
  return allStates(ws)[modelKey] ?? null;
}

function saveState(ws: Workspace, s: IndexState): void {
  ws.kv.set('index', { ...allStates(ws), [s.modelKey]: s });
}

export const indexPath = (ws: Workspace, modelKey: string) => ws.path('index', `${modelKey}.usearch`);
const membersPath = (ws: Workspace, modelKey: string) => ws.path('index', `${modelKey}.members`);

function readMembers(ws: Workspace, modelKey: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const p = membersPath(ws, modelKey);
  if (existsSync(p)) out.set(readFileSync(p).subarray(0, n));
  return out;
}

const paramsEqual = (a: IndexParams, b: IndexParams) => a.connectivity === b.connectivity && a.expansionAdd === b.expansionAdd && scalarOf(a) === scalarOf(b);

/** a long build saves a checkpoint this often (vectors; LATENT_SKY_INDEX_CHECKPOINT overrides), so a killed build resumes from it */
export const CHECKPOINT_VECTORS = Number(process.env.LATENT_SKY_INDEX_CHECKPOINT) || 200_000;

function countMembers(m: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < m.length; i++) c += m[i];
  return c;
}

function readMembersFile(p: string, n: number): Uint8Array | null {
  if (!existsSync(p)) return null;
  const out = new Uint8Array(n);
  out.set(readFileSync(p).subarray(0, n));
  return out;
}

/**
 * Saves the index and its members bitmap so that a kill at any point leaves a pair that agrees or
 * can be repaired: members go to '.next' first, then the index is renamed into place, then
 * '.next' replaces the members file.
 */
function saveWithMembers(ws: Workspace, modelKey: string, index: VectorIndex, path: string, members: Uint8Array): void {
  const mp = membersPath(ws, modelKey);
  writeFileAtomic(`${mp}.next`, members);
  index.save(path);
  renameSync(`${mp}.next`, mp);
}

/** temporary files of saves that a killed process never renamed (kill -9 mid-save) */
function removeDeadTemps(path: string): void {
  const dir = dirname(path),
    stem = basename(path);
  for (const f of existsSync(dir) ? readdirSync(dir) : []) {
    const m = new RegExp(`^${stem.replace(/[.]/g, '\\.')}\\.tmp-(\\d+)$`).exec(f);
    if (!m) continue;
    let alive = Number(m[1]) === process.pid;
    try {
      if (!alive) {
        process.kill(Number(m[1]), 0);
        alive = true;
      }
    } catch {
      alive = false;
    }
    if (!alive) rmSync(join(dir, f), { force: true });
  }
}

/** Build or extend the index of view.modelKey. */
export async function ensureIndex(ws: Workspace, view: EmbeddingView, opts: EnsureIndexOptions = {}): Promise<EnsureIndexResult> {
  const t0 = performance.now();
  const params: IndexParams = { ...DEFAULT_INDEX_PARAMS, ...(indexState(ws, view.modelKey)?.params ?? {}), ...opts.params };
  const path = indexPath(ws, view.modelKey);
  const prev = indexState(ws, view.modelKey);
  removeDeadTemps(path);
  let members = readMembers(ws, view.modelKey, view.n);
  const stale =
    !prev ||
    !existsSync(path) ||
    prev.dim !== view.dim ||
    !paramsEqual(prev.params, params) ||
    (prev.metric ?? 'cosine') !== view.metric ||
    prev.fingerprint !== fingerprint(view, members);
  let rebuilt = Boolean(opts.rebuild) || stale;
  let index: VectorIndex | null = null;
  if (!rebuilt) {
    // the index file and its members bitmap are saved one after the other: a kill between the two
    // leaves them disagreeing, and then (or when the file cannot be read) the index is rebuilt
    try {
      index = VectorIndex.openWritable(path, view.dim, params, view.metric);
      if (index.size !== countMembers(members)) {
        // killed after the index was renamed into place, before its members were: adopt the pending ones
        const next = readMembersFile(`${membersPath(ws, view.modelKey)}.next`, view.n);
        if (next && index.size === countMembers(next)) members = next;
        else index = null;
      }
    } catch {
      index = null;
    }
    if (!index) rebuilt = true;
  }
  if (rebuilt || !index) {
    members = new Uint8Array(view.n);
    index = VectorIndex.create(view.dim, params, view.metric);
  }
  const built = rebuilt;
  let sinceCheckpoint = 0;
  const checkpoint = () => {
    // state first: a kill before the files are in place leaves the old pair, which the size check judges
    const now = new Date().toISOString();
    saveState(ws, {
      modelKey: view.modelKey,
      dim: view.dim,
      params,
      metric: view.metric,
      size: index!.size,
      fingerprint: fingerprint(view, members),
      builtAt: prev && !built ? prev.builtAt : now,
      updatedAt: now,
    });
    saveWithMembers(ws, view.modelKey, index!, path, members);
    sinceCheckpoint = 0;
  };
  const todo: number[] = [];
  for (let i = 0; i < view.n; i++) if (view.done[i] && !members[i]) todo.push(i);
  let added = 0;
  // contiguous runs of new rows go in as one block each (keys = idx)
  for (let s = 0; s < todo.length;) {
    let e = s + 1;
    while (e < todo.length && todo[e] === todo[e - 1] + 1 && e - s < 8192) e++;
    const first = todo[s];
    // cosine indexes the unit rows, l2 the rows as imported (embedding-view.ts)
    index.add(view.rows.subarray(first * view.dim, (first + e - s) * view.dim), first, {
      signal: opts.signal,
      onProgress: (d) => opts.onProgress?.(added + d, todo.length),
    });
    for (let r = s; r < e; r++) members[todo[r]] = 1;
    added += e - s;
    sinceCheckpoint += e - s;
    s = e;
    if (sinceCheckpoint >= CHECKPOINT_VECTORS && s < todo.length) checkpoint();
    await new Promise((r) => setImmediate(r));
    if (opts.signal?.aborted) throw new AppError('CANCELLED', `indexing cancelled after ${added} of ${todo.length} vectors`);
  }
  if (index.size === 0) throw new AppError('NO_EMBEDDINGS', `model '${view.modelKey}' has no embedded objects to index in ${ws.dir}`);
  if (added > 0 || rebuilt) saveWithMembers(ws, view.modelKey, index, path, members);
  const now = new Date().toISOString();
  const state: IndexState = {
    modelKey: view.modelKey,
    dim: view.dim,
    params,
    metric: view.metric,
    size: index.size,
    fingerprint: fingerprint(view, members),
    builtAt: rebuilt || !prev ? now : prev.builtAt,
    updatedAt: added > 0 || rebuilt || !prev ? now : prev.updatedAt,
  };
  saveState(ws, state);
  return { state, path, added, rebuilt, seconds: (performance.now() - t0) / 1000 };
}

/** what opening a model's index needs to know of its rows: an EmbeddingView, or the matrix read row by row */
export interface IndexSubject {
  modelKey: string;
  dim: number;
  metric: IndexMetric;
  /** rows, embedded or not */
  n: number;
  doneCount: number;
  isDone(i: number): boolean;
  /** row i as the index holds it (unit norm for cosine, as imported for l2) */
  row(i: number): Float32Array;
}

/**
 * The saved index of a model, memory-mapped and warmed (a few searches for objects spread over the
 * rows, so the first real query does not pay the page faults: VectorIndex.warm); null when there is
 * none or it is out of step with the rows.
 */
export function openIndex(ws: Workspace, subject: IndexSubject, expansionSearch?: number): VectorIndex | null {
  const s = indexState(ws, subject.modelKey);
  const path = indexPath(ws, subject.modelKey);
  if (!s || s.dim !== subject.dim || (s.metric ?? 'cosine') !== subject.metric || !existsSync(path)) return null;
  const index = VectorIndex.view(path, subject.dim, { ...s.params, expansionSearch: expansionSearch ?? s.params.expansionSearch }, subject.metric);
  index.warm(warmQueries(subject));
  return index;
}

/**
 * up to WARM_QUERIES embedded rows spread evenly over the rows (one per ~31k objects, at least 16): at 1M x 128,
 * 8 warm-up queries (~20 ms on 2 cores) left the next ones at p50 0.63 ms, 32 (~35 ms) at 0.44 ms
 */
const WARM_QUERIES = 128;
function warmQueries(subject: IndexSubject): Float32Array {
  const { n, dim } = subject;
  const want = Math.min(WARM_QUERIES, Math.max(16, Math.ceil(subject.doneCount / 31_250)), subject.doneCount);
  const out = new Float32Array(want * dim);
  let got = 0;
  for (let j = 0; j < want; j++) {
    let i = Math.floor(((j + 0.5) * n) / want);
    while (i < n && !subject.isDone(i)) i++;
    if (i < n) out.set(subject.row(i), got++ * dim);
  }
  return out.subarray(0, got * dim);
}

/** Removes a model's index files and state. */
export function dropIndex(ws: Workspace, modelKey: string): void {
  rmSync(indexPath(ws, modelKey), { force: true });
  rmSync(membersPath(ws, modelKey), { force: true });
  rmSync(`${membersPath(ws, modelKey)}.next`, { force: true });
  const all = allStates(ws);
  delete all[modelKey];
  ws.kv.set('index', all);
}
