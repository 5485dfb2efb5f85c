/**
 * The input schema of every channel. The mapped type makes the table
 * exhaustive: adding a method to services.ts without a validator here is a
 * type error, and CHANNELS (channels.ts) is derived from this table.
 */
import type { Channel, InputOf } from './channels';
import { AppError } from '../core/errors';
import { CUTOUT_LAYERS, EXPORT_FORMATS, FEATURE_FLAGS, PROBE_FEATURE_SETS, type ProbeFeatureSet } from './types';
import { validateIngestStart, validateNoInput } from './ingest';
import { SKY_SCHEMAS } from './sky';
import { array, idx, indices, int, MAX_NAME, MAX_NOTE, name, oneOf, path, record, str, type Validator } from './validate';

const none: Validator<Record<string, never>> = (i, _c, w) => (record(i, w, []), {});
const search = (i: unknown, w: string) => name(record(i, w, ['search']).search, w, 'search');
const PROJECTIONS = ['pca', 'umap'] as const;
const LABELS = ['positive', 'negative', 'unsure', null] as const;

export const SCHEMAS: { [C in Channel]: Validator<InputOf<C>> } = {
  'workspace.info': none,
  'workspace.open': (i, c, w) => ({ path: path(record(i, w, ['path']).path, c, w) }),
  'workspace.createDemo': (i, c, w) => {
    const o = record(i, w, ['path', 'count', 'seed']);
    return { path: path(o.path, c, w), count: int(o.count, w, 'count', 16, 1_000_000), seed: int(o.seed, w, 'seed', 0, 2 ** 32 - 1) };
  },
  'workspace.recent': none,
  'catalog.positions': none,
  'catalog.classes': (i, _c, w) => ({ column: str(record(i, w, ['column']).column, w, 'column', 64, { min: 1 }) }),
  'catalog.numeric': (i, _c, w) => ({ column: str(record(i, w, ['column']).column, w, 'column', 64, { min: 1 }) }),
  'catalog.object': (i, c, w) => ({ idx: idx(record(i, w, ['idx']).idx, c, w) }),
  'cutouts.get': (i, c, w) => ({ idx: idx(record(i, w, ['idx']).idx, c, w) }),
  'cutouts.layer': (i, c, w) => {
    const o = record(i, w, ['idx', 'layer']);
    return { idx: idx(o.idx, c, w), layer: oneOf(o.layer, w, 'layer', CUTOUT_LAYERS) };
  },
  'embeddings.projection': (i, _c, w) => ({ method: oneOf(record(i, w, ['method']).method, w, 'method', PROJECTIONS) }),
  'embeddings.startEmbed': (i, _c, w) => {
    const m = record(i, w, ['model']).model ?? null;
    return { model: m === null ? null : str(m, w, 'model', MAX_NAME, { min: 1, pattern: /^[\w.+-][\w .@+-]*$/ }) };
  },
  'embeddings.startProjection': (i, _c, w) => ({ method: oneOf(record(i, w, ['method']).method, w, 'method', PROJECTIONS) }),
  'jobs.list': none,
  'jobs.cancel': (i, _c, w) => ({ id: str(record(i, w, ['id']).id, w, 'id', 64, { min: 1, pattern: /^[\w-]+$/ }) }),
  'search.neighbours': (i, c, w) => {
    const o = record(i, w, ['idx', 'k']);
    return { idx: idx(o.idx, c, w), k: int(o.k, w, 'k', 1, 1000) };
  },
  'probe.searches': none,
  'probe.create': (i, _c, w) => {
    const o = record(i, w, ['name', 'description']);
    return { name: name(o.name, w), description: str(o.description ?? '', w, 'description', MAX_NOTE) };
  },
  'probe.setLabel': (i, c, w) => {
    const o = record(i, w, ['search', 'idx', 'label']);
    return { search: name(o.search, w, 'search'), idx: idx(o.idx, c, w), label: oneOf(o.label ?? null, w, 'label', LABELS) };
  },
  'probe.setLabels': (i, c, w) => {
    const o = record(i, w, ['search', 'indices', 'label']);
    return { search: name(o.search, w, 'search'), indices: indices(o.indices, c, w), label: oneOf(o.label ?? null, w, 'label', LABELS) };
  },
  'probe.labels': (i, _c, w) => ({ search: search(i, w) }),
  'probe.history': (i, _c, w) => {
    const o = record(i, w, ['search', 'limit']);
    return { search: name(o.search, w, 'search'), limit: int(o.limit, w, 'limit', 1, 100_000) };
  },
  'probe.undo': (i, _c, w) => {
    const o = record(i, w, ['search', 'seq']);
    const out: { search: string; seq?: number } = { search: name(o.search, w, 'search') };
    if (o.seq !== undefined) out.seq = int(o.seq, w, 'seq', 1, Number.MAX_SAFE_INTEGER);
    return out;
  },
  'probe.retrain': (i, _c, w) => {
    const o = record(i, w, ['search', 'features', 'exploit']);
    const out: { search: string; features?: ProbeFeatureSet; exploit?: number } = { search: name(o.search, w, 'search') };
    if (o.features !== undefined) out.features = oneOf(o.features, w, 'features', PROBE_FEATURE_SETS);
    if (o.exploit !== undefined) {
      if (typeof o.exploit !== 'number' || !(o.exploit >= 0 && o.exploit <= 1)) throw new AppError('BAD_INPUT', `${w}: exploit must be a number in [0, 1]`);
      out.exploit = o.exploit;
    }
    return out;
  },
  'probe.result': (i, _c, w) => ({ search: search(i, w) }),
  'probe.rounds': (i, _c, w) => ({ search: search(i, w) }),
  'probe.exportRanked': (i, _c, w) => {
    const o = record(i, w, ['search', 'top']);
    return { search: name(o.search, w, 'search'), top: int(o.top, w, 'top', 1, 1_000_000) };
  },
  'probe.exportCandidates': (i, c, w) => {
    const o = record(i, w, ['search', 'format', 'top', 'folder']);
    const out = { search: name(o.search, w, 'search'), format: oneOf(o.format, w, 'format', EXPORT_FORMATS), top: int(o.top, w, 'top', 1, 1_000_000) };
    return o.folder === undefined ? out : { ...out, folder: path(o.folder, c, w, 'folder') };
  },
  'vetting.lists': none,
  'vetting.createFromSearch': (i, _c, w) => {
    const o = record(i, w, ['name', 'search', 'top']);
    return { name: name(o.name, w), search: name(o.search, w, 'search'), top: int(o.top, w, 'top', 1, 100_000) };
  },
  'vetting.get': (i, _c, w) => ({ name: name(record(i, w, ['name']).name, w) }),
  'vetting.grade': (i, c, w) => {
    const o = record(i, w, ['name', 'idx', 'grade', 'features', 'note']);
    return {
      name: name(o.name, w),
      idx: idx(o.idx, c, w),
      grade: oneOf(o.grade, w, 'grade', [-1, 0, 1, 2] as const),
      features: array(o.features ?? [], w, 'features', FEATURE_FLAGS.length, (f) => oneOf(f, w, 'feature', FEATURE_FLAGS)),
      note: str(o.note ?? '', w, 'note', MAX_NOTE),
    };
  },
  'vetting.export': (i, _c, w) => ({ name: name(record(i, w, ['name']).name, w) }),
  'patches.overlay': (i, c, w) => ({ idx: idx(record(i, w, ['idx']).idx, c, w) }),
  'models.list': none,
  'models.add': (i, c, w) => ({ path: path(record(i, w, ['path']).path, c, w) }),
  'samp.status': none,
  'samp.connect': none,
  'samp.disconnect': none,
  'samp.sendSearch': (i, _c, w) => {
    const o = record(i, w, ['search', 'top']);
    return { search: name(o.search, w, 'search'), top: int(o.top, w, 'top', 1, 1_000_000) };
  },
  'samp.sendSelection': (i, c, w) => ({ indices: indices(record(i, w, ['indices']).indices, c, w) }),
  'samp.sendWorkspace': none,
  'samp.pointAt': (i, c, w) => ({ idx: idx(record(i, w, ['idx']).idx, c, w) }),
  'samp.select': (i, c, w) => {
    const v = record(i, w, ['indices']).indices;
    return { indices: v instanceof Int32Array && v.length === 0 ? v : indices(v, c, w) };
  },
  'ingest.start': validateIngestStart,
  'ingest.lastReport': validateNoInput,
  ...SKY_SCHEMAS,
};
