/**
 * Live cross-check against astropy: for EVERY file in astropy's own FITS test
 * data folder that astropy opens, `latent-sky inspect FILE --json --stats`
 * (the real CLI, a child process) must report the same HDU count, types,
 * shapes, BITPIX and min/max/mean/NaN count (with tolerance) as astropy; the
 * files in data/invalid must fail cleanly with exit code 2 and one line on stderr.
 * Skipped, with the reason printed, when /usr/bin/python3 has no astropy.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const probe = spawnSync('/usr/bin/python3', ['-c', 'import astropy.io.fits, os; print(os.path.dirname(astropy.io.fits.__file__))'], { encoding: 'utf8' });
const dataDir = probe.status === 0 ? join(probe.stdout.trim(), 'tests', 'data') : '';
const skip = probe.status !== 0 || !existsSync(dataDir);
if (skip) console.log('astropy-crosscheck: skipped: /usr/bin/python3 has no astropy (or no astropy test data)');

const ASTROPY_SCRIPT = `
import sys, json, warnings, os
import numpy as np
from astropy.io import fits
warnings.simplefilter('ignore')
TYPE = {'PrimaryHDU': 'image', 'ImageHDU': 'image', 'CompImageHDU': 'compressed image', 'BinTableHDU': 'bintable',
        'TableHDU': 'table', 'GroupsHDU': 'random groups'}
out = {}
for path in sys.argv[1:]:
    try:
        with fits.open(path) as hl:
            hdus = []
            for h in hl:
                cls = type(h).__name__
                d = {'type': TYPE.get(cls, cls), 'bitpix': int(h.header['BITPIX'])}
                if cls in ('BinTableHDU', 'TableHDU'):
                    d['rows'] = int(h.header['NAXIS2'])
                elif cls != 'GroupsHDU':
                    data = h.data
                    d['shape'] = list(data.shape) if data is not None else []
                    if data is not None and data.size:
                        a = np.asarray(data, dtype=np.float64)
                        good = a[~np.isnan(a)]
                        d['stats'] = {'min': float(good.min()) if good.size else None, 'max': float(good.max()) if good.size else None,
                                      'mean': float(good.mean()) if good.size else None, 'nanCount': int(np.isnan(a).sum())}
                hdus.append(d)
            out[path] = hdus
    except Exception as e:  # astropy cannot open it: not part of the comparison
        out[path] = {'error': str(e)}
print(json.dumps(out))
`;

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
}

async function inspect(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [join(root, 'main', 'cli', 'bin.mjs'), 'inspect', file, '--json', '--stats'], { cwd: root, maxBuffer: 1 << 24 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** runs `fn` over items, two at a time (the machine has two cores) */
async function pool<T, R>(items: T[], fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

describe.skipIf(skip)('inspect --json --stats agrees with astropy on astropy’s own test files', () => {
  it('every file astropy opens; invalid ones exit 2', async () => {
    const valid = readdirSync(dataDir)
      .filter((f) => f.endsWith('.fits'))
      .sort()
      .map((f) => join(dataDir, f));
    const invalid = existsSync(join(dataDir, 'invalid')) ? readdirSync(join(dataDir, 'invalid')).map((f) => join(dataDir, 'invalid', f)) : [];
    const ref = JSON.parse(spawnSync('/usr/bin/python3', ['-c', ASTROPY_SCRIPT, ...valid], { encoding: 'utf8', maxBuffer: 1 << 24 }).stdout) as Record<
      string,
      unknown
    >;
    const opened = valid.filter((f) => Array.isArray(ref[f]));
    expect(opened.length).toBeGreaterThan(20);
    const results = await pool([...opened, ...invalid], inspect);
    const problems: string[] = [];
    opened.forEach((file, k) => {
      const r = results[k]!;
      const name = file.slice(dataDir.length + 1);
      if (r.code !== 0) {
        problems.push(`${name}: exit ${r.code}: ${r.stderr.trim()}`);
        return;
      }
      const ours = JSON.parse(r.stdout).hdus as { type: string; bitpix: number; shape: number[]; rows?: number; stats?: Record<string, number | null> }[];
      const want = ref[file] as { type: string; bitpix: number; shape?: number[]; rows?: number; stats?: Record<string, number | null> }[];
      if (ours.length !== want.length) {
        problems.push(`${name}: ${ours.length} HDUs, astropy ${want.length}`);
        return;
      }
      want.forEach((w, i) => {
        const o = ours[i]!;
        const where = `${name} HDU ${i}`;
        if (o.type !== w.type) problems.push(`${where}: type ${o.type}, astropy ${w.type}`);
        if (o.bitpix !== w.bitpix) problems.push(`${where}: BITPIX ${o.bitpix}, astropy ${w.bitpix}`);
        if (w.rows !== undefined && o.shape[0] !== w.rows) problems.push(`${where}: ${o.shape[0]} rows, astropy ${w.rows}`);
        // astropy shows an image without data as shape (); we keep the axes (e.g. (0, 777777701)) — both mean no pixels
        if (w.shape && w.shape.length && JSON.stringify(o.shape) !== JSON.stringify(w.shape)) problems.push(`${where}: shape ${o.shape}, astropy ${w.shape}`);
        if (w.stats) {
          if (!o.stats) {
            problems.push(`${where}: no stats`);
            return;
          }
          for (const k of ['min', 'max', 'mean'] as const)
            if (!close(o.stats[k]!, w.stats[k]!)) problems.push(`${where}: ${k} ${o.stats[k]}, astropy ${w.stats[k]}`);
          if (o.stats.nanCount !== w.stats.nanCount) problems.push(`${where}: NaN count ${o.stats.nanCount}, astropy ${w.stats.nanCount}`);
        }
      });
    });
    invalid.forEach((file, k) => {
      const r = results[opened.length + k]!;
      if (r.code !== 2) problems.push(`${file}: exit ${r.code}, expected 2`);
      if (r.stderr.trim().split('\n').length !== 1) problems.push(`${file}: stderr is not one line: ${r.stderr}`);
    });
    expect(problems).toEqual([]);
  });
});
