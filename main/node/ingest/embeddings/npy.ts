/**
 * NumPy .npy vectors (format 1.x, 2.x, 3.x): a 2-D C-order array of float32,
 * float16 or float64, either byte order, read by row range straight from the
 * file (no memory for more than one block).
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '@app/core/errors';
import { decodeF16 } from '../../workspace/float16';
import { readExact } from './fd-read';
import type { VectorSource } from './source';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const DTYPES: Record<string, { name: string; bytes: number }> = {
  f4: { name: 'float32', bytes: 4 },
  f2: { name: 'float16', bytes: 2 },
  f8: { name: 'float64', bytes: 8 },
};

export function openNpy(path: string): VectorSource {
  const name = basename(path);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new AppError('NOT_FOUND', `${path}: cannot open the vectors (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  try {
    const size = fstatSync(fd).size;
    const pre = readExact(fd, Math.min(12, size), 0, name);
    if (pre.length < 10 || !MAGIC.every((b, i) => pre[i] === b)) throw new AppError('BAD_INPUT', `${name}: not a .npy file (no \\x93NUMPY magic)`);
    const major = pre[6];
    const dv = new DataView(pre.buffer);
    const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
    const pos = major === 1 ? 10 : 12;
    const header = new TextDecoder('latin1').decode(readExact(fd, hlen, pos, name));
    const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(header);
    const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
    const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
    if (!descr || !fortran || !shape) throw new AppError('BAD_INPUT', `${name}: malformed .npy header`);
    const dt = DTYPES[descr[2]];
    if (!dt) throw new AppError('BAD_INPUT', `${name}: vectors of dtype '${descr[2]}' are not supported (float32, float16 or float64)`);
    if (fortran[1] === 'True') throw new AppError('BAD_INPUT', `${name}: Fortran-order array; save it C-ordered (numpy.ascontiguousarray)`);
    const dims = shape[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number);
    if (dims.length !== 2 || !dims.every((d) => Number.isInteger(d) && d > 0))
      throw new AppError('BAD_INPUT', `${name}: shape (${shape[1]}) is not a 2-D N x dim matrix`);
    const [rows, dim] = dims;
    const little = descr[1] !== '>';
    const dataAt = pos + hlen;
    const rowBytes = dim * dt.bytes;
    if (size < dataAt + rows * rowBytes) throw new AppError('BAD_INPUT', `${name}: truncated: ${size} bytes for ${rows} x ${dim} ${dt.name}`);
    return {
      name,
      rows,
      dim,
      dtype: dt.name,
      reader: 'own .npy reader',
      async read(start, count) {
        const raw = readExact(fd, count * rowBytes, dataAt + start * rowBytes, name);
        const n = count * dim;
        const out = new Float32Array(n);
        const v = new DataView(raw.buffer);
        if (dt.bytes === 4) {
          if (little) out.set(new Float32Array(raw.buffer, 0, n));
          else for (let i = 0; i < n; i++) out[i] = v.getFloat32(i * 4, false);
        } else if (dt.bytes === 2) {
          const h = new Uint16Array(n);
          for (let i = 0; i < n; i++) h[i] = v.getUint16(i * 2, little);
          decodeF16(h, out);
        } else for (let i = 0; i < n; i++) out[i] = v.getFloat64(i * 8, little);
        return out;
      },
      close() {
        closeSync(fd);
      },
    };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
