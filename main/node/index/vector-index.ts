/**
 * The approximate nearest-neighbour index over one model's embeddings:
 * usearch HNSW, cosine (unit rows) or l2 (raw rows) metric, keys = object idx. Built in batches (progress,
 * cancel between batches), saved atomically, memory-mapped on open (`view`)
 * so opening a million-vector index takes milliseconds. A viewed index is
 * read-only; `openWritable` loads it into memory for incremental adds.
 * `release()` unmaps the file (or frees the memory) at once instead of when
 * the garbage collector gets to the native object: the workspace session
 * releases the indexes it caches when it is disposed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import usearch from 'usearch';
import { AppError } from '@app/core/errors';

export interface IndexParams {
  /** HNSW M */
  connectivity: number;
  /** efConstruction */
  expansionAdd: number;
  /** ef at query time */
  expansionSearch: number;
  /**
   * how vectors are stored in the graph: f16 halves the file and the memory map and builds ~1.8x
   * faster than f32 at the same recall (1M x 128: 0.991 vs 0.990, ../shared/STACK.md); indexes
   * saved before this field existed are f32
   */
  scalar?: 'f16' | 'f32';
}

export const DEFAULT_INDEX_PARAMS: IndexParams = { connectivity: 16, expansionAdd: 128, expansionSearch: 64, scalar: 'f16' };

/** the stored scalar kind of an index's parameters (absent = f32, the format before f16) */
export const scalarOf = (p: Partial<IndexParams>): 'f16' | 'f32' => p.scalar ?? 'f32';

/** cosine: similarity of unit rows; l2: euclidean distance of the rows as imported (embeddings' `--metric l2`) */
export type IndexMetric = 'cosine' | 'l2';

export interface IndexHit {
  /** object indices, nearest first */
  indices: Int32Array;
  /** higher = nearer: cosine similarity (1 − usearch's cosine distance); for l2, minus the euclidean distance */
  similarities: Float32Array;
}

/** usearch's distance → our similarity (higher = nearer); l2 indexes hold squared distances */
function toSimilarity(metric: IndexMetric, dist: number): number {
  return metric === 'l2' ? -Math.sqrt(Math.max(0, dist)) : 1 - dist;
}

/** our similarity → the distance shown to people: cosine distance 1 − s, or the euclidean distance */
export function similarityToDistance(metric: IndexMetric, sim: number): number {
  return metric === 'l2' ? -sim : 1 - sim;
}

export interface AddOptions {
  /** rows per native call (progress/cancel granularity); default 4096 */
  batch?: number;
  /** native threads; 0 = all cores */
  threads?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

function createNative(dim: number, p: IndexParams, metric: IndexMetric): InstanceType<typeof usearch.Index> {
  return new usearch.Index({
    dimensions: dim,
    metric: metric === 'l2' ? usearch.MetricKind.L2sq : usearch.MetricKind.Cos,
    quantization: scalarOf(p) === 'f16' ? usearch.ScalarKind.F16 : usearch.ScalarKind.F32,
    connectivity: p.connectivity,
    expansion_add: p.expansionAdd,
    expansion_search: p.expansionSearch,
    multi: false,
  });
}

export class VectorIndex {
  readonly dim: number;
  readonly params: IndexParams;
  readonly readOnly: boolean;
  /** what the index was built with; a saved file carries its own (usearch's header), so open it with the same */
  readonly metric: IndexMetric;
  private readonly native: InstanceType<typeof usearch.Index>;
  /** the file viewed or loaded (null: built in memory) */
  readonly path: string | null;
  #released = false;

  private constructor(
    native: InstanceType<typeof usearch.Index>,
    dim: number,
    params: IndexParams,
    readOnly: boolean,
    metric: IndexMetric,
    path: string | null = null,
  ) {
    this.native = native;
    this.path = path;
    this.dim = dim;
    this.params = params;
    this.readOnly = readOnly;
    this.metric = metric;
  }

  /** An empty in-memory index. */
  static create(dim: number, params: IndexParams = DEFAULT_INDEX_PARAMS, metric: IndexMetric = 'cosine'): VectorIndex {
    return new VectorIndex(createNative(dim, params, metric), dim, params, false, metric);
  }

  /** Memory-map a saved index (read-only). */
  static view(path: string, dim: number, params: IndexParams = DEFAULT_INDEX_PARAMS, metric: IndexMetric = 'cosine'): VectorIndex {
    return VectorIndex.openFile(path, dim, params, true, metric);
  }

  /** Load a saved index into memory so more vectors can be added. */
  static openWritable(path: string, dim: number, params: IndexParams = DEFAULT_INDEX_PARAMS, metric: IndexMetric = 'cosine'): VectorIndex {
    return VectorIndex.openFile(path, dim, params, false, metric);
  }

  private static openFile(path: string, dim: number, params: IndexParams, readOnly: boolean, metric: IndexMetric): VectorIndex {
    if (!existsSync(path)) throw new AppError('NO_INDEX', `no vector index at ${path}`);
    const native = createNative(dim, params, metric);
    try {
      if (readOnly) native.view(path);
      else native.load(path);
    } catch (e) {
      throw new AppError('NO_INDEX', `cannot open vector index ${path}: ${(e as Error).message}`);
    }
    if (native.dimensions() !== dim) {
      throw new AppError('MODEL_MISMATCH', `vector index ${path} has dimension ${native.dimensions()}, embeddings have ${dim}`);
    }
    return new VectorIndex(native, dim, params, readOnly, metric, path);
  }

  get size(): number {
    return this.#released ? 0 : this.native.size();
  }

  get released(): boolean {
    return this.#released;
  }

