/**
 * Builds the real-image check set from Debian's stellarium-data package
 * (photographs of deep-sky objects, nebulae/default/*.png; see REPORT.md of
 * each model for source and licence). Each photograph is labelled with the
 * type of its subject in Stellarium's own catalogue (catalog.dat; the subject
 * = the largest catalogued object within 0.3 × the picture's shorter side of
 * its centre) and brought to the encoder's input exactly as the folder
 * importer stores a PNG (main/node/ingest/folder): decodeImageFile → planes
 * g ← B, r ← G, z ← R → fitWhole to size × size → 8-bit storage (Uint8ClampedArray:
 * rounded, clamped, as main/node/workspace/cutout-store.ts).
 *
 *   npx tsx native-models/tools/real-set.ts [--src /usr/share/stellarium/nebulae/default] --out DIR [--size 64]
 *
 * DIR/images.npy float32 (N, 3, size, size), values 0..255 (bands g, r, z), y = 0 the bottom row
 * DIR/labels.csv  index,file,class,stellarium_type,designation,credit,offset_deg
 * DIR/meta.json   classes and counts, skipped files with the reason
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeImageFile } from '../../main/node/ingest/folder/decode';
import { fitWhole } from '../../main/node/ingest/resample';
import { npyFloat32 } from '../../main/node/export/npy';
import { DSO_TYPES, readCatalog, readTextures, subjectOf, unitVectors } from './stellarium-catalog';

/** Stellarium type → check class ('other' = kept in the set, a class of its own) */
export function checkClass(type: string): string {
  if (['galaxy', 'active galaxy', 'radio galaxy', 'interacting galaxies', 'quasar'].includes(type)) return 'galaxy';
  if (type === 'globular cluster') return 'globular cluster';
  if (['open cluster', 'star cluster', 'stellar association', 'star cloud'].includes(type)) return 'open cluster';
  if (['planetary nebula', 'possible planetary nebula', 'protoplanetary nebula'].includes(type)) return 'planetary nebula';
  if (['nebula', 'reflection nebula', 'bipolar nebula', 'emission nebula', 'HII region', 'supernova remnant', 'interstellar matter', 'emission object'].includes(type)) return 'bright nebula';
  return 'other';
}

const RGB_AS_GRZ_PLANE = [2, 1, 0]; // g ← B (plane 2), r ← G (1), z ← R (0), as ingest.ts RGB_AS_GRZ

const main = (): void => {
  const { values } = parseArgs({ options: { src: { type: 'string' }, out: { type: 'string' }, size: { type: 'string' } } });
  const src = values.src ?? '/usr/share/stellarium/nebulae/default';
  if (!values.out || !existsSync(join(src, 'textures.json'))) {
    console.error('usage: real-set.ts [--src DIR with textures.json, catalog.dat and the PNGs] --out DIR [--size 64]');
    process.exit(2);
  }
  const size = Number(values.size ?? 64);
  const cat = readCatalog(join(src, 'catalog.dat'));
  const vecs = unitVectors(cat.records);
  const textures = readTextures(join(src, 'textures.json'));
  const rows: string[] = ['index,file,class,stellarium_type,designation,credit,offset_deg'];
  const skipped: { file: string; reason: string }[] = [];
  const planes: Uint8ClampedArray[] = [];
  const counts: Record<string, number> = {};
  for (const t of textures) {
    const s = subjectOf(t, cat.records, vecs);
    if (!s) { skipped.push({ file: t.file, reason: 'no catalogued object near the centre' }); continue; }
    let img;
    try { img = decodeImageFile(join(src, t.file), 'png'); } catch (e) { skipped.push({ file: t.file, reason: (e as Error).message }); continue; }
    const n = img.width * img.height;
    const out = new Uint8ClampedArray(3 * size * size);
    RGB_AS_GRZ_PLANE.forEach((p, k) => {
      const plane = img.data.subarray(p * n, (p + 1) * n);
      const fitted = img.width === size && img.height === size ? plane : fitWhole({ data: plane, width: img.width, height: img.height, bands: 1 }, size);
      out.set(fitted, k * size * size);
    });
    const type = DSO_TYPES[s.rec.type] ?? 'unknown';
    const cls = checkClass(type);
    counts[cls] = (counts[cls] ?? 0) + 1;
    const q = (v: string): string => `"${v.replace(/"/g, "'")}"`;
    rows.push([planes.length, t.file, cls, q(type), q(s.rec.names.slice(0, 3).join(' / ')), q(t.credit), s.offset.toFixed(4)].join(','));
    planes.push(out);
  }
  mkdirSync(values.out, { recursive: true });
  const all = new Float32Array(planes.length * 3 * size * size);
  planes.forEach((p, i) => all.set(p, i * p.length));
  writeFileSync(join(values.out, 'images.npy'), npyFloat32(all, [planes.length, 3, size, size]));
  writeFileSync(join(values.out, 'labels.csv'), rows.join('\n') + '\n');
  writeFileSync(join(values.out, 'meta.json'), JSON.stringify({
    source: src, catalog: { version: cat.version, edition: cat.edition, records: cat.records.length },
    size, count: planes.length, classes: counts, skipped,
  }, null, 1));
  console.log(`real-set: ${planes.length} images (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}), ${skipped.length} skipped -> ${values.out}`);
};

main();
