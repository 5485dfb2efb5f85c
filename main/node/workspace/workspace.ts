/**
 * A Latent Sky workspace: one folder per project.
 *   manifest.json            format, name, cutout spec (written last at creation: the marker)
 *   catalog.sqlite           objects, labels, searches, rounds, vetting, kv, models
 *   cutouts/shard-NNNNN.bin  fixed-size cutout records (cutout-store.ts)
 *   embeddings/<model>/      matrix.f32 + done.bits (embeddings.ts)
 *   features/<set>/          the same format for morphology features (features.ts)
 *   index/ projections/ cache/ exports/   filled by other services (path())
 * Crash safety: cutouts are fsync'ed before the transaction that makes their
 * objects visible; every label/vetting/round change is a committed WAL
 * transaction (synchronous=FULL); the manifest is replaced atomically.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { AppError } from '@app/core/errors';
import type { Cutout } from '@app/domain/cutout';
import type { NewObject, ObjectRecord } from '@app/domain/object';
import { Catalog, invalidReason } from './catalog';
import { CutoutStore } from './cutout-store';
import { immediate, nowIso, openDb, type Db } from './db';
import { EmbeddingMatrix, MODEL_KEY_RE } from './embeddings';
import { FEATURE_COLUMN_PREFIX, featureColumnNames, morphologySet, openFeatureMatrix, readFeatureColumn } from './features';
import { fsyncDir, removeStaleTemps } from './fsutil';
import { collectStats, type WorkspaceStats } from './info';
import { KvStore } from './kv';
import { LabelStore } from './labels';
import {
  APP_VERSION,
  bytesPerPixel,
  readManifest,
  WORKSPACE_FORMAT,
  WORKSPACE_FORMAT_VERSION,
  writeManifest,
  type CutoutDtype,
  type WorkspaceManifest,
} from './manifest';
import { RoundStore } from './rounds';
import { VettingStore } from './vetting';

import { AREAS, CATALOG, checkCutoutOptions, CREATING_MARKER, creationPlan, prepareCreation, type AreaKind } from './creation';

export { CREATING_MARKER, type AreaKind };
const SHARD_TARGET_BYTES = 64 * 1024 * 1024;

export interface CreateOptions {
  name?: string;
  cutout: {
    bands: string[];
    size: number;
    pixscale: number;
    unit: Cutout['unit'];
    /** storage: 'f16' (default for fluxes), 'u8' (default for unit 'u8'), 'f32' (exact) */
    dtype?: CutoutDtype;
    /** cutouts per shard file (default: shards of ~64 MiB) */
    shardRecords?: number;
  };
  /** false: objects and embeddings only, no cutouts (an embedding catalogue) */
  pixels?: false;
}

export interface AddItem {
  object: NewObject;
  cutout: Cutout;
}

export class Workspace {
  readonly labels: LabelStore;
  readonly rounds: RoundStore;
  readonly vetting: VettingStore;
  readonly kv: KvStore;
  private readonly catalog: Catalog;
  private readonly cutouts: CutoutStore;
  private readonly matrices = new Map<string, EmbeddingMatrix>();
  private featureMatrix: EmbeddingMatrix | null = null;
  private closed = false;

  get isClosed(): boolean {
    return this.closed;
  }

  private constructor(
    readonly dir: string,
    readonly manifest: WorkspaceManifest,
    private readonly db: Db,
    readonly readonly: boolean,
  ) {
    this.catalog = new Catalog(db);
    this.cutouts = new CutoutStore(join(dir, 'cutouts'), manifest.cutout, readonly);
    const count = () => this.catalog.count();
    this.labels = new LabelStore(db, count);
    this.rounds = new RoundStore(db);
    this.vetting = new VettingStore(db, count);
    this.kv = new KvStore(db);
  }

  static isWorkspace(dir: string): boolean {
    try {
      readManifest(dir);
      return existsSync(join(dir, CATALOG));
    } catch {
      return false;
    }
  }

  /** CONFLICT (naming what is in the way) unless `create` may use `dir`; checks only, writes nothing. */
  static assertCreatable(dir: string): void {
    creationPlan(resolve(dir));
  }

