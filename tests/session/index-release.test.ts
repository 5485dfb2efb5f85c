/**
 * The memory-mapped HNSW index is the session's: a neighbour query maps the
 * .usearch file once (cached), and switching or closing the workspace unmaps
 * it and closes its descriptor at once, counted in /proc/self/maps and
 * /proc/self/fd (not left to the garbage collector). A released index refuses
 * queries with UNAVAILABLE instead of touching freed memory.
 */
import { readdirSync, readFileSync, readlinkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '@main/node/services/engine';
import { VectorIndex } from '@main/node/index/vector-index';
import { makeFixtureWorkspace } from '../discovery/fixture-workspace';

const linux = process.platform === 'linux';
let dir: string;

const mapped = (part: string) =>
  readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((l) => l.includes(part)).length;
const openFds = (part: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd)).includes(part);
    } catch {
      return false;
    }
  }).length;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ls-index-release-'));
  makeFixtureWorkspace(join(dir, 'a'), 300).close();
  makeFixtureWorkspace(join(dir, 'b'), 40).close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function settle(engine: Engine): Promise<void> {
  for (const j of await engine.jobs.list()) if (j.state === 'running') await engine.waitForJob(j.id);
}

describe.runIf(linux)('index release', () => {
  it('switching and closing the workspace unmap the index file', async () => {
    const engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), labelWatchMs: 0 });
    await engine.workspace.open({ path: join(dir, 'a') });
    await settle(engine);
    const file = join(dir, 'a', 'index');
    expect(mapped(file)).toBe(0);
    const n = await engine.search.neighbours({ idx: 3, k: 5 });
    expect(n.method).toBe('hnsw');
    await engine.search.neighbours({ idx: 4, k: 5 });
    expect(mapped(file)).toBeGreaterThan(0);
    expect(openFds(file)).toBe(1); // one mapping, cached for the session
    const a = engine.ctx.session!;

    await engine.workspace.open({ path: join(dir, 'b') });
    await settle(engine);
    expect(a.disposed).toBe(true);
    expect(mapped(file)).toBe(0);
    expect(openFds(file)).toBe(0);

    const fileB = join(dir, 'b', 'index');
    expect((await engine.search.neighbours({ idx: 1, k: 3 })).method).toBe('hnsw');
    expect(mapped(fileB)).toBeGreaterThan(0);
    await engine.close();
    expect(mapped(fileB)).toBe(0);
    expect(openFds(fileB)).toBe(0);
  }, 60_000);

  it('a released index is empty and refuses queries', () => {
    const rows = new Float32Array(50 * 4).map((_, i) => Math.sin(i));
    const idx = VectorIndex.create(4);
    idx.add(rows, 0);
    const path = join(dir, 'x.usearch');
    idx.save(path);
    idx.release();
    const view = VectorIndex.view(path, 4);
    expect(view.search(rows.subarray(0, 4), 3).indices[0]).toBe(0);
    expect(mapped(path)).toBe(1);
    view.release();
    view.release(); // twice is fine
    expect(mapped(path)).toBe(0);
    expect(view.size).toBe(0);
    expect(() => view.search(rows.subarray(0, 4), 3)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
  });
});
