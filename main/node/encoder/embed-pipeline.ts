/**
 * The embedding pipeline of one job: workspace cutouts → preprocessing →
 * encoder → durable rows in the workspace's embedding matrix. Runs inside the
 * job's worker thread (embed-worker.ts); kept separate so it can be driven
 * from any host (worker thread, Electron utility process, a test).
 *
 * No object is encoded twice or skipped across runs: the list of objects to
 * do is the matrix's done bitmap at start, and a row is marked done only after
 * its vector is fsync'ed. A cutout that cannot be read or preprocessed, or
 * whose vector is not finite, is recorded as skipped and stays missing.
 */
import { AppError } from '@app/core/errors';
import type { Cutout } from '@app/domain/cutout';
import { Preprocessor } from '@app/encoder/preprocess';
import type { EmbeddingMatrix } from '../workspace/embeddings';
import { Workspace } from '../workspace/workspace';
import { ShardMatrix } from '../cluster/shards';
import type { EmbedCounts, EmbedRunResult, EmbedStartInfo, SkippedObject } from './embed-messages';
import { loadModelFolder } from './model-folder';
import { Encoder, type EncoderOutputs } from './session';

export interface EmbedWorkerInput {
  workspace: string;
  /** model folder */
  model: string;
  providers?: string[];
  batch: number;
  threads: number;
  /** forget existing rows of this model and encode everything again */
  force: boolean;
  /** embed only shard k of n into its own files (main/node/cluster/shards.ts); merge assembles them */
  shard?: { k: number; n: number };
}

/** where rows go: the workspace's matrix, or one shard's files */
type RowTarget = Pick<EmbeddingMatrix, 'write' | 'doneCount' | 'missing' | 'reset'>;

const MAX_SKIPPED_LISTED = 1000;

export class EmbedPipeline {
  private readonly counts: EmbedCounts;
  private readonly skippedObjects: SkippedObject[] = [];

  private constructor(
    private readonly ws: Workspace,
    private readonly enc: Encoder,
    private readonly pre: Preprocessor,
    private readonly emb: RowTarget,
    private readonly todo: Int32Array,
    private readonly info: EmbedStartInfo,
  ) {
    this.counts = { done: info.alreadyDone, total: info.total, encoded: 0, skipped: 0 };
  }

  static async open(input: EmbedWorkerInput): Promise<EmbedPipeline> {
    const folder = loadModelFolder(input.model);
    const m = folder.manifest;
    // a shard never writes the catalogue: array tasks on a shared filesystem open it read-only
    const ws = Workspace.open(input.workspace, { readonly: Boolean(input.shard) });
    let enc: Encoder | null = null;
    try {
      if (!ws.hasPixels)
        throw new AppError('UNAVAILABLE', `no pixels offline: ${ws.manifest.name} was imported from an embedding catalogue, there are no cutouts to encode`);
      enc = await Encoder.open(folder, { providers: input.providers, threads: input.threads });
      const spec = ws.manifest.cutout;
      let pre: Preprocessor;
      try {
        pre = new Preprocessor(m.preprocess, { bands: spec.bands, height: spec.size, width: spec.size }, enc.inputShape);
      } catch (e) {
        throw new AppError('MODEL_MISMATCH', `model ${m.name} cannot read workspace ${ws.dir} (bands ${spec.bands.join(',')}): ${(e as Error).message}`);
      }
      const notes: string[] = [];
      if (Math.abs(spec.pixscale - m.pixscale) > 0.05 * m.pixscale) {
        notes.push(`workspace pixel scale ${spec.pixscale}"/px differs from the model's ${m.pixscale}"/px: embeddings may be poor`);
      }
      const modelName = `${m.name} ${m.version}`;
      const meta = { name: m.name, version: m.version, sha256: folder.sha256, metric: m.metric, dir: folder.dir, patchTokens: m.outputs.patchTokens ?? null };
      const emb: RowTarget = input.shard
        ? ShardMatrix.open(ws.dir, input.shard, { objects: ws.count(), modelKey: folder.modelKey, modelName, dim: m.outputs.embedding.dim, meta }, input.batch)
        : ws.embeddings(folder.modelKey, m.outputs.embedding.dim, { modelName, meta });
      if (input.force) emb.reset();
      const alreadyDone = emb.doneCount();
      const todo = Int32Array.from(emb.missing());
      const info: EmbedStartInfo = {
        modelKey: folder.modelKey,
        modelName: m.name,
        modelVersion: m.version,
        modelDir: folder.dir,
        provider: enc.provider,
        attempts: enc.attempts,
        total: emb instanceof ShardMatrix ? emb.hi - emb.lo : ws.count(),
        alreadyDone,
        toDo: todo.length,
        batch: input.batch,
        threads: input.threads,
        notes,
      };
      return new EmbedPipeline(ws, enc, pre, emb, todo, info);
    } catch (e) {
      await enc?.release();
      ws.close();
      throw e;
    }
  }

