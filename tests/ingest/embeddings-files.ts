/** Test files for the embedding-catalogue importer: Python writers (numpy/h5py/astropy) and hyparquet-writer for Parquet/HATS. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { radec2pix } from '@app/sky/healpix';

export const PY = '/usr/bin/python3';
export function hasPython(): boolean {
  if (!existsSync(PY)) return false;
  try {
    execFileSync(PY, ['-c', 'import numpy, h5py, astropy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface Written {
  dir: string;
  n: number;
  dim: number;
  vectors: Float32Array;
  vectors16: Float32Array;
  ids: string[];
  ra: Float64Array;
  dec: Float64Array;
}

/** float32 rows of a C-order little-endian .npy written by numpy */
export function readNpyF32(path: string): Float32Array {
  const b = readFileSync(path);
  const hlen = b.readUInt16LE(8);
  const body = b.subarray(10 + hlen);
  return new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
}

export function writePythonFiles(dir: string, n: number, dim: number, seed = 1): Written {
  execFileSync(PY, [join(__dirname, 'embeddings_make.py'), dir, String(n), String(dim), String(seed)]);
  const csv = readFileSync(join(dir, 'catalog.csv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .slice(1)
    .map((l) => l.split(','));
  return {
    dir,
    n,
    dim,
    vectors: readNpyF32(join(dir, 'vectors.npy')),
    vectors16: readNpyF32(join(dir, 'vectors16_as32.npy')),
    ids: csv.map((r) => r[0]),
    ra: Float64Array.from(csv, (r) => Number(r[1])),
    dec: Float64Array.from(csv, (r) => Number(r[2])),
  };
}

const SCHEMA_TAIL = [
  { name: 'emb', repetition_type: 'OPTIONAL' as const, converted_type: 'LIST' as const, num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED' as const, num_children: 1 },
  { name: 'element', type: 'FLOAT' as const, repetition_type: 'REQUIRED' as const },
];

/** rows `rows` of `w` as a Parquet file (id, ra, dec, list<float> emb), written by hyparquet-writer */
export function writeParquet(path: string, w: Written, rows: number[], rowGroupSize = 64): void {
  const emb = rows.map((r) => Array.from(w.vectors.subarray(r * w.dim, (r + 1) * w.dim)));
  parquetWriteFile({
    filename: path,
    columnData: [
      { name: 'id', data: rows.map((r) => w.ids[r]) },
      { name: 'ra', data: rows.map((r) => w.ra[r]) },
      { name: 'dec', data: rows.map((r) => w.dec[r]) },
      { name: 'emb', data: emb },
    ],
    schema: [
      { name: 'root', num_children: 4 },
      { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'ra', type: 'DOUBLE', repetition_type: 'REQUIRED' },
      { name: 'dec', type: 'DOUBLE', repetition_type: 'REQUIRED' },
      ...SCHEMA_TAIL,
    ],
    rowGroupSize,
  });
}

/**
 * A HATS-style catalogue: rows partitioned by their HEALPix nested pixel at `order`,
 * one Norder=K/Dir=D/Npix=N.parquet per non-empty pixel. Returns the row order the
 * reader must produce ((Norder, Npix) ascending, file order within).
 */
export function writeHats(root: string, w: Written, order = 1): number[] {
  const byPix = new Map<number, number[]>();
  for (let r = 0; r < w.n; r++) {
    const dec = Math.max(-90, Math.min(90, w.dec[r]));
    const p = radec2pix(order, w.ra[r], dec);
    byPix.set(p, [...(byPix.get(p) ?? []), r]);
  }
  const pixels = [...byPix.keys()].sort((a, b) => a - b);
  for (const p of pixels) {
    const dirPath = join(root, 'dataset', `Norder=${order}`, `Dir=${Math.floor(p / 10000) * 10000}`);
    mkdirSync(dirPath, { recursive: true });
    writeParquet(join(dirPath, `Npix=${p}.parquet`), w, byPix.get(p)!, 32);
  }
  return pixels.flatMap((p) => byPix.get(p)!);
}
