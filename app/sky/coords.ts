/**
 * Celestial coordinates: unit vectors, angular separation, ICRS ↔ Galactic
 * (the Hipparcos/ICRS rotation used by astropy), sexagesimal parsing.
 * Angles in degrees unless a name says radians.
 */
export const DEG = Math.PI / 180;

export function radecToVec(raDeg: number, decDeg: number): [number, number, number] {
  const a = raDeg * DEG,
    d = decDeg * DEG;
  const cd = Math.cos(d);
  return [cd * Math.cos(a), cd * Math.sin(a), Math.sin(d)];
}

export function vecToRadec(v: readonly number[]): [number, number] {
  const [x, y, z] = v;
  let ra = Math.atan2(y, x) / DEG;
  if (ra < 0) ra += 360;
  if (ra >= 360) ra -= 360;
  return [ra, Math.atan2(z, Math.hypot(x, y)) / DEG];
}

/** Great-circle distance in degrees (Vincenty formula: exact at all separations). */
export function angularSeparation(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const d1 = dec1 * DEG,
    d2 = dec2 * DEG,
    dra = (ra2 - ra1) * DEG;
  const s1 = Math.sin(d1),
    c1 = Math.cos(d1),
    s2 = Math.sin(d2),
    c2 = Math.cos(d2);
  const num1 = c2 * Math.sin(dra),
    num2 = c1 * s2 - s1 * c2 * Math.cos(dra);
  return Math.atan2(Math.hypot(num1, num2), s1 * s2 + c1 * c2 * Math.cos(dra)) / DEG;
}

/** ICRS → Galactic rotation matrix (rows), as in astropy's Galactic frame. */
const ICRS_TO_GAL = [
  [-0.0548755604162154, -0.873437090234885, -0.4838350155487132],
  [0.4941094278755837, -0.4448296299600112, 0.7469822444972189],
  [-0.8676661490190047, -0.1980763734312015, 0.4559837761750669],
];

function rotate(m: number[][], v: readonly number[], transpose: boolean): [number, number, number] {
  const r = [0, 0, 0];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) r[i] += (transpose ? m[j][i] : m[i][j]) * v[j];
  return r as [number, number, number];
}

export function icrsToGalactic(ra: number, dec: number): [number, number] {
  return vecToRadec(rotate(ICRS_TO_GAL, radecToVec(ra, dec), false));
}

export function galacticToIcrs(l: number, b: number): [number, number] {
  return vecToRadec(rotate(ICRS_TO_GAL, radecToVec(l, b), true));
}

const SEXA = /^\s*([+-]?)\s*(\d+(?:\.\d*)?)(?:[\s:hd°]+(\d+(?:\.\d*)?))?(?:[\s:m']+(\d+(?:\.\d*)?))?\s*[s"]?\s*$/i;

function sexagesimal(s: string): { sign: number; value: number } | null {
  const m = SEXA.exec(s);
  if (!m) return null;
  const [a, b, c] = [Number(m[2]), m[3] ? Number(m[3]) : 0, m[4] ? Number(m[4]) : 0];
  if (b >= 60 || c >= 60) return null;
  return { sign: m[1] === '-' ? -1 : 1, value: a + b / 60 + c / 3600 };
}

/**
 * Right ascension from text: decimal degrees ('150.1'), or sexagesimal hours
 * ('10:00:24.0', '10 00 24', '10h00m24s'). NaN when unparseable.
 */
export function parseRa(s: string): number {
  const t = s.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  const x = sexagesimal(t);
  return x && x.sign > 0 ? x.value * 15 : NaN;
}

/** Declination from text: decimal degrees, or sexagesimal degrees ('-02:30:00', '-2d30m00s'). */
export function parseDec(s: string): number {
  const t = s.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  const x = sexagesimal(t);
  return x ? x.sign * x.value : NaN;
}
