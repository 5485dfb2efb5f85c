/**
 * What the go-to box understands by itself: a workspace object index ('#123'
 * or '123'), or coordinates in degrees ('150.1 2.2', '150.1, +2.2') or
 * sexagesimal ('10:00:24 +02:12:00', '10h00m24s +2d12m00s'), parsed by
 * app/sky/coords. Anything else is a name, for the engine's resolver
 * (SkyService.resolveName: workspace ids, the bundled Messier/NGC/IC list,
 * CDS Sesame when online).
 */
import { parseDec, parseRa } from '@app/sky/coords';

export type GoTo =
  { kind: 'index'; idx: number } | { kind: 'coords'; ra: number; dec: number } | { kind: 'name'; name: string } | { kind: 'error'; message: string };

export function parseGoTo(text: string, count: number): GoTo {
  const t = text.trim();
  if (!t) return { kind: 'error', message: 'type an object index (#123), coordinates (RA Dec, degrees or sexagesimal) or a name (M31, NGC 224)' };
  const m = /^#?(\d+)$/.exec(t);
  if (m) {
    const idx = Number(m[1]);
    return idx < count ? { kind: 'index', idx } : { kind: 'error', message: `#${idx} is outside this workspace (0 to ${count - 1})` };
  }
  const parts = splitCoords(t);
  if (parts) {
    const ra = parseRa(parts[0]),
      dec = parseDec(parts[1]);
    if (Number.isFinite(ra) && Number.isFinite(dec) && ra >= 0 && ra < 360 && dec >= -90 && dec <= 90) return { kind: 'coords', ra, dec };
  }
  if (t.length > 120) return { kind: 'error', message: 'a name is at most 120 characters' };
  return { kind: 'name', name: t };
}

/** RA and Dec texts: split at a comma, else before the sign or the second group of sexagesimal fields */
function splitCoords(t: string): [string, string] | null {
  if (t.includes(',')) {
    const [a, b, ...rest] = t.split(',');
    return rest.length ? null : [a.trim(), b.trim()];
  }
  const signed = /^(.*?\S)\s*([+-].*)$/.exec(t);
  if (signed) return [signed[1], signed[2]];
  const words = t.split(/\s+/);
  if (words.length === 2) return [words[0], words[1]];
  if (words.length === 6) return [words.slice(0, 3).join(' '), words.slice(3).join(' ')];
  return null;
}

/** the object nearest (ra, dec) and its distance in arcsec (small-angle, fine within a degree) */
export function nearestObject(ra: Float32Array, dec: Float32Array, r0: number, d0: number): { idx: number; arcsec: number } | null {
  let best = -1,
    bestD = Infinity;
  const D = Math.PI / 180,
    c0 = Math.cos(d0 * D);
  for (let i = 0; i < ra.length; i++) {
    let dr = ra[i] - r0;
    if (dr > 180) dr -= 360;
    if (dr < -180) dr += 360;
    const dx = dr * c0,
      dy = dec[i] - d0;
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best < 0 ? null : { idx: best, arcsec: Math.sqrt(bestD) * 3600 };
}

export function formatRaDec(ra: number, dec: number): string {
  const h = ra / 15,
    hh = Math.floor(h),
    mm = Math.floor((h - hh) * 60),
    ss = ((h - hh) * 60 - mm) * 60;
  const sign = dec < 0 ? '-' : '+',
    a = Math.abs(dec),
    dd = Math.floor(a),
    dm = Math.floor((a - dd) * 60),
    ds = ((a - dd) * 60 - dm) * 60;
  const p = (v: number, w = 2) => String(v).padStart(w, '0');
  return `${p(hh)}:${p(mm)}:${ss.toFixed(2).padStart(5, '0')} ${sign}${p(dd)}:${p(dm)}:${ds.toFixed(1).padStart(4, '0')}`;
}
