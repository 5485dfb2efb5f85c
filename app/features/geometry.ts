/**
 * Pixel geometry shared by every morphology feature of one stamp size,
 * computed once per (width, height): distance and angle of each pixel centre
 * from the stamp centre, the annulus / sector / zone each pixel falls in, the
 * pixel it maps to under a 180° rotation, and the pixels sorted by distance
 * (for curves of growth).
 *
 * Centre: the integer pixel (floor(W/2), floor(H/2)), the pixel the survey
 * puts an object on (app/synth places it within ±0.5 px of it; Legacy
 * Survey cutouts are centred on the catalogue position). Rotating about an
 * integer pixel maps pixels onto pixels, so no interpolation enters the
 * asymmetry terms. Radii are given for a 64-pixel stamp and scale with
 * min(W, H) / 64.
 */

/** annulus edges in pixels for a 64-px stamp (8 annuli, 0.4" to 6.8" at 0.262"/px) */
export const ANNULUS_EDGES_64 = [0, 1.5, 3, 5, 7.5, 10.5, 14, 19, 26] as const;
/** outer zones of the tidal terms (3 zones) */
export const ZONE_EDGES_64 = [6, 12, 19, 29] as const;
/** sky and noise are measured on pixels at least this far out */
export const SKY_RADIUS_64 = 26;
/** peaks are counted within this radius */
export const PEAK_RADIUS_64 = 20;
export const SECTORS = 8;
/** curve-of-growth radius step, pixels */
export const GROWTH_STEP = 0.5;

export interface Geometry {
  width: number;
  height: number;
  n: number;
  cx: number;
  cy: number;
  scale: number;
  dist: Float64Array;
  cos1: Float64Array;
  sin1: Float64Array;
  cos2: Float64Array;
  sin2: Float64Array;
  /** annulus of each pixel, -1 outside the last edge */
  annulus: Int8Array;
  annuli: number;
  /** pixels per annulus */
  annulusCount: Float64Array;
  /** sector 0..SECTORS-1 of each pixel */
  sector: Int8Array;
  /** pixels per (annulus, sector) */
  sectorCount: Float64Array;
  /** zone of each pixel (-1 outside the zones) and pixels per zone */
  zone: Int8Array;
  zoneCount: Float64Array;
  /** index of the pixel at 180° about the centre, -1 when off the stamp */
  rot: Int32Array;
  /** sky pixels (dist >= sky radius) */
  sky: Int32Array;
  peakRadius: number;
  /** the arc zone (annuli 1..A-2) and its pixel count */
  arcZone: Uint8Array;
  arcZoneCount: number;
  /** pixels in increasing distance; counts[k] = pixels with dist < k * GROWTH_STEP */
  byDistance: Int32Array;
  growthCounts: Int32Array;
  /** largest aperture radius that stays on the stamp */
  rmax: number;
}

const cache = new Map<string, Geometry>();

export function geometryFor(width: number, height: number): Geometry {
  const key = `${width}x${height}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const n = width * height;
  const cx = Math.floor(width / 2),
    cy = Math.floor(height / 2);
  const scale = Math.min(width, height) / 64;
  const edges = ANNULUS_EDGES_64.map((e) => e * scale);
  const zones = ZONE_EDGES_64.map((e) => e * scale);
  const annuli = edges.length - 1;
  const g: Geometry = {
    width,
    height,
    n,
    cx,
    cy,
    scale,
    dist: new Float64Array(n),
    cos1: new Float64Array(n),
    sin1: new Float64Array(n),
    cos2: new Float64Array(n),
    sin2: new Float64Array(n),
    annulus: new Int8Array(n).fill(-1),
    annuli,
    annulusCount: new Float64Array(annuli),
    sector: new Int8Array(n),
    sectorCount: new Float64Array(annuli * SECTORS),
    zone: new Int8Array(n).fill(-1),
    zoneCount: new Float64Array(zones.length - 1),
    rot: new Int32Array(n),
    sky: new Int32Array(0),
    peakRadius: PEAK_RADIUS_64 * scale,
    arcZone: new Uint8Array(n),
    arcZoneCount: 0,
    byDistance: new Int32Array(n),
    growthCounts: new Int32Array(0),
    rmax: Math.min(cx, cy, width - 1 - cx, height - 1 - cy),
  };
  const sky: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const dx = x - cx,
        dy = y - cy;
      const d = Math.sqrt(dx * dx + dy * dy);
      const th = Math.atan2(dy, dx);
      g.dist[p] = d;
      g.cos1[p] = Math.cos(th);
      g.sin1[p] = Math.sin(th);
      g.cos2[p] = Math.cos(2 * th);
      g.sin2[p] = Math.sin(2 * th);
      let a = -1;
      for (let k = 0; k < annuli; k++)
        if (d >= edges[k] && d < edges[k + 1]) {
          a = k;
          break;
        }
      g.annulus[p] = a;
      const s = Math.min(SECTORS - 1, Math.floor(((th + Math.PI) / (2 * Math.PI)) * SECTORS));
      g.sector[p] = s;
      if (a >= 0) {
        g.annulusCount[a]++;
        g.sectorCount[a * SECTORS + s]++;
        if (a >= 1 && a <= annuli - 2) {
          g.arcZone[p] = 1;
          g.arcZoneCount++;
        }
      }
      for (let k = 0; k < zones.length - 1; k++)
        if (d >= zones[k] && d < zones[k + 1]) {
          g.zone[p] = k;
          g.zoneCount[k]++;
          break;
        }
      const rx = 2 * cx - x,
        ry = 2 * cy - y;
      g.rot[p] = rx >= 0 && rx < width && ry >= 0 && ry < height ? ry * width + rx : -1;
      if (d >= SKY_RADIUS_64 * scale) sky.push(p);
    }
  }
  g.sky = Int32Array.from(sky);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => g.dist[a] - g.dist[b] || a - b);
  g.byDistance = Int32Array.from(order);
  const steps = Math.floor(g.rmax / GROWTH_STEP);
  g.growthCounts = new Int32Array(steps + 1);
  let j = 0;
  for (let k = 0; k <= steps; k++) {
    const r = k * GROWTH_STEP;
    while (j < n && g.dist[order[j]] < r) j++;
    g.growthCounts[k] = j;
  }
  cache.set(key, g);
  return g;
}
