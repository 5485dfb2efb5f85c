/**
 * End to end on real processes: 500 colour cutouts (PNG and JPEG, three
 * sizes, three kinds of object) → `ingest --from folder` → `embed` (the
 * bundled model) → `search --like`: the neighbours of a ring are rings.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';

const root = join(__dirname, '..', '..');
const bin = join(root, 'main', 'cli', 'bin.mjs');

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '',
      err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

const KINDS = ['blob', 'ring', 'streak'] as const;

function picture(kind: (typeof KINDS)[number], w: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const rgba = new Uint8Array(w * w * 4);
  const c = w / 2 + rng.uniform(-1.5, 1.5),
    s = w / 64;
  const angle = rng.uniform(0, Math.PI);
  for (let y = 0; y < w; y++)
    for (let x = 0; x < w; x++) {
      const dx = (x - c) / s,
        dy = (y - c) / s;
      let v: number;
      if (kind === 'blob') v = Math.exp(-(dx * dx + dy * dy) / (2 * 5 * 5));
      else if (kind === 'ring') v = Math.exp(-((Math.hypot(dx, dy) - 14) ** 2) / (2 * 1.5 ** 2));
      else {
        const u = dx * Math.cos(angle) + dy * Math.sin(angle),
          t = -dx * Math.sin(angle) + dy * Math.cos(angle);
        v = Math.exp(-(u * u) / (2 * 16 * 16) - (t * t) / (2 * 1.5 * 1.5));
      }
      const i = (y * w + x) * 4;
      const noise = () => rng.gauss(0, 4);
      rgba[i] = Math.max(0, Math.min(255, 20 + 200 * v + noise()));
      rgba[i + 1] = Math.max(0, Math.min(255, 18 + 170 * v + noise()));
      rgba[i + 2] = Math.max(0, Math.min(255, 22 + 120 * v + noise()));
      rgba[i + 3] = 255;
    }
  return rgba;
}

describe('500 colour cutouts: ingest → embed → search (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'e2e-folder-'));
    const img = join(dir, 'img');
    mkdirSync(img);
    const lines = ['file,id,ra,dec,kind'];
    for (let i = 0; i < 500; i++) {
      const kind = KINDS[i % 3],
        w = [64, 96, 128][Math.floor(i / 3) % 3];
      const rgba = picture(kind, w, i);
      const png = i % 2 === 0;
      const name = `${kind}${i}.${png ? 'png' : 'jpg'}`;
      writeFileSync(
        join(img, name),
        png
          ? PNG.sync.write(Object.assign(new PNG({ width: w, height: w }), { data: Buffer.from(rgba) }))
          : jpeg.encode({ data: rgba, width: w, height: w }, 90).data,
      );
      lines.push(`${name},${kind}${i},${30 + (i % 25) * 0.1},${-5 + Math.floor(i / 25) * 0.1},${kind}`);
    }
    writeFileSync(join(dir, 'cat.csv'), lines.join('\n') + '\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds rings next to a ring', async () => {
    const ws = join(dir, 'ws');
    const ing = await cli(['ingest', ws, '--from', 'folder', join(dir, 'img'), '--catalog', join(dir, 'cat.csv'), '--size', '64', '--json']);
    expect(ing.code, ing.err).toBe(0);
    expect(JSON.parse(ing.out)).toMatchObject({ added: 500, skipped: [] });
    const emb = await cli(['embed', ws, '--json']);
    expect(emb.code, emb.err).toBe(0);
    const s = await cli(['search', ws, '--like', 'ring1', '--k', '10', '--json']);
    expect(s.code, s.err).toBe(0);
    const r = JSON.parse(s.out);
    expect(r.query.id).toBe('ring1');
    const kinds = r.neighbours.map((n: { id: string }) => n.id.replace(/\d+$/, ''));
    expect(kinds).toHaveLength(10);
    expect(kinds.filter((k: string) => k === 'ring').length).toBeGreaterThanOrEqual(9);
  });
});
