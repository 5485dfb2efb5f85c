/**
 * Box (uniform) filter of odd width w with zero padding outside the stamp:
 * out[p] = (sum of the w × w pixels around p that lie on the stamp) / w²,
 * the same as scipy.ndimage.uniform_filter(mode='constant', cval=0). A
 * summed-area table in float64 makes it O(pixels) for any w.
 */
export function boxFilter(src: Float64Array, width: number, height: number, w: number, out: Float64Array, sat: Float64Array): void {
  const W1 = width + 1;
  for (let x = 0; x <= width; x++) sat[x] = 0;
  for (let y = 0; y < height; y++) {
    let row = 0;
    sat[(y + 1) * W1] = 0;
    for (let x = 0; x < width; x++) {
      row += src[y * width + x];
      sat[(y + 1) * W1 + x + 1] = sat[y * W1 + x + 1] + row;
    }
  }
  const h = (w - 1) >> 1;
  const inv = 1 / (w * w);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - h),
      y1 = Math.min(height, y + h + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - h),
        x1 = Math.min(width, x + h + 1);
      out[y * width + x] = (sat[y1 * W1 + x1] - sat[y0 * W1 + x1] - sat[y1 * W1 + x0] + sat[y0 * W1 + x0]) * inv;
    }
  }
}
