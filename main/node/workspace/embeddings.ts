/**
 * WS/embeddings/<modelKey>/matrix.f32: a 4096-byte header then rows x dim
 * float32 (little endian), row idx at byte 4096 + idx * dim * 4, so the data
 * can be memory-mapped or read in blocks. Header (little endian):
 *   0  'LSEMB1\0\0'   8  u32 format version (1)   12 u32 header bytes (4096)
 *   16 u32 dim        20 u32 dtype (1 = float32)  24 u32 row capacity
 *   28 u32 model-name bytes   32.. model name (UTF-8, at most 1024 bytes)
 * WS/embeddings/<modelKey>/done.bits: bit idx set = row idx is written. Rows
 * are fsync'ed before their bits are set, and bits only go 0 -> 1 (until
 * reset), so after a crash every row marked done holds its vector.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@app/core/errors';
import { immediate, type Db } from './db';
import { fsyncDir, persistDoneBits, writeAllAt, writeFileAtomic } from './fsutil';

export const EMB_MAGIC = 'LSEMB1\0\0';
export const EMB_HEADER_BYTES = 4096;
const MAX_NAME = 1024;
export const MODEL_KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface EmbeddingHeader {
  dim: number;
  capacity: number;
  modelName: string;
}

export function encodeHeader(h: EmbeddingHeader): Uint8Array {
  const buf = Buffer.alloc(EMB_HEADER_BYTES);
  buf.write(EMB_MAGIC, 0, 'latin1');
  buf.writeUInt32LE(1, 8);
  buf.writeUInt32LE(EMB_HEADER_BYTES, 12);
  buf.writeUInt32LE(h.dim, 16);
  buf.writeUInt32LE(1, 20);
  buf.writeUInt32LE(h.capacity, 24);
  const name = Buffer.from(h.modelName, 'utf8').subarray(0, MAX_NAME);
  buf.writeUInt32LE(name.length, 28);
  name.copy(buf, 32);
  return buf;
}

export function readHeader(path: string): EmbeddingHeader {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(EMB_HEADER_BYTES);
    const n = readSync(fd, buf, 0, EMB_HEADER_BYTES, 0);
    const bad = (why: string) => new AppError('WORKSPACE_INVALID', `${path}: ${why}`);
    if (n < 32 || buf.toString('latin1', 0, 8) !== EMB_MAGIC) throw bad('not an embedding matrix (bad magic)');
    if (buf.readUInt32LE(8) !== 1 || buf.readUInt32LE(12) !== EMB_HEADER_BYTES || buf.readUInt32LE(20) !== 1) throw bad('unsupported header version or dtype');
    const nameLen = Math.min(buf.readUInt32LE(28), MAX_NAME);
    return { dim: buf.readUInt32LE(16), capacity: buf.readUInt32LE(24), modelName: buf.toString('utf8', 32, 32 + nameLen) };
  } finally {
    closeSync(fd);
  }
}

function popcount8(b: number): number {
  b = b - ((b >> 1) & 0x55);
  b = (b & 0x33) + ((b >> 2) & 0x33);
  return (b + (b >> 4)) & 0x0f;
}

export class EmbeddingMatrix {
  /** bytes per read when loading rows: under the 2 GB one read may ask for (a test sets it small) */
  static readSliceBytes = 1 << 30;
  readonly path: string;
  readonly donePath: string;
  readonly dim: number;
  readonly modelName: string;
  private fd: number;
  private capacity: number;

  /** Opens (or, with dim, creates) the matrix of `modelKey` under `root`. Use Workspace.embeddings(). */
  constructor(
    readonly modelKey: string,
    root: string,
    private readonly db: Db,
    private readonly countObjects: () => number,
    private readonly readonly: boolean,
    create?: { dim: number; modelName: string },
  ) {
    const dir = join(root, modelKey);
    this.path = join(dir, 'matrix.f32');
    this.donePath = join(dir, 'done.bits');
    if (!existsSync(this.path)) {
      if (!create) throw new AppError('NO_EMBEDDINGS', `no embeddings for model '${modelKey}' in this workspace`);
      mkdirSync(dir, { recursive: true });
      fsyncDir(root);
      writeFileAtomic(this.donePath, new Uint8Array(0));
      writeFileAtomic(this.path, encodeHeader({ dim: create.dim, capacity: 0, modelName: create.modelName }));
    }
    const h = readHeader(this.path);
    if (create && create.dim !== h.dim)
      throw new AppError('MODEL_MISMATCH', `embeddings '${modelKey}' have dim ${h.dim}, asked for ${create.dim} (use another model key or reset)`);
    this.dim = h.dim;
    this.capacity = h.capacity;
    this.modelName = h.modelName;
    this.fd = openSync(this.path, readonly ? 'r' : 'r+');
    if (!existsSync(this.donePath) && !readonly) writeFileAtomic(this.donePath, new Uint8Array(0));
  }

  private get rowBytes(): number {
    return this.dim * 4;
  }

  /** N, the workspace's object count (rows beyond what was written read as not done). */
  rows(): number {
    return this.countObjects();
  }

  /** The done bitmap, read fresh from disk (another process or thread may be writing). */
  private bits(): Uint8Array {
    if (!existsSync(this.donePath)) return new Uint8Array(0);
    const fd = openSync(this.donePath, 'r');
    try {
      const size = fstatSync(fd).size;
      const out = new Uint8Array(size);
      let got = 0;
      while (got < size) {
        const n = readSync(fd, out, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      return out;
    } finally {
      closeSync(fd);
    }
  }

  doneCount(): number {
    const b = this.bits(),
      n = this.rows();
    let c = 0;
    const full = Math.min(b.length, n >> 3);
    for (let i = 0; i < full; i++) c += popcount8(b[i]);
    for (let i = full * 8; i < n; i++) if ((b[i >> 3] ?? 0) & (1 << (i & 7))) c++;
    return c;
  }

  isDone(idx: number): boolean {
    if (!Number.isInteger(idx) || idx < 0 || idx >= this.rows() || !existsSync(this.donePath)) return false;
    const fd = openSync(this.donePath, 'r');
    try {
      const byte = new Uint8Array(1);
      return readSync(fd, byte, 0, 1, idx >> 3) === 1 && (byte[0] & (1 << (idx & 7))) !== 0;
    } finally {
      closeSync(fd);
    }
  }

  /** One entry per object: 1 when its row is written, else 0 (for bulk checks; isDone() reads the disk each call). */
  doneMask(): Uint8Array {
    const b = this.bits(),
      n = this.rows();
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = ((b[i >> 3] ?? 0) >> (i & 7)) & 1;
    return out;
  }

  /** Object indices without a vector yet, ascending, at most `limit`. */
  missing(limit = Infinity): number[] {
    const b = this.bits(),
      n = this.rows(),
      out: number[] = [];
    for (let i = 0; i < n && out.length < limit; i++) if (!((b[i >> 3] ?? 0) & (1 << (i & 7)))) out.push(i);
    return out;
  }

  /** Stores rows `idxs` (data is idxs.length x dim); durable (fsync) before they are marked done. */
  write(idxs: ArrayLike<number>, data: Float32Array): void {
    if (this.readonly) throw new AppError('READ_ONLY', `embeddings '${this.modelKey}': workspace opened read-only`);
    const k = idxs.length,
      n = this.rows();
    if (data.length !== k * this.dim) throw new AppError('BAD_INPUT', `embeddings '${this.modelKey}': ${data.length} values for ${k} rows of dim ${this.dim}`);
    for (let i = 0; i < k; i++) {
      const idx = idxs[i];
      if (!Number.isInteger(idx) || idx < 0 || idx >= n)
        throw new AppError('UNKNOWN_OBJECT', `embeddings '${this.modelKey}': no object ${idx} (workspace holds ${n})`);
    }
    for (let i = 0; i < data.length; i++)
      if (!Number.isFinite(data[i]))
        throw new AppError('BAD_INPUT', `embeddings '${this.modelKey}': non-finite value in row for object ${idxs[Math.floor(i / this.dim)]}`);
    let maxIdx = -1;
    for (let i = 0; i < k; i++) maxIdx = Math.max(maxIdx, idxs[i]);
    if (maxIdx >= this.capacity) this.grow(Math.max(maxIdx + 1, n));
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let i = 0;
    while (i < k) {
      let j = i + 1;
      while (j < k && idxs[j] === idxs[j - 1] + 1) j++;
      writeAllAt(this.fd, bytes.subarray(i * this.rowBytes, j * this.rowBytes), EMB_HEADER_BYTES + idxs[i] * this.rowBytes);
      i = j;
    }
    fsyncSync(this.fd);
    this.markDone(idxs);
  }

  private grow(capacity: number): void {
    // header capacity is rewritten in place (a 4-byte aligned u32 within one sector)
    const cur = readHeader(this.path).capacity;
    if (cur >= capacity) {
      this.capacity = cur;
      return;
    }
    if (fstatSync(this.fd).size < EMB_HEADER_BYTES + capacity * this.rowBytes) ftruncateSync(this.fd, EMB_HEADER_BYTES + capacity * this.rowBytes);
    const b = Buffer.alloc(4);
    b.writeUInt32LE(capacity);
    writeAllAt(this.fd, b, 24);
    fsyncSync(this.fd);
    this.capacity = capacity;
  }

  private markDone(idxs: ArrayLike<number>): void {
    // the catalogue's write lock serialises read-modify-write of the bitmap across processes
    immediate(this.db, () => {
      const cur = this.bits();
      let maxByte = -1;
      for (let i = 0; i < idxs.length; i++) maxByte = Math.max(maxByte, idxs[i] >> 3);
      const b = new Uint8Array(Math.max(cur.length, maxByte + 1));
      b.set(cur);
      persistDoneBits(this.donePath, b, idxs);
    });
  }

  /** The vector of idx; NO_EMBEDDINGS when it is not written yet. */
  read(idx: number): Float32Array {
    if (!this.isDone(idx)) throw new AppError('NO_EMBEDDINGS', `object ${idx} has no '${this.modelKey}' embedding yet`);
    return this.readUnchecked(idx);
  }

  /** row idx as stored, without asking the done bitmap (for callers holding a `doneBits` snapshot); zero or stale where not done */
  readUnchecked(idx: number): Float32Array {
    const out = new Float32Array(this.dim);
    readSync(this.fd, new Uint8Array(out.buffer), 0, this.rowBytes, EMB_HEADER_BYTES + idx * this.rowBytes);
    return out;
  }

  /** the done bitmap now (bit i of byte i >> 3, least significant first; shorter than N/8 when the last rows are not done) */
  doneBits(): Uint8Array {
    return this.bits();
  }

  /** Rows start..start+count-1 (count x dim); rows not done are NaN. */
  readBlock(start: number, count: number): Float32Array {
    const out = new Float32Array(count * this.dim);
    // in slices: one byte view of a 10M x 128 matrix (5.1 GB) is over V8's typed-array length limit,
    // and one read over 2 GB is refused
    const total = out.byteLength;
    let got = 0;
    while (got < total) {
      const bytes = new Uint8Array(out.buffer, got, Math.min(EmbeddingMatrix.readSliceBytes, total - got));
      const n = readSync(this.fd, bytes, 0, bytes.length, EMB_HEADER_BYTES + start * this.rowBytes + got);
      if (n === 0) break;
      got += n;
    }
    const b = this.bits();
    for (let r = 0; r < count; r++) {
      const i = start + r;
      if (!((b[i >> 3] ?? 0) & (1 << (i & 7)))) out.fill(NaN, r * this.dim, (r + 1) * this.dim);
    }
    return out;
  }

  /** N x dim, rows not done are NaN. */
  readAll(): Float32Array {
    return this.readBlock(0, this.rows());
  }

  /** Forgets every row (marks all not done), e.g. after the model changed. */
  reset(): void {
    if (this.readonly) throw new AppError('READ_ONLY', `embeddings '${this.modelKey}': workspace opened read-only`);
    immediate(this.db, () => writeFileAtomic(this.donePath, new Uint8Array(0)));
  }

  bytesOnDisk(): number {
    return fstatSync(this.fd).size + (existsSync(this.donePath) ? this.bits().length : 0);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
