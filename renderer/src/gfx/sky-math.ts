/**
 * Sky coordinates for display. Globe: unit vectors with RA increasing to the
 * LEFT as seen from outside (east left, as on the sky), centred by rotating
 * the group (rotation.y = ra0, then rotation.x = dec0). All-sky: Hammer-Aitoff
 * centred on ra0, RA increasing to the left; x in [-2√2, 2√2], y in [-√2, √2].
 */
const D2R = Math.PI / 180;

export function unitVectors(ra: Float32Array, dec: Float32Array, r = 1): Float32Array {
  const out = new Float32Array(ra.length * 3);
  for (let i = 0; i < ra.length; i++) {
    const a = ra[i] * D2R,
      d = dec[i] * D2R,
      c = Math.cos(d);
    out[3 * i] = -c * Math.sin(a) * r;
    out[3 * i + 1] = Math.sin(d) * r;
    out[3 * i + 2] = c * Math.cos(a) * r;
  }
  return out;
}

export function hammer(raDeg: number, decDeg: number, ra0Deg: number): [number, number] {
  let l = (raDeg - ra0Deg) % 360;
  if (l > 180) l -= 360;
  if (l < -180) l += 360;
  const lam = -l * D2R,
    phi = decDeg * D2R;
  const den = Math.sqrt(1 + Math.cos(phi) * Math.cos(lam / 2));
  return [(2 * Math.SQRT2 * Math.cos(phi) * Math.sin(lam / 2)) / den, (Math.SQRT2 * Math.sin(phi)) / den];
}

export function hammerPoints(ra: Float32Array, dec: Float32Array, ra0: number): Float32Array {
  const out = new Float32Array(ra.length * 3);
  for (let i = 0; i < ra.length; i++) {
    const [x, y] = hammer(ra[i], dec[i], ra0);
    out[3 * i] = x;
    out[3 * i + 1] = y;
  }
  return out;
}

/** inverse of `hammer`: [ra, dec] degrees, or null outside the all-sky ellipse */
export function inverseHammer(x: number, y: number, ra0Deg: number): [number, number] | null {
  if ((x / (2 * Math.SQRT2)) ** 2 + (y / Math.SQRT2) ** 2 > 1) return null;
  const z = Math.sqrt(1 - (x / 4) ** 2 - (y / 2) ** 2);
  const lam = 2 * Math.atan2(z * x, 2 * (2 * z * z - 1));
  const phi = Math.asin(Math.max(-1, Math.min(1, z * y)));
  const ra = (((-lam / D2R + ra0Deg) % 360) + 360) % 360;
  return [ra, phi / D2R];
}
