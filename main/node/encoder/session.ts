/**
 * An encoder session: a validated model folder + one ONNX Runtime session on
 * the first execution provider of a preference list that really works.
 *
 * Opening: (1) the manifest is validated; (2) a CPU session inspects the ONNX
 * file (a corrupt file → MODEL_INVALID) and its inputs/outputs and a dry run on
 * a zero batch are checked against the manifest (→ MODEL_MISMATCH); (3) the
 * providers are tried one at a time (create + dry run), each failure recorded
 * with its reason; the CPU inspection session is reused when CPU wins.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { AppError } from '@app/core/errors';
import { floatsToHalf, halfToFloats } from '@app/encoder/float16';
import type { ModelManifest } from '@app/encoder/manifest';
import { loadModelFolder, type ModelFolder } from './model-folder';
import { defaultProviderOrder, ortModule, parseProviders, unavailableReason, type ProviderName } from './providers';
import { checkOutputDims, checkSignature } from './signature';

export interface ProviderAttempt {
  provider: ProviderName;
  ok: boolean;
  /** why it failed (first line of ONNX Runtime's message, or 'not available on this platform') */
  reason?: string;
  ms: number;
}

export interface EncoderOptions {
  /** preference order ('cuda,cpu' or a list; unknown names → PROVIDER_UNKNOWN); default defaultProviderOrder() */
  providers?: string | string[];
  /** ONNX Runtime intra-op threads (0 = ORT's default: one per core) */
  threads?: number;
}

export interface EncoderOutputs {
  count: number;
  /** count x dim */
  embedding: Float32Array;
  /** count x (rows*cols) x patchDim, when asked for and the model has them */
  patchTokens: Float32Array | null;
}

/** ONNX Runtime's message without its source location / assertion preamble, one line. */
export function ortReason(e: unknown): string {
  let s = String((e as Error)?.message ?? e)
    .split('\n')[0]
    .trim();
  const assertion = / was false\. (.+)$/.exec(s);
  if (assertion) s = assertion[1];
  s = s.replace(/^\/\S+:\d+\s+\S*\s*/, '');
  return s.length > 200 ? s.slice(0, 197) + '...' : s;
}

