/**
 * Lasso selection: which points of an N x 2 Float32Array fall inside a
 * polygon (even-odd rule, ray casting), in data coordinates, with a bounding
 * box test first so a small lasso over a million points stays cheap.
 */
export function pointsInPolygon(xy: Float32Array, poly: ArrayLike<number>): Int32Array {
  const m = poly.length >> 1;
  if (m < 3) return new Int32Array(0);
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let j = 0; j < m; j++) {
    const px = poly[2 * j],
      py = poly[2 * j + 1];
    if (px < x0) x0 = px;
    if (px > x1) x1 = px;
    if (py < y0) y0 = py;
    if (py > y1) y1 = py;
  }
  const out: number[] = [];
  for (let i = 0, n = xy.length >> 1; i < n; i++) {
    const x = xy[2 * i],
      y = xy[2 * i + 1];
    if (x < x0 || x > x1 || y < y0 || y > y1) continue;
    let inside = false;
    for (let j = 0, k = m - 1; j < m; k = j++) {
      const yj = poly[2 * j + 1],
        yk = poly[2 * k + 1];
      if (yj > y !== yk > y && x < ((poly[2 * k] - poly[2 * j]) * (y - yj)) / (yk - yj) + poly[2 * j]) inside = !inside;
    }
    if (inside) out.push(i);
  }
  return Int32Array.from(out);
}
