import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMB_HEADER_BYTES, Workspace } from '@main/node/workspace';
import { LABEL_NEGATIVE, LABEL_NONE, LABEL_POSITIVE } from '@app/core/labels';
import { CLASSES, makeItem, makeItems, SPEC, viaF16 } from './make';

const root = mkdtempSync(join(tmpdir(), 'ls-ws-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `w${n++}`);

function code(e: () => unknown): string | undefined {
  try {
    e();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('create / open', () => {
  it('creates a workspace that opens again and refuses a second creation', () => {
    const dir = fresh();
    expect(Workspace.isWorkspace(dir)).toBe(false);
    const ws = Workspace.create(dir, { name: 'test', cutout: SPEC });
    expect(ws.manifest).toMatchObject({ format: 'latent-sky-workspace', formatVersion: 1, name: 'test', cutout: { ...SPEC, dtype: 'f16' } });
    ws.close();
    expect(Workspace.isWorkspace(dir)).toBe(true);
    expect(code(() => Workspace.create(dir, { cutout: SPEC }))).toBe('CONFLICT');
    const again = Workspace.open(dir);
    expect(again.count()).toBe(0);
    again.close();
  });

  it('refuses a non-empty folder and bad cutout specs', () => {
    const dir = fresh();
    Workspace.create(dir, { cutout: SPEC }).close();
    const other = fresh();
    Workspace.create(other, { cutout: SPEC }).close();
    writeFileSync(join(other, '..', 'stray.txt'), 'x');
    expect(code(() => Workspace.create(root, { cutout: SPEC }))).toBe('CONFLICT');
    expect(code(() => Workspace.create(fresh(), { cutout: { ...SPEC, bands: ['g', 'g'] } }))).toBe('BAD_INPUT');
    expect(code(() => Workspace.create(fresh(), { cutout: { ...SPEC, size: 0 } }))).toBe('BAD_INPUT');
  });

  it('reports WORKSPACE_INVALID with one line for folders that are not workspaces', () => {
    const missing = join(root, 'missing');
    expect(code(() => Workspace.open(missing))).toBe('WORKSPACE_INVALID');
    const dir = fresh();
    Workspace.create(dir, { cutout: SPEC }).close();
    const manifest = readFileSync(join(dir, 'manifest.json'), 'utf8');
    writeFileSync(join(dir, 'manifest.json'), '{ not json');
    let err: Error | undefined;
    try {
      Workspace.open(dir);
    } catch (e) {
      err = e as Error;
    }
    expect((err as { code?: string }).code).toBe('WORKSPACE_INVALID');
    expect(err!.message).not.toContain('\n');
    writeFileSync(join(dir, 'manifest.json'), manifest.replace('"formatVersion": 1', '"formatVersion": 9'));
    expect(() => Workspace.open(dir)).toThrow(/newer/);
    writeFileSync(join(dir, 'manifest.json'), manifest);
    writeFileSync(join(dir, 'catalog.sqlite'), 'garbage that is not sqlite at all, long enough to be read as a header ....');
    rmSync(join(dir, 'catalog.sqlite-wal'), { force: true });
    expect(code(() => Workspace.open(dir))).toBe('WORKSPACE_INVALID');
  });
});

describe('objects and cutouts', () => {
  let ws: Workspace;
  const N = 300;
  beforeAll(() => {
    ws = Workspace.create(fresh(), { cutout: { ...SPEC, shardRecords: 64 } });
    ws.addObjects(makeItems(0, 100));
    ws.addObjects(makeItems(100, N - 100));
  });
  afterAll(() => ws.close());

  it('assigns dense indices and returns the catalogue rows', () => {
    expect(ws.count()).toBe(N);
    const o = ws.getObject(205);
    const src = makeItem(205).object;
    expect(o).toEqual({ idx: 205, ...src });
    expect(ws.objects(10, 3).map((r) => r.idx)).toEqual([10, 11, 12]);
    expect(ws.findById('obj-77')).toBe(77);
    expect(ws.findById('nope')).toBeUndefined();
    expect(code(() => ws.getObject(N))).toBe('UNKNOWN_OBJECT');
  });

  it('gives columns for ra, dec, numeric extras and truth', () => {
    const ra = ws.column('ra'),
      mag = ws.column('mag_r');
    expect(ra.length).toBe(N);
    for (const i of [0, 99, 100, 299]) {
      expect(ra[i]).toBe(makeItem(i).object.ra);
      expect(mag[i]).toBe(makeItem(i).object.extra.mag_r);
    }
    expect(ws.columns()).toEqual([
      { name: 'mag_r', kind: 'numeric' },
      { name: 'note', kind: 'text' },
    ]);
    expect(ws.textColumn('note')[5]).toBe('n5');
    expect(ws.textColumn('note')[6]).toBeNull();
    expect(code(() => ws.column('nope'))).toBe('NOT_FOUND');
    const truth = ws.truthColumn();
    const counts: Record<string, number> = {};
    truth.forEach((t) => {
      counts[t!] = (counts[t!] ?? 0) + 1;
    });
    expect(ws.truthCounts()).toEqual(counts);
    expect(Object.keys(counts).sort()).toEqual([...CLASSES].sort());
  });

  it('extends cached columns as objects are added', () => {
    const before = ws.column('dec');
    const extra = Workspace.open(ws.dir); // a second writer (another window, another process)
    extra.addObjects([makeItem(N)]);
    extra.close();
    const after = ws.column('dec');
    expect(after.length).toBe(N + 1);
    expect(Array.from(after.subarray(0, N))).toEqual(Array.from(before));
    expect(after[N]).toBe(makeItem(N).object.dec);
  });

  it('stores cutouts as half floats, NaN kept, across shard boundaries', () => {
    const block = ws.readCutouts(60, 10); // shard 0 -> 1
    block.forEach((c, k) => {
      expect(c).toMatchObject({ bands: SPEC.bands, width: SPEC.size, height: SPEC.size, unit: SPEC.unit });
      expect(Array.from(c.data)).toEqual(Array.from(viaF16(makeItem(60 + k).cutout.data)));
    });
    expect(Number.isNaN(ws.getCutout(66).data[3])).toBe(true);
    expect(Array.from(ws.readCutoutBlock(127, 2))).toEqual([...viaF16(makeItem(127).cutout.data), ...viaF16(makeItem(128).cutout.data)]);
    expect(code(() => ws.readCutouts(N - 1, 5))).toBe('UNKNOWN_OBJECT');
  });

  it('refuses a bad batch as a whole and names the bad item', () => {
    const before = ws.count();
    const good = makeItem(5000);
    const wrongBands = makeItem(5001);
    wrongBands.cutout.bands = ['g', 'r', 'i'];
    expect(() => ws.addObjects([good, wrongBands])).toThrow(/#1 .*bands/);
    const nanPos = makeItem(5002);
    nanPos.object.dec = NaN;
    expect(() => ws.addObjects([nanPos])).toThrow(/not finite/);
    expect(() => ws.addObjects([makeItem(3)])).toThrow(/already in the workspace/);
    expect(ws.count()).toBe(before);
    expect(ws.validateItem(wrongBands)).toMatch(/bands/);
    expect(ws.validateItem(good)).toBeNull();
  });

  it('keeps f32 cutouts exact and u8 images as bytes', () => {
    const f32 = Workspace.create(fresh(), { cutout: { ...SPEC, dtype: 'f32' } });
    const it32 = makeItem(1);
    f32.addObjects([it32]);
    expect(Array.from(f32.getCutout(0).data)).toEqual(Array.from(it32.cutout.data));
    f32.close();
    const u8spec = { ...SPEC, unit: 'u8' as const };
    const u8 = Workspace.create(fresh(), { cutout: u8spec });
    const item = makeItem(2, u8spec);
    item.cutout.data = item.cutout.data.map((_, k) => k % 256);
    u8.addObjects([item]);
    expect(u8.manifest.cutout.dtype).toBe('u8');
    expect(Array.from(u8.getCutout(0).data)).toEqual(Array.from(item.cutout.data));
    expect(statSync(join(u8.dir, 'cutouts', 'shard-00000.bin')).size).toBe(item.cutout.data.length);
    u8.close();
  });
});

describe('recovery on open', () => {
  it('drops cutout bytes that no committed object owns', () => {
    const dir = fresh();
    const ws = Workspace.create(dir, { cutout: SPEC });
    ws.addObjects(makeItems(0, 3));
    ws.close();
    const shard = join(dir, 'cutouts', 'shard-00000.bin');
    const size = statSync(shard).size;
    appendFileSync(shard, Buffer.alloc(1000, 7)); // a write that never committed
    const again = Workspace.open(dir);
    expect(statSync(shard).size).toBe(size);
    again.addObjects([makeItem(3)]);
    expect(Array.from(again.getCutout(3).data)).toEqual(Array.from(viaF16(makeItem(3).cutout.data)));
    again.close();
  });

  it('removes temp files left by a process that died mid-write, not those of live ones', () => {
    const dir = fresh();
    Workspace.create(dir, { cutout: SPEC }).close();
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const dead = join(dir, `manifest.json.tmp-${deadPid}`);
    const live = join(dir, `manifest.json.tmp-${process.ppid}`);
    writeFileSync(dead, '{');
    writeFileSync(live, '{');
    Workspace.open(dir).close();
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it('cutout bytes ahead of the catalogue (an ingest before its commit) survive a second open with repair: false', () => {
    const dir = fresh();
    const ws = Workspace.create(dir, { cutout: SPEC });
    ws.addObjects(makeItems(0, 3));
    const shard = join(dir, 'cutouts', 'shard-00000.bin');
    const committed = statSync(shard).size;
    appendFileSync(shard, Buffer.alloc(committed / 3, 7)); // one more cutout written, not yet committed
    const side = Workspace.open(dir, { repair: false }); // e.g. the index worker beside the ingest
    side.close();
    expect(statSync(shard).size).toBe(committed + committed / 3);
    ws.close();
    Workspace.open(dir).close(); // a normal open repairs what a killed writer left
    expect(statSync(shard).size).toBe(committed);
  });

  it('refuses a workspace whose cutouts were truncated', () => {
    const dir = fresh();
    const ws = Workspace.create(dir, { cutout: SPEC });
    ws.addObjects(makeItems(0, 3));
    ws.close();
    truncateSync(join(dir, 'cutouts', 'shard-00000.bin'), 100);
    expect(() => Workspace.open(dir, { readonly: true })).toThrow(/truncated/);
  });
});

describe('embeddings', () => {
  it('writes rows, tracks what is done and persists', () => {
    const dir = fresh();
    const ws = Workspace.create(dir, { cutout: SPEC });
    ws.addObjects(makeItems(0, 20));
    const e = ws.embeddings('tiny-v1', 8, { modelName: 'Tiny ViT v1', meta: { sha256: 'abc' } });
    expect(e.rows()).toBe(20);
    expect(e.doneCount()).toBe(0);
    const rows = new Float32Array(3 * 8).map((_, k) => k / 10);
    e.write([4, 5, 9], rows);
    expect(e.doneCount()).toBe(3);
    expect(e.isDone(5)).toBe(true);
    expect(e.isDone(6)).toBe(false);
    expect(e.missing(5)).toEqual([0, 1, 2, 3, 6]);
    expect(Array.from(e.read(9))).toEqual(Array.from(rows.subarray(16, 24)));
    expect(code(() => e.read(0))).toBe('NO_EMBEDDINGS');
    expect(code(() => ws.embeddings('tiny-v1', 16))).toBe('MODEL_MISMATCH');
    expect(code(() => e.write([20], new Float32Array(8)))).toBe('UNKNOWN_OBJECT');
    expect(code(() => e.write([0], new Float32Array(8).fill(NaN)))).toBe('BAD_INPUT');
    ws.close();

    const ro = Workspace.open(dir, { readonly: true });
    expect(ro.embeddingModels()).toEqual([{ modelKey: 'tiny-v1', dim: 8, done: 3, modelName: 'Tiny ViT v1', meta: { sha256: 'abc' } }]);
    const all = ro.embeddings('tiny-v1').readAll();
    expect(all.length).toBe(20 * 8);
    expect(Array.from(all.subarray(4 * 8, 6 * 8))).toEqual(Array.from(rows.subarray(0, 16)));
    expect(all.subarray(0, 8).every(Number.isNaN)).toBe(true);
    expect(code(() => ro.embeddings('other'))).toBe('NO_EMBEDDINGS');
    ro.close();

    const file = readFileSync(join(dir, 'embeddings', 'tiny-v1', 'matrix.f32'));
    expect(file.toString('latin1', 0, 6)).toBe('LSEMB1');
    expect(file.readUInt32LE(16)).toBe(8);
    expect(new Float32Array(file.buffer.slice(file.byteOffset + EMB_HEADER_BYTES + 9 * 32, file.byteOffset + EMB_HEADER_BYTES + 10 * 32))).toEqual(
      rows.subarray(16, 24),
    );

    const again = Workspace.open(dir);
    again.addObjects(makeItems(20, 5)); // rows grow with the workspace
    const m = again.embeddings('tiny-v1', 8);
    expect(m.rows()).toBe(25);
    m.write([24], new Float32Array(8).fill(1));
    expect(m.missing().length).toBe(25 - 4);
    m.reset();
    expect(m.doneCount()).toBe(0);
    again.dropEmbeddings('tiny-v1');
    expect(again.embeddingModels()).toEqual([]);
    expect(code(() => again.embeddings('../x', 4))).toBe('BAD_INPUT');
    again.close();
  });
});

describe('labels, rounds, vetting, kv, paths, info', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = Workspace.create(fresh(), { cutout: SPEC });
    ws.addObjects(makeItems(0, 50));
  });
  afterAll(() => ws.close());

  it('keeps labels per search with history', () => {
    ws.labels.createSearch('lenses', { description: 'strong lenses' });
    expect(ws.labels.hasSearch('lenses')).toBe(true);
    ws.labels.set('lenses', 3, 'positive');
    ws.labels.set('lenses', 4, 'negative', 'simulated');
    ws.labels.set('lenses', 5, 'unsure');
    ws.labels.set('lenses', 5, null);
    ws.labels.setMany('lenses', [
      { idx: 10, label: 'positive' },
      { idx: 11, label: 'negative' },
    ]);
    expect([...ws.labels.get('lenses')].sort((a, b) => a[0] - b[0])).toEqual([
      [3, 'positive'],
      [4, 'negative'],
      [10, 'positive'],
      [11, 'negative'],
    ]);
    const col = ws.labels.column('lenses');
    expect(col.length).toBe(50);
    expect([col[3], col[4], col[5], col[10]]).toEqual([LABEL_POSITIVE, LABEL_NEGATIVE, LABEL_NONE, LABEL_POSITIVE]);
    expect(ws.labels.searches()).toMatchObject([{ name: 'lenses', description: 'strong lenses', counts: { positive: 2, negative: 2, unsure: 0 } }]);
    expect(ws.labels.history('lenses').map((h) => [h.idx, h.label])).toEqual([
      [3, 'positive'],
      [4, 'negative'],
      [5, 'unsure'],
      [5, null],
      [10, 'positive'],
      [11, 'negative'],
    ]);
    expect(code(() => ws.labels.get('rings'))).toBe('UNKNOWN_SEARCH');
    expect(code(() => ws.labels.set('rings', 1, 'positive'))).toBe('UNKNOWN_SEARCH');
    expect(code(() => ws.labels.set('lenses', 50, 'positive'))).toBe('UNKNOWN_OBJECT');
    // a batch with one bad entry changes nothing
    expect(() =>
      ws.labels.setMany('lenses', [
        { idx: 12, label: 'positive' },
        { idx: 99, label: 'positive' },
      ]),
    ).toThrow();
    expect(ws.labels.get('lenses').has(12)).toBe(false);
  });

  it('numbers rounds per search and deletes them with the search', () => {
    ws.labels.createSearch('rings');
    expect(ws.rounds.add('rings', { auc: 0.7 })).toBe(1);
    expect(ws.rounds.add('rings', { auc: 0.8 })).toBe(2);
    expect(ws.rounds.list<{ auc: number }>('rings').map((r) => [r.round, r.payload.auc])).toEqual([
      [1, 0.7],
      [2, 0.8],
    ]);
    ws.labels.set('rings', 1, 'positive');
    ws.labels.deleteSearch('rings');
    expect(ws.labels.hasSearch('rings')).toBe(false);
    ws.labels.createSearch('rings');
    expect(ws.rounds.list('rings')).toEqual([]);
    expect(ws.labels.get('rings').size).toBe(0);
  });

  it('keeps vetting lists with order and grades', () => {
    ws.vetting.setOrder('tidal top 20', [7, 3, 9]);
    ws.vetting.set('tidal top 20', 3, { grade: 2, type: 'tidal', features: ['shell', 'stream'], note: 'clear shells' });
    ws.vetting.set('tidal top 20', 7, { grade: -1 });
    expect(Array.from(ws.vetting.order('tidal top 20'))).toEqual([7, 3, 9]);
    const g = ws.vetting.get('tidal top 20');
    expect(g.get(3)).toMatchObject({ grade: 2, type: 'tidal', features: ['shell', 'stream'], note: 'clear shells' });
    expect(ws.vetting.lists()).toMatchObject([{ name: 'tidal top 20', size: 3, graded: 1 }]);
    expect(code(() => ws.vetting.get('nope'))).toBe('NOT_FOUND');
    expect(code(() => ws.vetting.set('tidal top 20', 1000, { grade: 1 }))).toBe('UNKNOWN_OBJECT');
  });

  it('stores kv values and hands out paths inside the workspace', () => {
    ws.kv.set('index', { model: 'tiny-v1', kind: 'usearch', rows: 50 });
    expect(ws.kv.get('index')).toEqual({ model: 'tiny-v1', kind: 'usearch', rows: 50 });
    expect(ws.kv.get('absent')).toBeUndefined();
    const p = ws.path('index', 'tiny-v1', 'hnsw.usearch');
    expect(p).toBe(join(ws.dir, 'index', 'tiny-v1', 'hnsw.usearch'));
    expect(statSync(join(ws.dir, 'index', 'tiny-v1')).isDirectory()).toBe(true);
    writeFileSync(p, Buffer.alloc(100));
    expect(statSync(ws.dirPath('cache', 'thumbs')).isDirectory()).toBe(true);
    expect(code(() => ws.path('index', '..', '..', 'etc'))).toBe('BAD_INPUT');
  });

  it('summarises itself', () => {
    const info = ws.info();
    expect(info).toMatchObject({
      objects: 50,
      bands: SPEC.bands,
      cutoutSize: SPEC.size,
      cutoutDtype: 'f16',
      index: { state: { kind: 'usearch' }, files: ['tiny-v1/hnsw.usearch'] },
    });
    expect(info.disk.cutouts).toBe(50 * 3 * 16 * 16 * 2);
    expect(info.disk.index).toBe(100);
    expect(info.disk.total).toBeGreaterThan(info.disk.cutouts + info.disk.catalog);
    expect(info.classes).toEqual(ws.truthCounts());
    expect(info.searches.find((s) => s.name === 'lenses')).toMatchObject({ positive: 2, negative: 2 });
  });

  it('refuses writes when opened read-only', () => {
    const ro = Workspace.open(ws.dir, { readonly: true });
    expect(ro.labels.get('lenses').get(3)).toBe('positive');
    expect(() => ro.addObjects([makeItem(999)])).toThrow(/read-only/);
    ro.close();
  });
});