async function createSession(path: string, provider: ProviderName, threads: number): Promise<InferenceSession> {
  return ortModule().InferenceSession.create(path, {
    executionProviders: [provider],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
}

export class Encoder {
  readonly folder: ModelFolder;
  readonly manifest: ModelManifest;
  readonly provider: ProviderName;
  readonly attempts: ProviderAttempt[];
  readonly threads: number;
  private session: InferenceSession | null;

  private constructor(folder: ModelFolder, session: InferenceSession, provider: ProviderName, attempts: ProviderAttempt[], threads: number) {
    this.folder = folder;
    this.manifest = folder.manifest;
    this.session = session;
    this.provider = provider;
    this.attempts = attempts;
    this.threads = threads;
  }

  get modelKey(): string {
    return this.folder.modelKey;
  }

  /** [C, H, W] of one preprocessed image */
  get inputShape(): [number, number, number] {
    const s = this.manifest.input.shape;
    return [s[1] as number, s[2] as number, s[3] as number];
  }

  get dim(): number {
    return this.manifest.outputs.embedding.dim;
  }

  /** the fixed batch size of the graph's input, or null when the batch axis is dynamic */
  get fixedBatch(): number | null {
    const b = this.manifest.input.shape[0];
    return typeof b === 'number' ? b : null;
  }

  static async open(model: string | ModelFolder, opts: EncoderOptions = {}): Promise<Encoder> {
    const folder = typeof model === 'string' ? loadModelFolder(model) : model;
    const order = opts.providers === undefined ? defaultProviderOrder() : parseProviders(opts.providers);
    const threads = opts.threads ?? 0;
    const where = `${folder.dir}`;
    let inspect: InferenceSession;
    try {
      inspect = await createSession(folder.onnxPath, 'cpu', threads);
    } catch (e) {
      throw new AppError('MODEL_INVALID', `${folder.onnxPath}: ONNX Runtime cannot load it (${ortReason(e)})`);
    }
    const attempts: ProviderAttempt[] = [];
    let chosen: { s: InferenceSession; p: ProviderName } | null = null;
    try {
      checkSignature(inspect, folder.manifest, where);
      const probe = new Encoder(folder, inspect, 'cpu', attempts, threads);
      const batch = probe.fixedBatch ?? 1;
      const out = await probe.rawRun(new Float32Array(batch * probe.inputSize), batch, true);
      checkOutputDims(batch, out.dims, folder.manifest, where);
      for (const p of order) {
        const t0 = performance.now();
        const why = unavailableReason(p);
        if (why) {
          attempts.push({ provider: p, ok: false, reason: why, ms: 0 });
          continue;
        }
        if (p === 'cpu') {
          attempts.push({ provider: p, ok: true, ms: 0 });
          chosen = { s: inspect, p };
          break;
        }
        let s: InferenceSession | null = null;
        try {
          s = await createSession(folder.onnxPath, p, threads);
          const trial = new Encoder(folder, s, p, attempts, threads);
          const r = await trial.rawRun(new Float32Array(batch * probe.inputSize), batch, true);
          checkOutputDims(batch, r.dims, folder.manifest, `${where} on ${p}`);
          attempts.push({ provider: p, ok: true, ms: Math.round(performance.now() - t0) });
          chosen = { s, p };
          break;
        } catch (e) {
          if (s) await s.release().catch(() => undefined);
          attempts.push({ provider: p, ok: false, reason: ortReason(e), ms: Math.round(performance.now() - t0) });
        }
      }
    } finally {
      if (!chosen || chosen.s !== inspect) await inspect.release().catch(() => undefined);
    }
    if (!chosen) {
      const why = attempts.map((a) => `${a.provider}: ${a.reason}`).join('; ');
      throw new AppError('PROVIDER_UNAVAILABLE', `no execution provider could run ${folder.manifest.name} (${why})`, { attempts });
    }
    return new Encoder(folder, chosen.s, chosen.p, attempts, threads);
  }

  get inputSize(): number {
    const [c, h, w] = this.inputShape;
    return c * h * w;
  }

  private async rawRun(
    input: Float32Array,
    count: number,
    withPatches: boolean,
  ): Promise<{ data: Record<string, Float32Array>; dims: Record<string, readonly number[]> }> {
    if (!this.session) throw new AppError('INTERNAL', `encoder session for ${this.manifest.name} is closed`);
    const ort = ortModule();
    const [c, h, w] = this.inputShape;
    const m = this.manifest;
    const tensor =
      m.input.dtype === 'float16'
        ? new ort.Tensor('float16', floatsToHalf(input.subarray(0, count * c * h * w)), [count, c, h, w])
        : new ort.Tensor('float32', input.subarray(0, count * c * h * w), [count, c, h, w]);
    const fetches = [m.outputs.embedding.name];
    if (withPatches && m.outputs.patchTokens) fetches.push(m.outputs.patchTokens.name);
    const res = await this.session.run({ [m.input.name]: tensor }, fetches);
    const data: Record<string, Float32Array> = {};
    const dims: Record<string, readonly number[]> = {};
    for (const name of fetches) {
      const t = res[name];
      dims[name] = t.dims;
      if (t.type === 'float32') data[name] = t.data as Float32Array;
      else if (t.type === 'float16') data[name] = halfToFloats(t.data as Uint16Array);
      else throw new AppError('MODEL_MISMATCH', `${this.folder.dir}: output '${name}' is ${t.type}, expected float32 or float16`);
    }
    return { data, dims };
  }

  /**
   * Encode `count` preprocessed images laid out as count x C x H x W in `input`.
   * A graph with a fixed batch size is fed in chunks of that size (zero-padded).
   */
  async run(input: Float32Array, count: number, opts: { patchTokens?: boolean } = {}): Promise<EncoderOutputs> {
    const want = Boolean(opts.patchTokens && this.manifest.outputs.patchTokens);
    const fixed = this.fixedBatch;
    const size = this.inputSize;
    if (input.length < count * size) throw new AppError('BAD_INPUT', `encoder input holds ${input.length} values, ${count} images need ${count * size}`);
    if (fixed === null) {
      const r = await this.rawRun(input, count, want);
      return { count, embedding: r.data[this.manifest.outputs.embedding.name], patchTokens: want ? r.data[this.manifest.outputs.patchTokens!.name] : null };
    }
    const pt = this.manifest.outputs.patchTokens;
    const embedding = new Float32Array(count * this.dim);
    const patchLen = pt ? pt.grid[0] * pt.grid[1] * pt.dim : 0;
    const patchTokens = want ? new Float32Array(count * patchLen) : null;
    const chunk = new Float32Array(fixed * size);
    for (let s = 0; s < count; s += fixed) {
      const k = Math.min(fixed, count - s);
      chunk.fill(0);
      chunk.set(input.subarray(s * size, (s + k) * size));
      const r = await this.rawRun(chunk, fixed, want);
      embedding.set(r.data[this.manifest.outputs.embedding.name].subarray(0, k * this.dim), s * this.dim);
      if (patchTokens) patchTokens.set(r.data[pt!.name].subarray(0, k * patchLen), s * patchLen);
    }
    return { count, embedding, patchTokens };
  }

  async release(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s) await s.release();
  }
}
