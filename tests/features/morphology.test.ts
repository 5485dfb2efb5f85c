/**
 * The morphology block (app/features) against the independent numpy/scipy
 * implementation in morphology_ref.py, on synthetic-survey cutouts of every
 * class plus edge cases (pure noise, missing pixels, a flat stamp, another
 * stamp size), and its invariances (flux scale, sky level).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { MorphologyExtractor, morphologyBlock, morphologyColumns, morphologyKey } from '@app/features';
import { CLASS_NAMES, resolveOptions, surveyObject } from '@app/synth';

const REF = resolve(__dirname, 'morphology_ref.py');
const dir = mkdtempSync(join(tmpdir(), 'ls-morph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stamps(size: number, seed: number, perClass: number): Float32Array[] {
  const o = resolveOptions({ count: 4000, seed, size, rates: { lens: 0.1, ring: 0.1, tidal: 0.1, merger: 0.1, artefact: 0.05 } });
  const got = new Map<number, number>();
  const out: Float32Array[] = [];
  for (let i = 0; i < o.count && out.length < perClass * CLASS_NAMES.length; i++) {
    const it = surveyObject(o, i);
    if ((got.get(it.label) ?? 0) >= perClass) continue;
    got.set(it.label, (got.get(it.label) ?? 0) + 1);
    out.push(it.cutout.data);
  }
  return out;
}

function reference(data: Float32Array[], bands: number, h: number, w: number): Float32Array {
  const inp = join(dir, `in-${w}.f32`),
    outp = join(dir, `out-${w}.f32`);
  const all = new Float32Array(data.length * bands * h * w);
  data.forEach((d, i) => all.set(d, i * d.length));
  writeFileSync(inp, new Uint8Array(all.buffer));
  execFileSync('/usr/bin/python3', [REF, inp, String(data.length), String(bands), String(h), String(w), outp]);
  const b = readFileSync(outp);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

function compare(ours: Float32Array, ref: Float32Array, dim: number, names: string[]) {
  expect(ours.length).toBe(ref.length);
  let worst = { rel: 0, name: '', row: -1, a: 0, b: 0 };
  for (let i = 0; i < ours.length; i++) {
    const rel = Math.abs(ours[i] - ref[i]) / (1 + Math.abs(ref[i]));
    if (rel > worst.rel) worst = { rel, name: names[i % dim], row: Math.floor(i / dim), a: ours[i], b: ref[i] };
  }
  return worst;
}

describe('morphology features', () => {
  it('names every column with a meaning and keys the set by version and bands', () => {
    const cols = morphologyColumns(['g', 'r', 'z']);
    expect(new Set(cols.map((c) => c.name)).size).toBe(cols.length);
    for (const c of cols) expect(c.meaning.length).toBeGreaterThan(10);
    expect(morphologyKey(['g', 'r', 'z'])).toBe('morph1-grz');
    expect(new MorphologyExtractor({ bands: ['g', 'r', 'z'], width: 64, height: 64 }).dim).toBe(cols.length);
    expect(() => new MorphologyExtractor({ bands: [], width: 64, height: 64 })).toThrow(/at least one band/);
  });

  it('agrees with the numpy reference on survey cutouts of every class and on edge cases', () => {
    const data = stamps(64, 31, 4);
    const n = 64 * 64;
    const rng = createRng(9);
    const noise = new Float32Array(3 * n).map(() => rng.gauss(0, 0.01));
    const holes = data[0].slice();
    for (let i = 0; i < holes.length; i += 7) holes[i] = NaN;
    holes.fill(NaN, n, n + 300);
    data.push(noise, holes, new Float32Array(3 * n).fill(0.5));
    const ex = new MorphologyExtractor({ bands: ['g', 'r', 'z'], width: 64, height: 64 });
    const ours = morphologyBlock(
      ex,
      (() => {
        const a = new Float32Array(data.length * 3 * n);
        data.forEach((d, i) => a.set(d, i * 3 * n));
        return a;
      })(),
      data.length,
    );
    const ref = reference(data, 3, 64, 64);
    const worst = compare(
      ours,
      ref,
      ex.dim,
      ex.columns.map((c) => c.name),
    );
    expect(worst.rel, JSON.stringify(worst)).toBeLessThan(1e-4);
    for (const v of ours) expect(Number.isFinite(v)).toBe(true);
  });

  it('agrees on a 48-pixel stamp (radii scale with the stamp)', () => {
    const data = stamps(48, 32, 1);
    const ex = new MorphologyExtractor({ bands: ['g', 'r', 'z'], width: 48, height: 48 });
    const block = new Float32Array(data.length * data[0].length);
    data.forEach((d, i) => block.set(d, i * d.length));
    const worst = compare(
      morphologyBlock(ex, block, data.length),
      reference(data, 3, 48, 48),
      ex.dim,
      ex.columns.map((c) => c.name),
    );
    expect(worst.rel, JSON.stringify(worst)).toBeLessThan(1e-4);
  });

  it('does not change when the flux scale or the sky level changes', () => {
    const [img] = stamps(64, 33, 1).slice(3, 4);
    const ex = new MorphologyExtractor({ bands: ['g', 'r', 'z'], width: 64, height: 64 });
    const a = ex.run(img).slice();
    const b = ex.run(img.map((v) => 7 * v + 0.3));
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 3);
  });

  it('sees what the rare classes are made of', () => {
    const o = resolveOptions({ count: 3000, seed: 34, rates: { lens: 0.2, tidal: 0.2 } });
    const ex = new MorphologyExtractor({ bands: ['g', 'r', 'z'], width: 64, height: 64 });
    const col = (name: string) => ex.columns.findIndex((c) => c.name === name);
    const rows = new Map<string, Float32Array[]>();
    for (let i = 0; i < 500; i++) {
      const it = surveyObject(o, i);
      const cls = CLASS_NAMES[it.label];
      if (cls === 'lens' || cls === 'tidal' || cls === 'elliptical') rows.set(cls, [...(rows.get(cls) ?? []), ex.run(it.cutout.data)]);
    }
    const mean = (cls: string, name: string) => rows.get(cls)!.reduce((s, f) => s + f[col(name)], 0) / rows.get(cls)!.length;
    // blue residual area around lenses exceeds ellipticals'; outer asymmetric light of tidal hosts exceeds ellipticals'
    expect(mean('lens', 'arc_area')).toBeGreaterThan(mean('elliptical', 'arc_area'));
    expect(mean('tidal', 'tidal_asym1')).toBeGreaterThan(mean('elliptical', 'tidal_asym1'));
  });
});
