/**
 * probe.exportCandidates: the candidate table of a search written through
 * the discovery facade's exportCandidates (the one `latent-sky export
 * --search` uses: same ranking, same columns, model and round included) to a
 * folder the contract's path guard allowed (default: the workspace's
 * exports/), under a name that says search, round and time.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportFormat, ExportResult } from '@app/contracts';
import { discoveryFacade } from '../discovery/facade';
import type { EngineContext } from '../session/context';

const EXT: Record<ExportFormat, string> = { csv: 'csv', fits: 'fits', votable: 'vot' };

export function exportCandidatesTo(ctx: EngineContext, input: { search: string; format: ExportFormat; top: number; folder?: string }): ExportResult {
  const folder = input.folder ?? ctx.ws().path('exports');
  mkdirSync(folder, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  const file = join(folder, `${input.search.replace(/[^\w.-]+/g, '_')}-candidates-${stamp}.${EXT[input.format]}`);
  const r = discoveryFacade(ctx).exportCandidates(input.search, file, input.format, input.top);
  return { path: r.path, rows: r.rows, format: input.format, model: r.model, round: r.round };
}
