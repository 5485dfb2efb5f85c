/**
 * Embeds the real-image check set (real-set.ts) with a model package through
 * the app's own path: 8-bit cutouts (unit 'u8', bands g, r, z) → the manifest's
 * preprocessing (app/encoder/preprocess.ts) → onnxruntime-node.
 *
 *   npx tsx native-models/tools/real-embed.ts --set DIR --model MODEL_DIR --out FILE.npy
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Cutout } from '../../app/domain/cutout';
import { npyFloat32 } from '../../main/node/export/npy';
import { encode, loadModel, preprocessAll } from '../../tests/model/evaluation';

/** a little-endian float32 C-order .npy → data and shape */
export function readNpyF32(path: string): { data: Float32Array; shape: number[] } {
  const b = readFileSync(path);
  const hlen = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + hlen).toString('latin1');
  if (!/'descr': '<f4'/.test(header) || /'fortran_order': True/.test(header)) throw new Error(`${path}: not a C-order <f4 .npy`);
  const shape = (/'shape': \(([^)]*)\)/.exec(header)![1]).split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const off = 10 + hlen;
  const data = new Float32Array(b.buffer.slice(b.byteOffset + off, b.byteOffset + b.length));
  return { data, shape };
}

const { values } = parseArgs({ options: { set: { type: 'string' }, model: { type: 'string' }, out: { type: 'string' } } });
if (!values.set || !values.model || !values.out) { console.error('usage: real-embed.ts --set DIR --model MODEL_DIR --out FILE.npy'); process.exit(2); }
const { data, shape } = readNpyF32(join(values.set, 'images.npy'));
const [n, c, h, w] = shape;
const cutouts: Cutout[] = [];
for (let i = 0; i < n; i++) cutouts.push({ bands: ['g', 'r', 'z'], width: w, height: h, pixscale: 0.262, unit: 'u8', data: data.slice(i * c * h * w, (i + 1) * c * h * w) });
const m = await loadModel(values.model);
const x = preprocessAll(m.manifest, cutouts);
const out = await encode(m, x, n, 32);
writeFileSync(values.out, npyFloat32(out.embedding, [n, m.manifest.outputs.embedding.dim]));
console.log(`real-embed: ${n} images, ${m.manifest.name} ${m.manifest.outputs.embedding.dim}-d -> ${values.out}`);
