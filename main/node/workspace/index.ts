/** The on-disk workspace store: one folder per project (see workspace.ts for the layout). */
export { Workspace, type AddItem, type AreaKind, type CreateOptions } from './workspace';
export { EmbeddingMatrix, EMB_HEADER_BYTES, EMB_MAGIC, MODEL_KEY_RE, readHeader as readEmbeddingHeader } from './embeddings';
export { LabelStore, type Label, type LabelEvent, type LabelSource, type SearchSummary } from './labels';
export { labelChanges, undoTarget, type LabelChange } from './label-history';
export { RoundStore, type Round } from './rounds';
export { VettingStore, type VettingEntry, type VettingInput, type VettingListSummary } from './vetting';
export { KvStore } from './kv';
export { type WorkspaceStats } from './info';
export { type CutoutDtype, type CutoutSpec, type WorkspaceManifest, APP_VERSION, WORKSPACE_FORMAT, WORKSPACE_FORMAT_VERSION } from './manifest';
export { decodeF16, encodeF16 } from './float16';