  startInfo(): EmbedStartInfo {
    return this.info;
  }

  private skip(idx: number, reason: string): void {
    this.counts.skipped++;
    if (this.skippedObjects.length < MAX_SKIPPED_LISTED) this.skippedObjects.push({ idx, reason });
  }

  private cutoutsOf(start: number, count: number): (Cutout | null)[] {
    const spec = this.ws.manifest.cutout;
    const wrap = (data: Float32Array): Cutout => ({ bands: spec.bands, width: spec.size, height: spec.size, pixscale: spec.pixscale, unit: spec.unit, data });
    try {
      const block = this.ws.readCutoutBlock(start, count);
      const px = block.length / count;
      return Array.from({ length: count }, (_, i) => wrap(block.subarray(i * px, (i + 1) * px)));
    } catch {
      // isolate the unreadable records, keep the rest
      return Array.from({ length: count }, (_, i) => {
        try {
          return this.ws.getCutout(start + i);
        } catch (e) {
          this.skip(start + i, `cutout unreadable: ${(e as Error).message}`);
          return null;
        }
      });
    }
  }

  /** Preprocess the objects of `idxs` into buf; returns those that made it. */
  private prepare(idxs: Int32Array, buf: Float32Array): number[] {
    const ok: number[] = [];
    const size = this.pre.size;
    let i = 0;
    while (i < idxs.length) {
      let j = i + 1;
      while (j < idxs.length && idxs[j] === idxs[j - 1] + 1) j++;
      const cutouts = this.cutoutsOf(idxs[i], j - i);
      cutouts.forEach((c, r) => {
        if (!c) return;
        try {
          this.pre.run(c, buf, ok.length * size);
          ok.push(idxs[i + r]);
        } catch (e) {
          this.skip(idxs[i + r], `preprocessing failed: ${(e as Error).message}`);
        }
      });
      i = j;
    }
    return ok;
  }

  private store(idxs: number[], out: EncoderOutputs): void {
    const d = this.enc.dim;
    const good: number[] = [];
    const data = new Float32Array(idxs.length * d);
    idxs.forEach((idx, r) => {
      const row = out.embedding.subarray(r * d, (r + 1) * d);
      if (row.every(Number.isFinite)) {
        data.set(row, good.length * d);
        good.push(idx);
      } else this.skip(idx, 'the model produced a non-finite embedding');
    });
    if (good.length) this.emb.write(good, data.subarray(0, good.length * d));
    this.counts.encoded += good.length;
    this.counts.done += good.length;
  }

  /** Encode everything missing; stops after the batch in flight when `signal` aborts. Closes the workspace and session. */
  async run(signal: AbortSignal, onProgress: (c: EmbedCounts) => void): Promise<EmbedRunResult> {
    const t0 = performance.now();
    const batch = this.info.batch;
    const bufs = [new Float32Array(batch * this.pre.size), new Float32Array(batch * this.pre.size)];
    let pending: { idxs: number[]; out: Promise<EncoderOutputs> } | null = null;
    try {
      onProgress({ ...this.counts });
      let k = 0;
      for (let i = 0; i < this.todo.length && !signal.aborted; i += batch) {
        const buf = bufs[k++ & 1];
        const idxs = this.prepare(this.todo.subarray(i, i + batch), buf); // overlaps the batch in flight
        if (pending) {
          this.store(pending.idxs, await pending.out);
          onProgress({ ...this.counts });
        }
        pending = idxs.length ? { idxs, out: this.enc.run(buf, idxs.length) } : null;
      }
      if (pending) {
        this.store(pending.idxs, await pending.out);
        onProgress({ ...this.counts });
      }
    } finally {
      if (pending) await pending.out.catch(() => undefined); // never release a session with a run in flight
      await this.enc.release();
      if (this.emb instanceof ShardMatrix) this.emb.close();
      this.ws.close();
    }
    const seconds = (performance.now() - t0) / 1000;
    return {
      ...this.counts,
      cancelled: signal.aborted && this.counts.encoded + this.counts.skipped < this.todo.length,
      skippedObjects: this.skippedObjects,
      seconds,
    };
  }
}
