/**
 * Sharded embed without a cluster: a shard task killed with SIGKILL mid-run
 * resumes on rerun without redoing or losing rows; merge refuses an
 * incomplete plan (a shard that never ran, missing rows) naming what to
 * rerun, then assembles a matrix equal to a single-process embed.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShard, shardRange } from '@main/node/cluster/shards';

const bin = join(__dirname, '..', '..', 'main', 'cli', 'bin.mjs');
const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const modelDir = (ws: string) => join(ws, 'embeddings', readdirSync(join(ws, 'embeddings'))[0]);

describe('embed --shard K/N and merge', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shards-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shard ranges are contiguous, batch-aligned and cover every row', () => {
    for (const [count, n] of [
      [200, 4],
      [1000, 7],
      [5, 3],
      [0, 2],
    ]) {
      let at = 0;
      for (let k = 0; k < n; k++) {
        const r = shardRange(count, { k, n }, 32);
        expect(r.lo).toBe(at);
        if (r.hi < count) expect(r.hi % 32).toBe(0);
        at = r.hi;
      }
      expect(at).toBe(count);
    }
    expect(() => parseShard('4/4')).toThrow(/0 <= K < N/);
    expect(parseShard('2/8')).toEqual({ k: 2, n: 8 });
  });

  it('a shard killed with SIGKILL resumes; merge checks completeness; the result equals a single process', async () => {
    const ws = join(dir, 'ws'),
      single = join(dir, 'single');
    expect(cli(['synth', ws, '--count', '200', '--seed', '9']).status).toBe(0);
    cpSync(ws, single, { recursive: true });
    // kill shard 0/2 as soon as its first rows are durable
    const child = spawn(process.execPath, [bin, 'embed', ws, '--shard', '0/2', '--batch', '8', '--threads', '1'], { stdio: 'ignore' });
    const killedAfter = await new Promise<number>((resolve) => {
      const t = setInterval(() => {
        const f = existsSync(join(ws, 'embeddings')) ? readdirSync(join(ws, 'embeddings')) : [];
        const done = f.length ? join(ws, 'embeddings', f[0], 'shards', '0-of-2.done') : '';
        const bits = done && existsSync(done) ? readFileSync(done).reduce((s, b) => s + (b ? 1 : 0), 0) : 0;
        if (bits > 0) {
          clearInterval(t);
          child.kill('SIGKILL');
          resolve(bits);
        }
      }, 10);
      child.on('exit', () => {
        clearInterval(t);
        resolve(-1);
      });
    });
    expect(killedAfter).toBeGreaterThan(0);
    const early = cli(['merge', ws]);
    expect(early.status).toBe(2);
    expect(early.stderr).toMatch(/shards 1 of 2 never ran/);
    const resumed = cli(['embed', ws, '--shard', '0/2', '--batch', '8', '--threads', '1', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const rep = JSON.parse(resumed.stdout);
    expect(rep.info.alreadyDone).toBeGreaterThan(0);
    expect(rep.info.alreadyDone + rep.encoded).toBe(rep.info.total);
    expect(cli(['embed', ws, '--shard', '1/2', '--batch', '8', '--threads', '1']).status).toBe(0);
    const merged = cli(['merge', ws, '--json']);
    expect(merged.status, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ shards: 2, rows: 200, merged: 200, missing: 0 });
    execFileSync(process.execPath, [bin, 'embed', single, '--batch', '8', '--threads', '1'], { stdio: 'ignore' });
    expect(readFileSync(join(modelDir(ws), 'matrix.f32')).equals(readFileSync(join(modelDir(single), 'matrix.f32')))).toBe(true);
    // a shard re-planned with other boundaries (another batch) is refused, not mixed in
    const other = cli(['embed', ws, '--shard', '0/2', '--batch', '16']);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/shard 0\/2 was started over rows 0\.\.104 of 200 .*now 0\.\.112/);
  }, 180_000);
});