  /**
   * Unmaps the viewed file (closing its descriptor) or frees the loaded
   * graph now; afterwards the index is empty and refuses adds and queries.
   * usearch's binding has no close: loading a saved empty index resets the
   * native one first (releasing the mapping and its descriptor). A failed
   * `view` would reset too, but usearch then closes descriptor 0, so never that.
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    const empty = join(tmpdir(), `latent-sky-empty-index-${process.pid}-${randomUUID()}.usearch`);
    try {
      createNative(1, this.params, this.metric).save(empty);
      this.native.load(empty);
    } catch {
      // cannot write the temporary file: the garbage collector frees the native index later
    } finally {
      rmSync(empty, { force: true });
    }
  }

  /**
   * Runs `queries` (q × dim rows of the indexed data) once, on every core, and drops the answers: a
   * viewed index's first searches fault in the memory-mapped pages they visit, so a fresh process's
   * first query took 5–9 ms at 1M × 128 f16 and a few queries ~1.7 ms; after 8 spread-out queries at
   * open (~20 ms) the next ones took ~0.6 ms, after 32 (~35 ms) ~0.45 ms. Opening pays for it once
   * instead of the first queries.
   */
  warm(queries: Float32Array): void {
    this.live();
    if (this.size > 0 && queries.length >= this.dim) this.native.search(queries.subarray(0, queries.length - (queries.length % this.dim)), 1, 0);
  }

  /**
   * Lets `searchBatch` use every core on an index built in memory with fewer threads: usearch keeps
   * one search context per thread of the add that last grew it and fails wider searches ("Reserve
   * capacity ahead of searches!", at random, when the threads collide). Loading a saved index
   * reserves one per core, so this round-trips the graph through a temporary file: the same graph,
   * so a build on one thread stays reproducible (UMAP's sample graph; cheap at its size).
   */
  widenSearch(): void {
    this.live();
    if (this.readOnly) return; // viewed: usearch reserved one context per core when it mapped the file
    const tmp = join(tmpdir(), `latent-sky-widen-${process.pid}-${randomUUID()}.usearch`);
    try {
      this.native.save(tmp);
      this.native.load(tmp);
    } catch (e) {
      throw new AppError('IO', `cannot write a temporary vector index in ${tmpdir()}: ${(e as Error).message}`);
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  private live(): void {
    if (this.#released) throw new AppError('UNAVAILABLE', 'the vector index was released (its workspace was closed or switched)');
  }

  /**
   * Add rows (n × dim; unit norm for cosine, as imported for l2) with keys firstKey, firstKey + 1, ... in
   * batches. Throws CANCELLED between batches when the signal fires (what was
   * added stays added).
   */
  add(rows: Float32Array, firstKey: number, opts: AddOptions = {}): void {
    this.live();
    if (this.readOnly) throw new AppError('INTERNAL', 'vector index was opened read-only');
    const n = rows.length / this.dim;
    const batch = opts.batch ?? 4096;
    for (let s = 0; s < n; s += batch) {
      if (opts.signal?.aborted) throw new AppError('CANCELLED', `indexing cancelled after ${s} of ${n} vectors`);
      const e = Math.min(n, s + batch);
      const keys = new BigUint64Array(e - s);
      for (let i = 0; i < keys.length; i++) keys[i] = BigInt(firstKey + s + i);
      this.native.add(keys, rows.subarray(s * this.dim, e * this.dim), opts.threads ?? 0);
      opts.onProgress?.(e, n);
    }
  }

  /** The k nearest stored vectors to a query vector (unit norm for cosine). */
  search(query: Float32Array, k: number): IndexHit {
    this.live();
    const kk = Math.max(1, Math.min(k, this.size));
    if (this.size === 0) return { indices: new Int32Array(0), similarities: new Float32Array(0) };
    const m = this.native.search(query, kk, 1) as InstanceType<typeof usearch.Matches>;
    const indices = Int32Array.from(m.keys, (key) => Number(key));
    const similarities = Float32Array.from(m.distances, (dist) => toSimilarity(this.metric, dist));
    return { indices, similarities };
  }

  /** Batched queries (q × dim): row r of the result holds up to k hits, −1 padded. */
  searchBatch(queries: Float32Array, k: number, threads = 0): { indices: Int32Array; similarities: Float32Array; k: number } {
    this.live();
    const q = queries.length / this.dim;
    const kk = Math.max(1, Math.min(k, this.size));
    const indices = new Int32Array(q * kk).fill(-1);
    const similarities = new Float32Array(q * kk).fill(NaN);
    if (q === 0 || this.size === 0) return { indices, similarities, k: kk };
    const res = this.native.search(queries, kk, threads);
    if (q === 1) {
      const m = res as InstanceType<typeof usearch.Matches>;
      m.keys.forEach((key, j) => {
        indices[j] = Number(key);
        similarities[j] = toSimilarity(this.metric, m.distances[j]);
      });
      return { indices, similarities, k: kk };
    }
    const b = res as InstanceType<typeof usearch.BatchMatches>;
    for (let r = 0; r < q; r++) {
      const c = Number(b.counts[r]);
      for (let j = 0; j < c; j++) {
        indices[r * kk + j] = Number(b.keys[r * kk + j]);
        similarities[r * kk + j] = toSimilarity(this.metric, b.distances[r * kk + j]);
      }
    }
    return { indices, similarities, k: kk };
  }

  /** Save atomically (write a temporary file, then rename over `path`). */
  save(path: string): void {
    this.live();
    const tmp = `${path}.tmp-${process.pid}`;
    try {
      this.native.save(tmp);
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new AppError('IO', `cannot save vector index ${path}: ${(e as Error).message}`);
    }
  }
}
