/**
 * Level of detail for the scatter and the sky map. A frame draws at most
 * `pointBudget()` points: 2,000,000 on a hardware WebGL renderer, 60,000 on a
 * software one (SwiftShader, llvmpipe: the README's bench measured 200k
 * points at 0.35 frames/s there, 20k at 2.4). Above the budget the points in
 * view (plus a margin) are thinned uniformly in a fixed seeded order, which
 * keeps the relative density; when zoomed in so far that fewer than the
 * budget are in view, every one of them is drawn. The selection is redone
 * when the view settles, not on every frame of a pan.
 */

export const HARDWARE_BUDGET = 2_000_000;
export const SOFTWARE_BUDGET = 60_000;

export interface DrawStats {
  /** points in the data */
  points: number;
  /** points drawn this frame */
  drawn: number;
  /** points inside the view and its margin */
  inView: number;
  budget: number;
}

let cached: number | null = null;

/** the WebGL renderer's name ('' when WebGL or the debug extension is not there) */
export function webglRenderer(): string {
  try {
    const gl = document.createElement('canvas').getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return '';
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  } catch {
    return '';
  }
}

/** points one frame may draw on this machine's renderer */
export function pointBudget(): number {
  if (cached === null) cached = /swiftshader|llvmpipe|softpipe|software/i.test(webglRenderer()) ? SOFTWARE_BUDGET : HARDWARE_BUDGET;
  return cached;
}

/** a seeded permutation of 0..n-1 (xorshift32 + Fisher–Yates): the thinning order */
export function thinningOrder(n: number, seed = 0x9e3779b9): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const j = s % (i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * The first `budget` objects in `order` that are in view, and how many are in
 * view in all (one pass over every object).
 */
export function selectInView(order: Int32Array, inView: (i: number) => boolean, budget: number): { indices: Int32Array; inView: number } {
  const picked = new Int32Array(Math.min(budget, order.length));
  let taken = 0,
    seen = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (!inView(i)) continue;
    seen++;
    if (taken < picked.length) picked[taken++] = i;
  }
  return { indices: picked.slice(0, taken), inView: seen };
}

/** rows `indices` of an n × size array */
export function gatherRows<T extends Float32Array | Uint8Array>(src: T, size: number, indices: Int32Array): T {
  const out = new (src.constructor as new (n: number) => T)(indices.length * size);
  for (let r = 0; r < indices.length; r++) {
    const o = indices[r] * size;
    for (let c = 0; c < size; c++) out[r * size + c] = src[o + c];
  }
  return out;
}
