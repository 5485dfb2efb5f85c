/**
 * Data shapes that cross the service contract (app/contracts/services.ts).
 * Bulk data is always a typed array (structured clone over Electron IPC,
 * raw buffers in the WebSocket framing of wire.ts), never a JSON array.
 */
import type { Cutout } from '../domain/cutout';
import type { ObjectRecord } from '../domain/object';
import type { ErrorData } from '../core/errors';
import type { LabelValue } from '../core/labels';

export interface ColumnInfo {
  name: string;
  kind: 'numeric' | 'text';
}

export interface WorkspaceInfo {
  path: string;
  name: string;
  /** number of objects N; every idx is in [0, N) */
  count: number;
  bands: string[];
  /** catalogue columns beyond idx/id/ra/dec/source/truth */
  columns: ColumnInfo[];
  /** ground-truth class names (synthetic survey), empty when unknown */
  truthClasses: string[];
  /** model keys that have embeddings in this workspace */
  models: string[];
  /** the model key the views use (first with embeddings), null before embedding */
  activeModel: string | null;
  /** projections already computed for activeModel */
  projections: ProjectionMethod[];
  /** the active model's HNSW index is ready (neighbour queries use it) */
  hasIndex: boolean;
  index: IndexInfo;
  hasPatchTokens: boolean;
  /** false: imported from an embedding catalogue, no cutouts ("no pixels offline"); absent = pixels */
  pixels?: boolean;
}

/**
 * The active model's HNSW index: 'ready' once checked against the embeddings
 * in this session; 'stale' = on disk, not (yet) verified; 'building' while the
 * index job runs. Neighbour queries scan exactly unless it is 'ready'.
 */
export interface IndexInfo {
  state: 'none' | 'stale' | 'building' | 'ready';
  /** vectors in the saved index */
  size: number;
}

export interface RecentWorkspace {
  path: string;
  name: string;
  openedAt: string;
}

export type ProjectionMethod = 'pca' | 'umap';

export interface Positions {
  /** degrees, float32 is ample for display */
  ra: Float32Array;
  dec: Float32Array;
}

export interface ClassColumn {
  /** class code per object; 255 = unknown */
  codes: Uint8Array;
  /** names[code] */
  names: string[];
}

export interface NumericColumn {
  name: string;
  /** NaN where missing */
  values: Float32Array;
  min: number;
  max: number;
}

/** one catalogue row (the domain's ObjectRecord) */
export type CatalogObject = ObjectRecord;

/** an object's cutout (band-major planes, row 0 at the bottom, FITS order) */
export interface CutoutData extends Cutout {
  idx: number;
}

/** the Legacy Survey layers of one object: the image, the Tractor model, image minus model */
export const CUTOUT_LAYERS = ['ls-dr10', 'ls-dr10-model', 'ls-dr10-resid'] as const;
export type CutoutLayer = (typeof CUTOUT_LAYERS)[number];

export interface Projection {
  method: ProjectionMethod;
  model: string;
  /** N x 2, row-major */
  xy: Float32Array;
}

export interface Neighbours {
  idx: number;
  /** neighbour indices, nearest first (the query itself excluded) */
  neighbours: Int32Array;
  /** cosine distance (1 − similarity), or euclidean for embeddings imported with `--metric l2` */
  distances: Float32Array;
  metric: 'cosine' | 'l2';
  /** what answered: the HNSW index, or the exact scan (no index yet, or it is being rebuilt) */
  method: 'hnsw' | 'exact';
}

export type JobKind = 'demo' | 'embed' | 'project' | 'index' | 'retrain' | 'ingest';
export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  kind: JobKind;
  /** one line for the progress bar */
  label: string;
  state: JobState;
  done: number;
  total: number;
  /** what the job is doing now (stage name) */
  stage: string;
  startedAt: number;
  endedAt: number | null;
  error: ErrorData | null;
}

/** label codes in Uint8Array label columns: one encoding everywhere (app/core/labels.ts) */
export { LABEL_NEGATIVE, LABEL_NONE, LABEL_POSITIVE, LABEL_UNSURE, type LabelValue } from '../core/labels';

export interface SearchInfo {
  name: string;
  description: string;
  positives: number;
  negatives: number;
  unsure: number;
  rounds: number;
}

/** one entry of a search's label history (old → new); an undo is an entry of its own */
export interface LabelChangeInfo {
  /** the event's sequence number (what probe.undo takes) */
  seq: number;
  idx: number;
  from: LabelValue;
  to: LabelValue;
  source: 'user' | 'simulated' | 'undo';
  /** ISO time */
  at: string;
  /** the change this one reversed (undo entries), else null */
  undoes: number | null;
  /** a later undo reversed this change */
  undone: boolean;
  /** one of several changes made by one bulk call (undone together by Ctrl-Z) */
  batch: boolean;
}

export interface LabelColumn {
  search: string;
  /** LABEL_* code per object */
  codes: Uint8Array;
}

/** what a search's probe is fitted on (app/ml/representation.ts); k-NN and similarity always use the embedding */
export const PROBE_FEATURE_SETS = ['embedding', 'morphology', 'both'] as const;
export type ProbeFeatureSet = (typeof PROBE_FEATURE_SETS)[number];

export interface RoundInfo {
  round: number;
  at: string;
  positives: number;
  negatives: number;
  /** the representation the round's probe used (null: recorded before feature sets existed) */
  features?: ProbeFeatureSet | null;
  /** cross-validated or training-set quality as reported by the probe */
  metric: number | null;
  metricName: string | null;
}

