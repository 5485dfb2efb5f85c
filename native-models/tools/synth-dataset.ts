/**
 * Dumps the built-in synthetic survey as a training set for the encoder:
 *
 *   npx tsx native-models/tools/synth-dataset.ts --count N --seed S --out DIR [--size 64] [--workers 2]
 *
 * DIR/images.npy  float32 (N, 3, size, size), bands g, r, z, nanomaggies, y = 0 the bottom row
 * DIR/labels.npy  int64 (N,), class index into meta.json "classes"
 * DIR/meta.json   classes, seed, count, size, pixscale, bands, sky_sigma per band, rates,
 *                 label_counts and per-object columns (id, ra, dec, every catalogue extra;
 *                 null where an object lacks that column)
 * Files are written as *.partial and renamed when complete; meta.json is written
 * last, so its presence means the dump is complete. Object i is identical to
 * `latent-sky synth` / surveyObject(opts, i) with the same seed and size.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { CLASS_NAMES, resolveOptions, surveyObject, surveyObjectMeta } from '../../app/synth/index';

/** .npy v1.0 header for a C-order array */
export function npyHeader(descr: string, shape: number[]): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(dict.length, 8);
  return Buffer.concat([head, Buffer.from(dict, 'latin1')]);
}

interface Job { file: string; offset: number; start: number; end: number; count: number; seed: number; size: number }

/** renders objects [start, end) into `file` at byte `offset` + i × bytesPerImage */
function renderRange(job: Job, progress: (n: number) => void): void {
  const o = resolveOptions({ count: job.count, seed: job.seed, size: job.size });
  const per = 3 * job.size * job.size * 4;
  const fd = openSync(job.file, 'r+');
  try {
    const batch = 64;
    const block = new Float32Array(batch * 3 * job.size * job.size);
    const bytes = Buffer.from(block.buffer);
    for (let i = job.start; i < job.end; i += batch) {
      const stop = Math.min(job.end, i + batch);
      for (let k = i; k < stop; k++) surveyObject(o, k, block.subarray((k - i) * (per / 4), (k - i + 1) * (per / 4)));
      writeSync(fd, bytes, 0, (stop - i) * per, job.offset + i * per);
      progress(stop - i);
    }
  } finally {
    closeSync(fd);
  }
}

/** workers load this same file through tsx's API (a plain Worker cannot load .ts) */
const workerBoot = `const api = await import('tsx/esm/api'); await api.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)});`;

if (!isMainThread) {
  renderRange(workerData as Job, (n) => parentPort!.postMessage(n));
} else {
  await main();
}

async function main(): Promise<void> {
  const usage = 'usage: npx tsx native-models/tools/synth-dataset.ts --count N --seed S --out DIR [--size 64] [--workers 2]';
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ options: { count: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, size: { type: 'string' }, workers: { type: 'string' } }, strict: true }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  const num = (name: string, dflt?: number) => {
    const v = values[name];
    if (v === undefined && dflt !== undefined) return dflt;
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 0) {
      console.error(`--${name} must be an integer >= 0${v === undefined ? ' (required)' : `, got '${v}'`}\n${usage}`);
      process.exit(2);
    }
    return n;
  };
  const count = num('count'), seed = num('seed'), size = num('size', 64);
  const workers = Math.max(1, Math.min(num('workers', Math.min(2, availableParallelism())), 16));
  if (!values.out) {
    console.error(`--out is required\n${usage}`);
    process.exit(2);
  }
  const dir = values.out;
  const o = resolveOptions({ count, seed, size });
  mkdirSync(dir, { recursive: true });
  const imgPath = join(dir, 'images.npy'), partial = imgPath + '.partial';
  rmSync(join(dir, 'meta.json'), { force: true });

  // labels + columns (fast path, no pixels)
  const labels = new BigInt64Array(count);
  const columns: Record<string, (number | string | null)[]> = { id: [], ra: [], dec: [] };
  const labelCounts = new Array(CLASS_NAMES.length).fill(0);
  for (let i = 0; i < count; i++) {
    const { object, label } = surveyObjectMeta(o, i);
    labels[i] = BigInt(label);
    labelCounts[label]++;
    columns.id.push(object.id);
    columns.ra.push(object.ra);
    columns.dec.push(object.dec);
    for (const [k, v] of Object.entries(object.extra)) {
      if (!columns[k]) columns[k] = new Array(i).fill(null);
      columns[k].push(v);
    }
    for (const k of Object.keys(columns)) if (columns[k].length < i + 1) columns[k].push(null);
  }

  // images, in parallel ranges written at their offsets
  const header = npyHeader('<f4', [count, 3, size, size]);
  writeFileSync(partial, header);
  const t0 = Date.now();
  let done = 0, lastPrint = 0;
  const report = (n: number) => {
    done += n;
    const now = Date.now();
    if (now - lastPrint > 1000 || done === count) {
      lastPrint = now;
      const rate = done / Math.max(1e-3, (now - t0) / 1000);
      process.stderr.write(`\rsynth-dataset: ${done}/${count} cutouts (${rate.toFixed(0)}/s)   `);
    }
  };
  const chunk = Math.ceil(count / workers);
  const jobs: Job[] = [];
  for (let w = 0; w < workers; w++) {
    const start = w * chunk, end = Math.min(count, start + chunk);
    if (start < end) jobs.push({ file: partial, offset: header.length, start, end, count, seed, size });
  }
  const ac = new AbortController();
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  process.once('SIGTERM', onSig);
  try {
    // always in workers, so SIGINT/SIGTERM can stop the dump (and remove the partial file)
    await Promise.all(jobs.map((job) => new Promise<void>((resolve, reject) => {
      const wk = new Worker(workerBoot, { eval: true, workerData: job });
      ac.signal.addEventListener('abort', () => void wk.terminate().then(() => reject(new Error('cancelled'))));
      wk.on('message', (n: number) => report(n));
      wk.on('error', reject);
      wk.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with code ${code}`))));
    })));
  } catch (e) {
    rmSync(partial, { force: true });
    console.error(`\nsynth-dataset: ${ac.signal.aborted ? 'cancelled' : (e as Error).message}; nothing written`);
    process.exit(ac.signal.aborted ? 130 : 1);
  }
  renameSync(partial, imgPath);
  const lab = Buffer.from(labels.buffer);
  writeFileSync(join(dir, 'labels.npy'), Buffer.concat([npyHeader('<i8', [count]), lab]));
  const meta = {
    format: 'latent-sky-synth-dataset',
    formatVersion: 1,
    classes: [...CLASS_NAMES],
    seed,
    count,
    size,
    pixscale: o.pixscale,
    bands: o.bands,
    unit: 'nanomaggies',
    layout: 'images.npy is (count, band, y, x), y = 0 the bottom row (FITS order)',
    sky_sigma: Object.fromEntries(o.bands.map((b, k) => [b, o.conditions[k].skySigma])),
    rates: o.rates,
    label_counts: Object.fromEntries(CLASS_NAMES.map((c, k) => [c, labelCounts[k]])),
    columns,
  };
  writeFileSync(join(dir, 'meta.json.partial'), JSON.stringify(meta));
  renameSync(join(dir, 'meta.json.partial'), join(dir, 'meta.json'));
  process.stderr.write(`\nsynth-dataset: wrote ${count} cutouts to ${dir} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
