/** Small deterministic objects + cutouts for workspace tests (the synthetic survey is tested by its own helper). */
import { createRng } from '@app/core/rng';
import type { Cutout } from '@app/domain/cutout';
import { decodeF16, encodeF16, type AddItem } from '@main/node/workspace';

export interface Spec {
  bands: string[];
  size: number;
  pixscale: number;
  unit: Cutout['unit'];
}
export const SPEC: Spec = { bands: ['g', 'r', 'z'], size: 16, pixscale: 0.262, unit: 'nanomaggies' };
export const CLASSES = ['spiral', 'elliptical', 'lens', 'ring'];

/** Object i: the same bytes every time it is made (so a test can regenerate what a killed process wrote). */
export function makeItem(i: number, spec: Spec = SPEC): AddItem {
  const rng = createRng(1000 + i);
  const n = spec.bands.length * spec.size * spec.size;
  const data = new Float32Array(n);
  for (let k = 0; k < n; k++) data[k] = rng.gauss(0, 0.05) + (k % 7 === 0 ? rng.uniform(0, 300) : 0);
  if (i % 11 === 0) data[3] = NaN; // missing pixels are allowed
  return {
    object: {
      id: `obj-${i}`,
      ra: (i * 0.37) % 360,
      dec: -30 + (i % 600) * 0.1,
      source: 'test',
      truth: CLASSES[i % CLASSES.length],
      extra: i % 5 === 0 ? { mag_r: 18 + (i % 40) / 10, note: `n${i}` } : { mag_r: 18 + (i % 40) / 10 },
    },
    cutout: { ...spec, bands: [...spec.bands], width: spec.size, height: spec.size, data },
  };
}

export function makeItems(start: number, count: number, spec: Spec = SPEC): AddItem[] {
  return Array.from({ length: count }, (_, k) => makeItem(start + k, spec));
}

/** what a stored f16 cutout must decode to */
export function viaF16(data: Float32Array): Float32Array {
  const h = new Uint16Array(data.length);
  encodeF16(data, h);
  const out = new Float32Array(data.length);
  decodeF16(h, out);
  return out;
}