export interface ProbeResult {
  search: string;
  round: number;
  /** score in [0, 1] per object */
  scores: Float32Array;
  /** unlabelled objects by decreasing score */
  ranked: Int32Array;
  /** the gallery to label next (uncertain or top unlabelled) */
  suggestions: Int32Array;
  history: RoundInfo[];
  /** the search's settings: representation the next retrain uses, share of suggestions from the top */
  features?: ProbeFeatureSet;
  exploit?: number;
}

/** 0 none, 1 weak, 2 clear tidal feature; -1 not yet graded */
export type Grade = -1 | 0 | 1 | 2;
export const FEATURE_FLAGS = ['shell', 'stream', 'tail', 'plume'] as const;
export type FeatureFlag = (typeof FEATURE_FLAGS)[number];

export interface VettingList {
  name: string;
  /** candidate indices in vetting order */
  order: Int32Array;
  /** per position in `order` */
  grades: Int8Array;
  /** per position: bit i set = FEATURE_FLAGS[i] */
  features: Uint8Array;
  /** notes by idx */
  notes: Record<string, string>;
  /** first ungraded position (where to resume), order.length when finished */
  cursor: number;
}

export interface VettingListInfo {
  name: string;
  size: number;
  graded: number;
}

export interface ExportResult {
  path: string;
  rows: number;
  /** for candidate tables written by probe.exportCandidates: the format, model and probe round of the scores */
  format?: ExportFormat;
  model?: string;
  round?: number;
}

/** the table formats `latent-sky export` writes: CSV, FITS binary table, VOTable 1.4 */
export const EXPORT_FORMATS = ['csv', 'fits', 'votable'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface PatchOverlay {
  idx: number;
  rows: number;
  cols: number;
  /** rows x cols x 3, row 0 at the TOP of the image */
  rgb: Uint8Array;
  /** the part of the cutout the model sees (centre crops): where to draw the grid; absent = the whole cutout */
  region?: OverlayRegion;
  /** fraction of the patch tokens' variance explained by the R, G, B components */
  explained?: number[];
  /**
   * the reference set the PCA was fitted on, once per workspace and model (the same basis for every object):
   * `objects` drawn at random with `seed`, `tokens` patch tokens in all; absent = fitted on this object alone
   */
  reference?: { objects: number; tokens: number; seed: number };
}

/** a rectangle as fractions of the cutout, top-left origin (may pass the edges when the model pads) */
export interface OverlayRegion {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** an installed encoder model (bundled with the app, or a folder the user added) */
export interface ModelInfo {
  name: string;
  version: string;
  /** embedding dimension; null when the manifest cannot be read */
  dim: number | null;
  path: string;
  source: 'bundled' | 'user';
  valid: boolean;
  /** why it is not valid */
  problem: string | null;
  isDefault: boolean;
}

/** the SAMP connection (Simple Application Messaging Protocol: TOPCAT, Aladin, DS9 ...) */
export type SampStatus =
  { state: 'no-hub'; reason: string } | { state: 'connected'; hubUrl: string; selfId: string; hubId: string } | { state: 'disconnected'; reason: string };

export interface SampSent {
  /** the VOTable written to the workspace's exports/ and sent by URL */
  path: string;
  rows: number;
  /** ids of the clients that were sent it (empty: no tool subscribed) */
  recipients: string[];
  /** every subscribed tool's answer (call-and-wait): its name, and ok or its error */
  deliveries?: SampDelivery[];
}

export interface SampDelivery {
  id: string;
  name: string;
  ok: boolean;
  error?: string;
  /** answered samp.warning: done, with problems (ok is true) */
  warning?: string;
}

/** a table another VO tool sent (table.load.votable), as the app can use it */
export interface SampTable {
  name: string;
  tableId: string;
  url: string;
  rows: number;
  /** positions per row (NaN where missing), when it has ra/dec columns: a user catalogue overlay */
  ra: Float32Array | null;
  dec: Float32Array | null;
  /** the column holding this workspace's object ids, when one does: labels for a search */
  idColumn: string | null;
  /** object idx per row (-1: not one of ours), when idColumn is set */
  objects: Int32Array | null;
  /** distinct objects of the workspace it names */
  matched: number;
}

/** an object another VO tool pointed at (coord.pointAt.sky near it, or a row of a table we sent) */
export interface SampObject {
  idx: number;
  via: 'pointAt' | 'highlightRow';
  sender: string;
}

export type EngineEvent =
  | { type: 'job'; job: JobInfo }
  | { type: 'samp'; status: SampStatus }
  | ({ type: 'sampObject' } & SampObject)
  /** another tool sent a table (sender: its samp.name): the table, or why it could not be used */
  | { type: 'sampTable'; sender: string; table: SampTable | null; error: ErrorData | null }
  /** another tool selected rows of a table we share with it (table.select.rowList): these objects */
  | { type: 'sampSelection'; indices: Int32Array; sender: string }
  /** another workspace was opened (or closed: null), or its active model changed: reload the columns */
  | { type: 'workspace'; info: WorkspaceInfo | null }
  /** the labels of these objects in this search are now `label` (any client: app, CLI through the engine, another window) */
  | { type: 'labels'; search: string; indices: Int32Array; label: LabelValue }
  | { type: 'probe'; search: string; round: number }
  /** the active model's index changed state (building, ready) */
  | { type: 'index'; model: string; index: IndexInfo }
  /** a projection of the active model was computed: fetch it */
  | { type: 'projection'; model: string; method: ProjectionMethod }
  /** objects were added to the open workspace (now `count`; new ones are `count - added` .. `count - 1`) */
  | { type: 'objects'; count: number; added: number };
