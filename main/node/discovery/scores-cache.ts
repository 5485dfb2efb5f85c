/**
 * The latest score column of each search, kept in WS/cache/scores/ as a raw
 * float32 file (N values) with a JSON sidecar (search, model, round). Export
 * and filtered queries read it instead of refitting.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hashString } from '@app/core/rng';
import type { Workspace } from '../workspace';
import { writeFileAtomic } from '../workspace/fsutil';

export interface ScoresMeta {
  search: string;
  model: string;
  round: number;
  mode: string;
  n: number;
}

function base(ws: Workspace, search: string): string {
  const slug = search.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40);
  return ws.path('cache', 'scores', `${slug}-${hashString(search).toString(16)}`);
}

export function saveScores(ws: Workspace, meta: ScoresMeta, scores: Float32Array): void {
  const b = base(ws, meta.search);
  writeFileAtomic(`${b}.f32`, new Uint8Array(scores.buffer, scores.byteOffset, scores.byteLength));
  writeFileAtomic(`${b}.json`, JSON.stringify(meta));
}

/** null when the search has never been scored (or for another model / object count). */
export function loadScores(ws: Workspace, search: string, model?: string): { meta: ScoresMeta; scores: Float32Array } | null {
  const b = base(ws, search);
  if (!existsSync(`${b}.json`) || !existsSync(`${b}.f32`)) return null;
  const meta = JSON.parse(readFileSync(`${b}.json`, 'utf8')) as ScoresMeta;
  if (meta.search !== search || (model && meta.model !== model)) return null;
  const buf = readFileSync(`${b}.f32`);
  if (buf.byteLength !== meta.n * 4) return null;
  const scores = new Float32Array(meta.n);
  new Uint8Array(scores.buffer).set(buf);
  return { meta, scores };
}