  /**
   * A new, empty workspace in `dir` (created, or an empty folder). Never removes a file it did not
   * create: a non-empty folder is refused (CONFLICT) unless it is a creation of ours that was
   * interrupted before its manifest was written, which the marker file (written first) proves; even
   * then only our own empty folders and the catalogue file created after the marker are reused.
   */
  static create(dir: string, opts: CreateOptions): Workspace {
    dir = resolve(dir);
    const c = opts.cutout;
    checkCutoutOptions(c);
    const dtype: CutoutDtype = c.dtype ?? (c.unit === 'u8' ? 'u8' : 'f16');
    const recordBytes = c.bands.length * c.size * c.size * bytesPerPixel(dtype);
    const shardRecords = c.shardRecords ?? 2 ** Math.max(0, Math.floor(Math.log2(SHARD_TARGET_BYTES / recordBytes)));
    if (!Number.isInteger(shardRecords) || shardRecords < 1) throw new AppError('BAD_INPUT', `bad shardRecords ${c.shardRecords}`);
    prepareCreation(dir);
    mkdirSync(join(dir, 'cutouts'), { recursive: true });
    mkdirSync(join(dir, 'embeddings'), { recursive: true });
    const db = openDb(join(dir, CATALOG), { create: true, readonly: false });
    const manifest: WorkspaceManifest = {
      format: WORKSPACE_FORMAT,
      formatVersion: WORKSPACE_FORMAT_VERSION,
      name: opts.name ?? basename(dir),
      created: nowIso(),
      appVersion: APP_VERSION,
      cutout: { bands: [...c.bands], size: c.size, pixscale: c.pixscale, unit: c.unit, dtype, shardRecords },
      ...(opts.pixels === false ? { pixels: false as const } : {}),
    };
    fsyncDir(dir);
    writeManifest(dir, manifest);
    rmSync(join(dir, CREATING_MARKER), { force: true }); // the manifest now says what the folder is
    fsyncDir(dir);
    return new Workspace(dir, manifest, db, false);
  }

  /**
   * Opens a workspace; AppError('WORKSPACE_INVALID') naming the problem when it is not one or is damaged.
   * A writable open repairs what a killed writer left (cutout bytes past the catalogue, dead temp files)
   * unless `repair: false`: a second connection that writes neither objects nor embeddings (the index
   * worker, the features job) may run beside an ingest whose cutouts are ahead of its next commit.
   */
  static open(dir: string, opts: { readonly?: boolean; repair?: boolean } = {}): Workspace {
    dir = resolve(dir);
    if (!existsSync(dir)) throw new AppError('WORKSPACE_INVALID', `${dir} does not exist`);
    const manifest = readManifest(dir);
    if (!existsSync(join(dir, CATALOG))) throw new AppError('WORKSPACE_INVALID', `${dir} is not a usable Latent Sky workspace: no ${CATALOG}`);
    const readonly = opts.readonly ?? false;
    const db = openDb(join(dir, CATALOG), { create: false, readonly });
    const ws = new Workspace(dir, manifest, db, readonly);
    try {
      if (!readonly && (opts.repair ?? true)) {
        if (ws.hasPixels) immediate(db, () => ws.cutouts.truncateTo(ws.catalog.count()));
        const emb = join(dir, 'embeddings');
        removeStaleTemps([dir, ...(existsSync(emb) ? readdirSync(emb).map((k) => join(emb, k)) : [])]);
      }
      if (ws.hasPixels) ws.cutouts.checkHolds(ws.catalog.count());
    } catch (e) {
      ws.close();
      throw e;
    }
    return ws;
  }

  private writable(what: string): void {
    if (this.closed) throw new AppError('UNAVAILABLE', `${this.dir}: workspace is closed (${what})`);
    if (this.readonly) throw new AppError('READ_ONLY', `${this.dir}: opened read-only, cannot ${what}`);
  }

  count(): number {
    return this.catalog.count();
  }

  /** false for a workspace made from an embedding catalogue (no cutouts stored) */
  get hasPixels(): boolean {
    return this.manifest.pixels !== false;
  }

  private needPixels(what: string): void {
    if (!this.hasPixels)
      throw new AppError('UNAVAILABLE', `no pixels offline: ${this.manifest.name} was made from an embedding catalogue and holds no cutouts (${what})`);
  }

  /**
   * Appends catalogue rows without cutouts to a workspace without pixels, all or none; returns
   * their idx values. BAD_INPUT (naming the object) when one is invalid or its id exists.
   */
  addCatalogObjects(objects: NewObject[]): number[] {
    this.writable('add objects');
    if (this.hasPixels) throw new AppError('BAD_INPUT', `${this.dir} stores cutouts: objects without pixels cannot be added to it`);
    if (objects.length === 0) return [];
    return immediate(this.db, () => {
      const start = this.catalog.count();
      this.catalog.insert(start, objects);
      return objects.map((_, i) => start + i);
    });
  }

