/**
 * Readers for Stellarium's deep-sky data as shipped in Debian's stellarium-data
 * (0.22.2, /usr/share/stellarium/nebulae/default/):
 *  - catalog.dat: gzip'd Qt QDataStream (big-endian; doubles 8 bytes; QString =
 *    uint32 byte length, 0xFFFFFFFF = null, then UTF-16BE): two strings
 *    (version, edition), then one record per object in the field order of
 *    Stellarium's Nebula::readDSO (src/core/modules/Nebula.cpp);
 *  - textures.json: the photographs with their four sky corners and credits
 *    (not strict JSON: numbers like `-.9794` occur).
 * Object types are Stellarium's Nebula::NebulaType codes (0 = galaxy, …).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface DsoRecord {
  id: number;
  ra: number; // degrees
  dec: number; // degrees
  bMag: number;
  vMag: number;
  type: number;
  morph: string;
  majorAxis: number; // degrees
  minorAxis: number; // degrees
  names: string[]; // catalogue designations, e.g. 'M 31', 'NGC 224'
}

/** Stellarium's Nebula::NebulaType, in file order */
export const DSO_TYPES = [
  'galaxy', 'active galaxy', 'radio galaxy', 'interacting galaxies', 'quasar', 'star cluster', 'open cluster',
  'globular cluster', 'stellar association', 'star cloud', 'nebula', 'planetary nebula', 'dark nebula',
  'reflection nebula', 'bipolar nebula', 'emission nebula', 'cluster with nebulosity', 'HII region',
  'supernova remnant', 'interstellar matter', 'emission object', 'BL Lac object', 'blazar', 'molecular cloud',
  'young stellar object', 'possible quasar', 'possible planetary nebula', 'protoplanetary nebula', 'star',
  'symbiotic star', 'emission-line star', 'supernova candidate', 'supernova remnant candidate',
  'cluster of galaxies', 'part of a galaxy', 'region of the sky', 'unknown',
] as const;

class Reader {
  pos = 0;
  constructor(private readonly b: Buffer) {}
  get done(): boolean { return this.pos >= this.b.length; }
  u32(): number { const v = this.b.readUInt32BE(this.pos); this.pos += 4; return v; }
  i32(): number { const v = this.b.readInt32BE(this.pos); this.pos += 4; return v; }
  f64(): number { const v = this.b.readDoubleBE(this.pos); this.pos += 8; return v; }
  str(): string {
    const n = this.u32();
    if (n === 0xffffffff) return '';
    const s = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    const le = Buffer.alloc(n);
    for (let i = 0; i + 1 < n; i += 2) { le[i] = s[i + 1]; le[i + 1] = s[i]; }
    return le.toString('utf16le');
  }
}

const INT_IDS = ['NGC', 'IC', 'M', 'C', 'B', 'Sh2-', 'vdB', 'RCW', 'LDN', 'LBN', 'Cr', 'Mel', 'PGC', 'UGC'] as const;

export function readCatalog(path: string): { version: string; edition: string; records: DsoRecord[] } {
  const r = new Reader(gunzipSync(readFileSync(path)));
  const version = r.str(), edition = r.str();
  const records: DsoRecord[] = [];
  const rad = 180 / Math.PI;
  while (!r.done) {
    const id = r.u32();
    const ra = r.f64() * rad, dec = r.f64() * rad, bMag = r.f64(), vMag = r.f64();
    const type = r.u32();
    const morph = r.str();
    const majorAxis = r.f64(), minorAxis = r.f64();
    r.i32(); // orientation angle
    for (let k = 0; k < 6; k++) r.f64(); // redshift, its error, parallax, its error, distance, its error
    const names: string[] = [];
    for (const p of INT_IDS) { const v = r.i32(); if (v > 0) names.push(p.endsWith('-') ? `${p}${v}` : `${p} ${v}`); }
    const ced = r.str(); if (ced) names.push(`Ced ${ced}`);
    const arp = r.i32(); if (arp > 0) names.push(`Arp ${arp}`);
    const vv = r.i32(); if (vv > 0) names.push(`VV ${vv}`);
    for (const p of ['PK', 'PN G', 'SNR G', 'Abell', 'HCG', 'ESO', 'vdBH']) { const s = r.str(); if (s) names.push(`${p} ${s}`); }
    for (const p of ['DWB', 'Tr', 'St', 'Ru', 'vdB-Ha']) { const v = r.i32(); if (v > 0) names.push(`${p} ${v}`); }
    records.push({ id, ra, dec, bMag, vMag, type, morph, majorAxis, minorAxis, names });
  }
  return { version, edition, records };
}

