/**
 * The service contract between the engine (main/node/services, in Node) and
 * the renderer. One interface per service; every method takes ONE plain input
 * object and returns a Promise. The same object is reached in-process (tests),
 * over Electron IPC (preload: window.latentSky) and over the dev host's
 * loopback WebSocket — see bridge.ts.
 */
import type {
  CatalogObject,
  ClassColumn,
  CutoutLayer,
  LabelChangeInfo,
  ModelInfo,
  CutoutData,
  ExportFormat,
  ExportResult,
  FeatureFlag,
  Grade,
  JobInfo,
  LabelColumn,
  LabelValue,
  Neighbours,
  NumericColumn,
  PatchOverlay,
  Positions,
  ProbeResult,
  Projection,
  ProjectionMethod,
  RecentWorkspace,
  ProbeFeatureSet,
  RoundInfo,
  SampSent,
  SampStatus,
  SearchInfo,
  VettingList,
  VettingListInfo,
  WorkspaceInfo,
} from './types';
import type { IngestService } from './ingest';
import type { SkyService } from './sky';

export type NoInput = Record<string, never>;

export interface WorkspaceService {
  /** the open workspace, null when none */
  info(input: NoInput): Promise<WorkspaceInfo | null>;
  open(input: { path: string }): Promise<WorkspaceInfo>;
  /** builds a synthetic demo workspace (survey + embeddings + projections) as a job */
  createDemo(input: { path: string; count: number; seed: number }): Promise<JobInfo>;
  recent(input: NoInput): Promise<RecentWorkspace[]>;
}

export interface CatalogService {
  positions(input: NoInput): Promise<Positions>;
  /** 'truth' (synthetic ground truth) or any text column as class codes */
  classes(input: { column: string }): Promise<ClassColumn>;
  numeric(input: { column: string }): Promise<NumericColumn>;
  object(input: { idx: number }): Promise<CatalogObject>;
}

export interface CutoutService {
  get(input: { idx: number }): Promise<CutoutData>;
  /**
   * the object's cutout in a Legacy Survey layer, fetched at its catalogue ra/dec with the
   * workspace's cutout spec (any workspace) and cached per layer; UNAVAILABLE at once offline
   */
  layer(input: { idx: number; layer: CutoutLayer }): Promise<CutoutData>;
}

export interface EmbeddingService {
  /** a computed projection of the active model's embeddings; NOT_FOUND when not computed */
  projection(input: { method: ProjectionMethod }): Promise<Projection>;
  /** model: an installed model's name or name@version (ModelsService.list), 'pixel-pca', or null = the default */
  startEmbed(input: { model: string | null }): Promise<JobInfo>;
  startProjection(input: { method: ProjectionMethod }): Promise<JobInfo>;
}

export interface JobService {
  list(input: NoInput): Promise<JobInfo[]>;
  cancel(input: { id: string }): Promise<JobInfo>;
}

export interface SearchService {
  /** k nearest neighbours of idx in the active model's embedding */
  neighbours(input: { idx: number; k: number }): Promise<Neighbours>;
}

export interface ProbeService {
  searches(input: NoInput): Promise<SearchInfo[]>;
  create(input: { name: string; description: string }): Promise<SearchInfo>;
  setLabel(input: { search: string; idx: number; label: LabelValue }): Promise<SearchInfo>;
  /** one label (or none) for many objects (a lasso, a selection): one transaction, one event */
  setLabels(input: { search: string; indices: Int32Array; label: LabelValue }): Promise<SearchInfo>;
  labels(input: { search: string }): Promise<LabelColumn>;
  /** the search's label history, newest first (at most `limit` entries): kept in the workspace across restarts */
  history(input: { search: string; limit: number }): Promise<LabelChangeInfo[]>;
  /**
   * reverses change `seq`, or the newest user change not yet undone with the rest of its batch (one bulk call),
   * by NEW events that put the old labels back (history is never deleted); returns those events.
   * NOT_FOUND nothing to undo, CONFLICT already undone or relabelled since
   */
  undo(input: { search: string; seq?: number }): Promise<{ changes: LabelChangeInfo[]; info: SearchInfo }>;
  /** trains the linear probe on the search's labels and records a round */
  retrain(input: { search: string; features?: ProbeFeatureSet; exploit?: number }): Promise<ProbeResult>;
  /** the latest round's result, null before the first retrain */
  result(input: { search: string }): Promise<ProbeResult | null>;
  rounds(input: { search: string }): Promise<RoundInfo[]>;
  /** ranked candidates with scores and labels as CSV in the workspace's exports/ */
  exportRanked(input: { search: string; top: number }): Promise<ExportResult>;
  /**
   * the candidate table `latent-sky export --search` writes (same ranking, same columns, with
   * model and round), in any of its formats, to `folder` (a folder the path guard allows;
   * default: the workspace's exports/)
   */
  exportCandidates(input: { search: string; format: ExportFormat; top: number; folder?: string }): Promise<ExportResult>;
}

