/**
 * Patch tokens of one object on demand (the inspector's overlay), cached in
 * WS/cache/patch/<modelKey>/<idx>.f32: a 16-byte header ('LSPT', u32 rows,
 * cols, dim, little endian) then rows*cols*dim float32, written atomically.
 * The encoder session is opened on first use (CPU by default: one object does
 * not repay a GPU session's start-up) and kept until close().
 */
import { existsSync, readFileSync } from 'node:fs';
import { AppError } from '@app/core/errors';
import type { PatchOverlay } from '@app/contracts/types';
import { toPatchOverlay } from '@app/encoder/patch-pca';
import { applyPatchBasis } from '@app/encoder/patch-basis';
import { patchBasis, REFERENCE_SEED } from './patch-basis-cache';
import { Preprocessor } from '@app/encoder/preprocess';
import { writeFileAtomic } from '../workspace/fsutil';
import type { Workspace } from '../workspace/workspace';
import { loadModelFolder, type ModelFolder } from './model-folder';
import { Encoder, type EncoderOptions } from './session';

export interface PatchTokens {
  idx: number;
  rows: number;
  cols: number;
  dim: number;
  /** rows*cols x dim, row-major grid (token row 0 = first array row of the cutout) */
  tokens: Float32Array;
  /** true when read from the cache */
  cached: boolean;
}

const MAGIC = 0x5450534c; // 'LSPT' little endian

export class PatchTokenService {
  readonly folder: ModelFolder;
  private enc: Promise<Encoder> | null = null;

  constructor(
    private readonly ws: Workspace,
    model: string | ModelFolder,
    private readonly opts: EncoderOptions = { providers: ['cpu'] },
  ) {
    this.folder = typeof model === 'string' ? loadModelFolder(model) : model;
    if (!this.folder.manifest.outputs.patchTokens) {
      throw new AppError('BAD_INPUT', `model ${this.folder.manifest.name} has no patch-token output (manifest outputs.patchTokens)`);
    }
  }

  /** whether an encoder session is open (until close()) */
  get isOpen(): boolean {
    return this.enc !== null;
  }

  cachePath(idx: number): string {
    return this.ws.path('cache', 'patch', this.folder.modelKey, `${idx}.f32`);
  }

  private readCache(idx: number): PatchTokens | null {
    const p = this.cachePath(idx);
    if (!existsSync(p)) return null;
    const b = readFileSync(p);
    if (b.length < 16 || b.readUInt32LE(0) !== MAGIC) return null;
    const rows = b.readUInt32LE(4),
      cols = b.readUInt32LE(8),
      dim = b.readUInt32LE(12);
    if (b.length !== 16 + rows * cols * dim * 4) return null; // torn or foreign file: recompute
    const tokens = new Float32Array(rows * cols * dim);
    new Uint8Array(tokens.buffer).set(b.subarray(16));
    return { idx, rows, cols, dim, tokens, cached: true };
  }

  private encoder(): Promise<Encoder> {
    this.enc ??= Encoder.open(this.folder, this.opts).catch((e) => {
      this.enc = null;
      throw e;
    });
    return this.enc;
  }

  /** The object's patch tokens, from the cache or computed (and cached). */
  async tokens(idx: number): Promise<PatchTokens> {
    const hit = this.readCache(idx);
    if (hit) return hit;
    const cutout = this.ws.getCutout(idx);
    const enc = await this.encoder();
    const pt = enc.manifest.outputs.patchTokens!;
    const pre = new Preprocessor(enc.manifest.preprocess, { bands: cutout.bands, height: cutout.height, width: cutout.width }, enc.inputShape);
    const input = new Float32Array(pre.size);
    pre.run(cutout, input, 0);
    const out = await enc.run(input, 1, { patchTokens: true });
    const [rows, cols] = pt.grid;
    const tokens = Float32Array.from(out.patchTokens!.subarray(0, rows * cols * pt.dim));
    const file = Buffer.alloc(16 + tokens.byteLength);
    file.writeUInt32LE(MAGIC, 0);
    file.writeUInt32LE(rows, 4);
    file.writeUInt32LE(cols, 8);
    file.writeUInt32LE(pt.dim, 12);
    Buffer.from(tokens.buffer).copy(file, 16);
    writeFileAtomic(this.cachePath(idx), file);
    return { idx, rows, cols, dim: pt.dim, tokens, cached: false };
  }

  /**
   * RGB overlay: the object's patch tokens in the workspace's shared PCA basis for this model
   * (patch-basis-cache.ts: fitted once over a fixed reference sample), so colours mean the same on every object.
   */
  async overlay(idx: number): Promise<PatchOverlay> {
    const t = await this.tokens(idx);
    const basis = await patchBasis(this.ws, this, t.dim);
    return {
      ...toPatchOverlay(idx, applyPatchBasis(basis, t.tokens, t.rows, t.cols)),
      reference: { objects: basis.reference.objects.length, tokens: basis.reference.tokens, seed: REFERENCE_SEED },
    };
  }

  async close(): Promise<void> {
    const e = this.enc;
    this.enc = null;
    if (e) await (await e.catch(() => null))?.release();
  }
}