  /** Why an item would be refused by addObjects, or null (for importers that skip bad items). */
  validateItem(item: AddItem): string | null {
    return invalidReason(item, this.manifest.cutout);
  }

  /**
   * Appends objects with their cutouts, all or none; returns their idx values.
   * BAD_INPUT (naming the item) when one is invalid or its id already exists.
   */
  addObjects(items: AddItem[]): number[] {
    this.writable('add objects');
    this.needPixels('objects with cutouts cannot be added');
    if (items.length === 0) return [];
    items.forEach((it, i) => {
      const why = invalidReason(it, this.manifest.cutout);
      if (why) throw new AppError('BAD_INPUT', `object #${i} (id '${it?.object?.id}'): ${why}`);
    });
    const bytes = this.cutouts.encode(items.map((it) => it.cutout));
    return immediate(this.db, () => {
      const start = this.catalog.count();
      this.cutouts.write(start, bytes); // durable before the objects become visible
      this.catalog.insert(
        start,
        items.map((it) => it.object),
      );
      return items.map((_, i) => start + i);
    });
  }

  getObject(idx: number): ObjectRecord {
    return this.catalog.get(idx);
  }

  objects(start = 0, count = Math.max(0, this.count() - start)): ObjectRecord[] {
    return this.catalog.range(start, count);
  }

  findById(id: string): number | undefined {
    return this.catalog.findById(id);
  }

  /** catalogue columns beyond idx/id/ra/dec/source/truth, with their kinds */
  columns(): { name: string; kind: 'numeric' | 'text' }[] {
    const m = this.morphology();
    const extra = m && m.doneCount() > 0 ? featureColumnNames(this.morphologySet()).map((name) => ({ name, kind: 'numeric' as const })) : [];
    return [...this.catalog.columns(), ...extra];
  }

  /** 'ra', 'dec', a numeric extra column or a morphology feature (morph_<name>) for all N objects (NaN where missing). */
  column(name: string): Float64Array {
    if (name.startsWith(FEATURE_COLUMN_PREFIX)) {
      const k = featureColumnNames(this.morphologySet()).indexOf(name);
      const m = this.morphology();
      if (k >= 0 && m) return readFeatureColumn(m, k);
    }
    return this.catalog.column(name);
  }

  /** The morphology feature set of this workspace's bands (app/features): key and columns. */
  morphologySet() {
    return morphologySet(this.manifest.cutout.bands);
  }

  /** The morphology feature matrix (features.ts): null until created (create: true creates it). */
  morphology(create = false): EmbeddingMatrix | null {
    if (!this.featureMatrix) this.featureMatrix = openFeatureMatrix(this.dir, this.db, () => this.count(), this.readonly, this.morphologySet(), create);
    return this.featureMatrix;
  }

  textColumn(name: string): (string | null)[] {
    return this.catalog.textColumn(name);
  }

  truthCounts(): Record<string, number> {
    return this.catalog.truthCounts();
  }

  truthColumn(): (string | null)[] {
    return this.catalog.truthColumn();
  }