export interface Texture {
  file: string;
  credit: string;
  infoUrl: string | null;
  corners: [number, number][];
}

/** textures.json of a nebula image set (lenient about `.5` / `-.5` numbers). */
export function readTextures(path: string): Texture[] {
  const text = readFileSync(path, 'utf8').replace(/([\[,:]\s*)(-?)\.(\d)/g, '$1$20.$3');
  const j = JSON.parse(text) as { subTiles: { imageUrl: string; imageCredits?: Record<string, string>; worldCoords: number[][][] }[] };
  return j.subTiles.map((t) => {
    const c = t.imageCredits ?? {};
    const short = c.short ?? c.Short ?? '';
    return { file: t.imageUrl, credit: short, infoUrl: c.infoUrl ?? null, corners: t.worldCoords[0].map((p) => [p[0], p[1]] as [number, number]) };
  });
}

const unit = (ra: number, dec: number): [number, number, number] => {
  const a = (ra * Math.PI) / 180, d = (dec * Math.PI) / 180;
  return [Math.cos(d) * Math.cos(a), Math.cos(d) * Math.sin(a), Math.sin(d)];
};
const sepDeg = (p: number[], q: number[]): number => (Math.acos(Math.max(-1, Math.min(1, p[0] * q[0] + p[1] * q[1] + p[2] * q[2]))) * 180) / Math.PI;

/** Centre (unit vector, ra/dec in degrees) and the shorter side (degrees) of a texture. */
export function footprint(t: Texture): { centre: [number, number, number]; ra: number; dec: number; side: number } {
  const v = t.corners.map(([ra, dec]) => unit(ra, dec));
  const s = [0, 1, 2].map((k) => v.reduce((a, p) => a + p[k], 0));
  const n = Math.hypot(s[0], s[1], s[2]);
  const centre = [s[0] / n, s[1] / n, s[2] / n] as [number, number, number];
  const side = Math.min(sepDeg(v[0], v[1]), sepDeg(v[1], v[2]));
  const ra = ((Math.atan2(centre[1], centre[0]) * 180) / Math.PI + 360) % 360;
  return { centre, ra, dec: (Math.asin(centre[2]) * 180) / Math.PI, side };
}

/** The photographed object: among catalogue objects within 0.3 × the shorter side of the centre, the largest. */
export function subjectOf(t: Texture, recs: DsoRecord[], vecs: Float64Array): { rec: DsoRecord; offset: number } | null {
  const f = footprint(t);
  const r = Math.max(0.3 * f.side, 2 / 60);
  let best: { rec: DsoRecord; offset: number } | null = null;
  for (let i = 0; i < recs.length; i++) {
    const d = sepDeg(f.centre, [vecs[3 * i], vecs[3 * i + 1], vecs[3 * i + 2]]);
    if (d > r) continue;
    const rec = recs[i];
    if (!best || rec.majorAxis > best.rec.majorAxis || (rec.majorAxis === best.rec.majorAxis && d < best.offset)) best = { rec, offset: d };
  }
  return best;
}

export function unitVectors(recs: DsoRecord[]): Float64Array {
  const out = new Float64Array(3 * recs.length);
  recs.forEach((r, i) => out.set(unit(r.ra, r.dec), 3 * i));
  return out;
}
