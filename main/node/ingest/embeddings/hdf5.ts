/**
 * Vectors from an HDF5 dataset (h5wasm, already our HDF5 reader): a 2-D
 * N x dim float32/float64 dataset, read by row range with hyperslabs. The
 * dataset is `FILE.h5:/path/to/dataset`, else the only 2-D float dataset in
 * the file (or one named embedding(s)/vectors/features).
 */
import { basename } from 'node:path';
import { AppError } from '@app/core/errors';
import { checkInsideFile, guarded, openH5 } from '../hdf5/h5-file';
import type { VectorSource } from './source';

interface H5Node {
  type?: string;
  keys?(): string[];
  get?(name: string): H5Node | null;
  shape?: number[] | null;
  metadata?: { type: number; size: number };
  slice?(r: ([number, number] | [])[]): unknown;
}

const PREFERRED = ['embeddings', 'embedding', 'vectors', 'features', 'latents'];

function datasets(node: H5Node, prefix: string, out: { path: string; node: H5Node }[]): void {
  for (const k of node.keys?.() ?? []) {
    const child = node.get?.(k);
    if (!child) continue;
    const p = `${prefix}/${k}`;
    if (child.type === 'Dataset') out.push({ path: p, node: child });
    else if (child.type === 'Group') datasets(child, p, out);
  }
}

const isMatrix = (d: H5Node) => d.metadata?.type === 1 && (d.shape?.length ?? 0) === 2;

export async function openHdf5Vectors(path: string, dataset?: string): Promise<VectorSource> {
  const name = basename(path);
  // the same gate as the cutout importer: the file may only read itself (no external storage or links)
  const f = await openH5(path);
  try {
    let found: { path: string; node: H5Node } | undefined;
    const all: { path: string; node: H5Node }[] = [];
    guarded(path, 'the file', () => datasets(f as unknown as H5Node, '', all));
    if (dataset) {
      const want = dataset.startsWith('/') ? dataset : `/${dataset}`;
      found = all.find((d) => d.path === want);
      if (!found) throw new AppError('BAD_INPUT', `${name}: no dataset ${want} (datasets: ${all.map((d) => d.path).join(', ') || 'none'})`);
    } else {
      const mats = all.filter((d) => isMatrix(d.node));
      found = mats.length === 1 ? mats[0] : mats.find((d) => PREFERRED.includes(d.path.split('/').pop()!.toLowerCase()));
      if (!found)
        throw new AppError(
          'BAD_INPUT',
          `${name}: ${mats.length ? 'several' : 'no'} 2-D float datasets ` +
            `(${mats.map((d) => d.path).join(', ') || all.map((d) => d.path).join(', ') || 'none'}); name one as ${name}:/DATASET`,
        );
    }
    const d = found.node;
    if (!isMatrix(d)) throw new AppError('BAD_INPUT', `${name}:${found.path} is not a 2-D float dataset (shape ${JSON.stringify(d.shape)})`);
    const size = d.metadata!.size;
    if (size !== 4 && size !== 8)
      throw new AppError(
        'BAD_INPUT',
        `${name}:${found.path}: float${size * 8} datasets cannot be read here (h5wasm reads float32/float64); store float32 or use .npy`,
      );
    checkInsideFile(f, path, [found.path]);
    const [rows, dim] = d.shape!;
    const where = `${name}:${found.path}`;
    return {
      name: where,
      rows,
      dim,
      dtype: size === 4 ? 'float32' : 'float64',
      reader: 'h5wasm 0.10',
      async read(start, count) {
        const v = guarded(path, `dataset ${found!.path}`, () => d.slice!([[start, start + count], []]));
        return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
      },
      close() {
        f.close();
      },
    };
  } catch (e) {
    f.close();
    throw e;
  }
}
