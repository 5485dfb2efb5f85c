/**
 * A multi-band image stamp of one object: the unit the encoder sees.
 * Pixels are band-major: data[b * height * width + y * width + x], y = 0 is
 * the bottom row as in FITS (first pixel of the array). Values are flux in
 * `unit` (nanomaggies for Legacy Survey, 8-bit 0..255 for PNG/JPEG imports);
 * NaN marks missing data.
 */
export interface Cutout {
  bands: string[];
  width: number;
  height: number;
  /** arcsec per pixel */
  pixscale: number;
  unit: 'nanomaggies' | 'counts' | 'u8';
  data: Float32Array;
}

export function cutoutPlane(c: Cutout, band: number): Float32Array {
  const n = c.width * c.height;
  return c.data.subarray(band * n, (band + 1) * n);
}