export interface VettingService {
  lists(input: NoInput): Promise<VettingListInfo[]>;
  /** a vetting list from a search's top-ranked candidates (kept if it exists) */
  createFromSearch(input: { name: string; search: string; top: number }): Promise<VettingList>;
  get(input: { name: string }): Promise<VettingList>;
  grade(input: { name: string; idx: number; grade: Grade; features: FeatureFlag[]; note: string }): Promise<VettingListInfo>;
  export(input: { name: string }): Promise<ExportResult>;
}

export interface PatchService {
  /** RGB from the first 3 PCs of the object's patch tokens (computed on demand) */
  overlay(input: { idx: number }): Promise<PatchOverlay>;
}

/** Installed encoder models: what the Embed button can use, and adding a user's own model folder. */
export interface ModelsService {
  list(input: NoInput): Promise<ModelInfo[]>;
  /**
   * validates a model folder (manifest, ONNX signature, a dry run on CPU; MODEL_INVALID /
   * MODEL_MISMATCH naming what is wrong) and records it, like `latent-sky models --add DIR`
   */
  add(input: { path: string }): Promise<ModelInfo>;
}

/**
 * SAMP: the link to other VO tools through a hub. Without a hub the status is
 * 'no-hub' and sends fail with NETWORK; nothing else is affected. Objects
 * other tools point at arrive as 'sampObject' events.
 */
export interface SampService {
  status(input: NoInput): Promise<SampStatus>;
  /** registers with the hub found by its lockfile; 'no-hub' is a status, not an error */
  connect(input: NoInput): Promise<SampStatus>;
  disconnect(input: NoInput): Promise<SampStatus>;
  /** the `top` best candidates of a search's latest round (with scores) as a VOTable */
  sendSearch(input: { search: string; top: number }): Promise<SampSent>;
  /** chosen objects (a selection) as a VOTable, in the given order */
  sendSelection(input: { indices: Int32Array }): Promise<SampSent>;
  /** every object of the open workspace */
  sendWorkspace(input: NoInput): Promise<SampSent>;
  /** coord.pointAt.sky at the object's position; returns the recipients */
  pointAt(input: { idx: number }): Promise<{ recipients: string[] }>;
  /**
   * table.select.rowList of these objects (empty: none) to each tool that loaded a table we sent
   * (or that sent us one naming our objects), with that table's rows, table-id and url
   */
  select(input: { indices: Int32Array }): Promise<{ recipients: string[]; tables: number }>;
}

/** The whole contract. window.latentSky is a LatentSkyBridge; createApiClient turns it into this. */
export interface LatentSkyApi {
  workspace: WorkspaceService;
  catalog: CatalogService;
  cutouts: CutoutService;
  embeddings: EmbeddingService;
  jobs: JobService;
  search: SearchService;
  probe: ProbeService;
  vetting: VettingService;
  patches: PatchService;
  samp: SampService;
  models: ModelsService;
  /** bringing objects in: Legacy Survey downloads, image folders, HDF5 files (./ingest.ts) */
  ingest: IngestService;
  /** names on the sky (workspace ids, the bundled Messier/NGC/IC list, CDS Sesame) and HiPS backgrounds (./sky.ts) */
  sky: SkyService;
}
