/**
 * The order the point views draw in: only the objects a mask passes, and with
 * scores, lowest first (so the highest are drawn last, on top; NaN first).
 * null: every point in index order (the views then draw the arrays as they are).
 */
export function drawOrder(count: number, mask: Uint8Array | null, scores: Float32Array | null): Int32Array | null {
  if (!mask && !scores) return null;
  const out: number[] = [];
  for (let i = 0; i < count; i++) if (!mask || mask[i]) out.push(i);
  const order = Int32Array.from(out);
  if (scores) {
    // NaN scores first (under everything), then ascending
    const key = (i: number) => (Number.isFinite(scores[i]) ? scores[i] : -Infinity);
    order.sort((a, b) => key(a) - key(b) || a - b);
  }
  return order;
}
