/** What `latent-sky info` and the app's workspace panel show about a workspace. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { diskUsage } from './fsutil';
import type { Workspace } from './workspace';

export interface WorkspaceStats {
  path: string;
  name: string;
  created: string;
  appVersion: string;
  formatVersion: number;
  objects: number;
  /** objects per ground-truth class (synthetic survey) */
  classes: Record<string, number>;
  bands: string[];
  cutoutSize: number;
  pixscale: number;
  unit: string;
  cutoutDtype: string;
  /** false: imported from an embedding catalogue, no cutouts stored */
  pixels: boolean;
  columns: { name: string; kind: 'numeric' | 'text' }[];
  /** bytes on disk per part */
  disk: { catalog: number; cutouts: number; embeddings: number; index: number; projections: number; cache: number; exports: number; total: number };
  embeddings: { model: string; modelName: string; dim: number; done: number; total: number }[];
  searches: { name: string; positive: number; negative: number; unsure: number; rounds: number }[];
  vettingLists: { name: string; size: number; graded: number }[];
  /** kv 'index' (what the index service recorded) and the files under index/ */
  index: { state: unknown; files: string[] };
  /** kv 'projections' and the files under projections/ */
  projections: { state: unknown; files: string[] };
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name).slice(dir.length + 1))
    .sort();
}

export function collectStats(ws: Workspace, cutoutBytes: number): WorkspaceStats {
  const m = ws.manifest;
  const d = ws.dir;
  const n = ws.count();
  const catalog = ['catalog.sqlite', 'catalog.sqlite-wal', 'catalog.sqlite-shm'].reduce((s, f) => s + diskUsage(join(d, f)), 0);
  const parts = {
    catalog,
    cutouts: cutoutBytes,
    embeddings: diskUsage(join(d, 'embeddings')),
    index: diskUsage(join(d, 'index')),
    projections: diskUsage(join(d, 'projections')),
    cache: diskUsage(join(d, 'cache')),
    exports: diskUsage(join(d, 'exports')),
  };
  const total = Object.values(parts).reduce((a, b) => a + b, 0) + diskUsage(join(d, 'manifest.json'));
  return {
    path: d,
    name: m.name,
    created: m.created,
    appVersion: m.appVersion,
    formatVersion: m.formatVersion,
    objects: n,
    classes: ws.truthCounts(),
    bands: m.cutout.bands,
    cutoutSize: m.cutout.size,
    pixscale: m.cutout.pixscale,
    unit: m.cutout.unit,
    cutoutDtype: m.cutout.dtype,
    pixels: m.pixels !== false,
    columns: ws.columns(),
    disk: { ...parts, total },
    embeddings: ws.embeddingModels().map((e) => ({ model: e.modelKey, modelName: e.modelName, dim: e.dim, done: e.done, total: n })),
    searches: ws.labels.searches().map((s) => ({ name: s.name, ...s.counts, rounds: ws.rounds.list(s.name).length })),
    vettingLists: ws.vetting.lists().map((l) => ({ name: l.name, size: l.size, graded: l.graded })),
    index: { state: ws.kv.get('index') ?? null, files: files(join(d, 'index')) },
    projections: { state: ws.kv.get('projections') ?? null, files: files(join(d, 'projections')) },
  };
}
