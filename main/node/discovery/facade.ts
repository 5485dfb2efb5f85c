/**
 * The discovery facade of the Engine: object references, labels, probe
 * rounds (ranked as discovery/ranking.ts ranks) and candidate / embedding
 * exports, on the engine's open workspace and its active model. The CLI
 * commands and the contract adapters both call these.
 */
import { AppError } from '@app/core/errors';
import { exportCandidates, exportEmbeddings, formatFromPath, type EmbeddingFormat, type ExportReport, type TableFormat } from '../export/write-export';
import { activeView } from '../vectors/active-view';
import type { EngineContext } from '../session/context';
import { labelEvents } from '../session/label-watch';
import type { Label } from '../workspace/labels';
import type { LabelChange } from '../workspace/label-history';
import { objectIdx } from './embedding-view';
import { ensureMorphology } from '../features/ensure';
import { runProbeRound, type RoundOptions, type RoundResult } from './probe-round';
import { setSearchSettings, type SearchSettings } from './search-settings';

export function discoveryFacade(ctx: EngineContext) {
  const search = (name: string) => {
    if (!ctx.ws().labels.hasSearch(name)) throw new AppError('UNKNOWN_SEARCH', `no search named '${name}' in ${ctx.ws().manifest.name}`);
    return name;
  };
  return {
    /** idx of an object given as its external id or as '#idx' */
    objectIdx: (ref: string): number => objectIdx(ctx.ws(), ref),
    hasSearch: (name: string): boolean => ctx.ws().labels.hasSearch(name),
    createSearch(name: string, description?: string): void {
      if (ctx.ws().labels.hasSearch(name)) throw new AppError('CONFLICT', `a search named '${name}' already exists`);
      ctx.ws().labels.createSearch(name, { description });
    },
    /** sets (label) or clears (null) labels in one transaction; one 'labels' event per label value */
    setLabels(name: string, entries: { idx: number; label: Label | null }[]): void {
      ctx.ws().labels.setMany(search(name), entries, 'user');
      for (const e of labelEvents(entries.map((x) => ({ search: name, ...x })))) ctx.bus.emit(e);
    },
    /** reverses a label change (or the newest one's batch) by new events (LabelStore.undo); 'labels' events as for any change */
    undoLabel(name: string, seq?: number): LabelChange[] {
      const changes = ctx.ws().labels.undo(search(name), seq);
      const byLabel = new Map<Label | null, number[]>();
      for (const c of changes) byLabel.set(c.to, [...(byLabel.get(c.to) ?? []), c.idx]);
      for (const [label, idx] of byLabel) ctx.bus.emit({ type: 'labels', search: name, indices: Int32Array.from(idx), label });
      return changes;
    },
    /** the search's label history as changes, oldest first */
    labelChanges: (name: string): LabelChange[] => ctx.ws().labels.changes(search(name)),
    /** the search's probe settings (feature set, exploit share); `patch` changes them and they are kept */
    settings(name: string, patch: Partial<SearchSettings> = {}): SearchSettings {
      return setSearchSettings(ctx.ws(), search(name), patch);
    },
    /** computes the morphology features the workspace still lacks (the features job); rows computed */
    ensureFeatures(log: (line: string) => void, signal?: AbortSignal): Promise<number> {
      return ensureMorphology(ctx.ws(), log, signal);
    },
    /** one recorded probe round on the active (or requested) model */
    round(name: string, opts: RoundOptions & { model?: string } = {}): RoundResult {
      return runProbeRound(ctx.ws(), activeView(ctx, opts.model), search(name), opts);
    },
    formatFromPath,
    exportCandidates(name: string, out: string, format: TableFormat, top = 1000, model?: string): ExportReport {
      return exportCandidates(ctx.ws(), activeView(ctx, model), search(name), out, format, top);
    },
    exportEmbeddings(out: string, format: EmbeddingFormat, model?: string): ExportReport {
      return exportEmbeddings(ctx.ws(), activeView(ctx, model), out, format);
    },
  };
}

export type DiscoveryFacade = ReturnType<typeof discoveryFacade>;
