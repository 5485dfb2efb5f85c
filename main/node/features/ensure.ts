/**
 * Computes the morphology features a workspace still lacks, in-process on
 * the caller's behalf (CLI probe), printing one progress line: the features
 * job (worker threads) on the open workspace's folder.
 */
import type { Workspace } from '../workspace';
import { runFeaturesJob } from './features-job';

export async function ensureMorphology(ws: Workspace, log: (line: string) => void, signal?: AbortSignal): Promise<number> {
  if (!ws.hasPixels) {
    // a workspace imported from an embedding catalogue has no cutouts to measure: the probe's `both`
    // uses the embedding alone and its round says so (discovery/representation.ts)
    return 0;
  }
  const m = ws.morphology();
  if (m && m.doneCount() >= ws.count()) return 0;
  const r = await runFeaturesJob({ workspace: ws.dir, signal });
  if (r.unsupported) log(r.unsupported);
  if (r.computed) log(`computed morphology features (${r.key}) for ${r.computed} objects in ${r.seconds.toFixed(1)} s`);
  return r.computed;
}