  private checkRange(start: number, count: number): void {
    const n = this.count();
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > n)
      throw new AppError('UNKNOWN_OBJECT', `cutouts ${start}..${start + count - 1} are outside this workspace (it holds ${n})`);
  }

  private wrap(data: Float32Array): Cutout {
    const c = this.manifest.cutout;
    return { bands: [...c.bands], width: c.size, height: c.size, pixscale: c.pixscale, unit: c.unit, data };
  }

  getCutout(idx: number): Cutout {
    this.needPixels(`cutout of object ${idx}`);
    if (!Number.isInteger(idx) || idx < 0 || idx >= this.count())
      throw new AppError('UNKNOWN_OBJECT', `no object ${idx} in this workspace (it holds ${this.count()})`);
    return this.wrap(this.cutouts.readBlock(idx, 1));
  }

  /** Cutouts start..start+count-1 (one read per shard). */
  readCutouts(start: number, count: number): Cutout[] {
    const block = this.readCutoutBlock(start, count);
    const px = this.cutouts.pixels;
    return Array.from({ length: count }, (_, i) => this.wrap(block.subarray(i * px, (i + 1) * px)));
  }

  /** Cutouts start..start+count-1 as one count x C x H x W float32 block (what an encoder batch wants). */
  readCutoutBlock(start: number, count: number): Float32Array {
    this.needPixels(`cutouts ${start}..${start + count - 1}`);
    this.checkRange(start, count);
    return this.cutouts.readBlock(start, count);
  }

  /** The embedding matrix of a model: opened, or created when dim is given. MODEL_MISMATCH for another dim. */
  embeddings(modelKey: string, dim?: number, opts: { modelName?: string; meta?: unknown } = {}): EmbeddingMatrix {
    if (!MODEL_KEY_RE.test(modelKey)) throw new AppError('BAD_INPUT', `bad model key '${modelKey}' (letters, digits, . _ -)`);
    if (dim !== undefined && (!Number.isInteger(dim) || dim < 1 || dim > 65536)) throw new AppError('BAD_INPUT', `bad embedding dim ${dim}`);
    let m = this.matrices.get(modelKey);
    if (!m) {
      const create = dim === undefined || this.readonly ? undefined : { dim, modelName: opts.modelName ?? modelKey };
      m = new EmbeddingMatrix(modelKey, join(this.dir, 'embeddings'), this.db, () => this.count(), this.readonly, create);
      this.matrices.set(modelKey, m);
      if (!this.readonly)
        this.db
          .prepare('INSERT INTO models (key, dim, name, created, meta) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING')
          .run(modelKey, m.dim, m.modelName, nowIso(), opts.meta === undefined ? null : JSON.stringify(opts.meta));
    }
    if (dim !== undefined && dim !== m.dim)
      throw new AppError('MODEL_MISMATCH', `embeddings '${modelKey}' have dim ${m.dim}, asked for ${dim} (use another model key or drop them)`);
    return m;
  }

  /** Models with an embedding matrix here, with how many rows are done. */
  embeddingModels(): { modelKey: string; dim: number; done: number; modelName: string; meta: unknown }[] {
    const root = join(this.dir, 'embeddings');
    const keys = existsSync(root) ? readdirSync(root).filter((k) => MODEL_KEY_RE.test(k) && existsSync(join(root, k, 'matrix.f32'))) : [];
    const meta = new Map((this.db.prepare('SELECT key, meta FROM models').all() as { key: string; meta: string | null }[]).map((r) => [r.key, r.meta]));
    return keys.sort().map((k) => {
      const m = this.embeddings(k);
      const mj = meta.get(k);
      return { modelKey: k, dim: m.dim, done: m.doneCount(), modelName: m.modelName, meta: mj ? JSON.parse(mj) : null };
    });
  }

  /** Deletes a model's embeddings (matrix, progress, registry row). */
  dropEmbeddings(modelKey: string): void {
    this.writable('drop embeddings');
    this.matrices.get(modelKey)?.close();
    this.matrices.delete(modelKey);
    if (!MODEL_KEY_RE.test(modelKey)) throw new AppError('BAD_INPUT', `bad model key '${modelKey}'`);
    rmSync(join(this.dir, 'embeddings', modelKey), { recursive: true, force: true });
    this.db.prepare('DELETE FROM models WHERE key = ?').run(modelKey);
  }

  /**
   * A path inside WS/<kind>/ for other services (index files, projections,
   * caches, exports). Creates WS/<kind>/ and the directory the returned path
   * is in; the path itself is not created (it is usually a file).
   */
  path(kind: AreaKind, ...parts: string[]): string {
    if (!AREAS.includes(kind)) throw new AppError('BAD_INPUT', `unknown workspace area '${kind}' (${AREAS.join(', ')})`);
    const base = join(this.dir, kind);
    const p = resolve(base, ...parts);
    if (p !== base && !p.startsWith(base + sep)) throw new AppError('BAD_INPUT', `path ${parts.join('/')} leaves the workspace's ${kind}/ folder`);
    mkdirSync(p === base ? base : resolve(p, '..'), { recursive: true });
    return p;
  }

  /** Like path(), but creates the returned path itself as a directory. */
  dirPath(kind: AreaKind, ...parts: string[]): string {
    const p = this.path(kind, ...parts);
    mkdirSync(p, { recursive: true });
    return p;
  }

  /** Counts, classes, disk usage per part, embeddings progress, searches, index/projection state. */
  info(): WorkspaceStats {
    return collectStats(this, this.cutouts.bytesOnDisk());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const m of this.matrices.values()) m.close();
    this.matrices.clear();
    this.featureMatrix?.close();
    this.featureMatrix = null;
    this.cutouts.close();
    this.db.close();
  }
}
