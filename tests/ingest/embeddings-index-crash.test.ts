/**
 * An index build killed with SIGKILL (a real `latent-sky index` process on
 * an embedding-catalogue workspace) never leaves a corrupt index: it resumes
 * from the last checkpoint; an index file and members bitmap that disagree
 * (a kill between the two saves) trigger a rebuild, and a dead process's
 * temporary save file is removed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npyFloat32 } from '@main/node/export/npy';
import { VectorIndex } from '@main/node/index/vector-index';
import { structuredVectors } from '../discovery/structured';

const bin = join(__dirname, '..', '..', 'main', 'cli', 'bin.mjs');
const N = 20_000,
  D = 32;
const env = { ...process.env, LATENT_SKY_INDEX_CHECKPOINT: '4000' };
const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });

describe('index build survives kill -9', () => {
  let dir: string, ws: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'idx-kill-'));
    ws = join(dir, 'ws');
    writeFileSync(join(dir, 'v.npy'), npyFloat32(structuredVectors(N, D, 4).unit, [N, D]));
    writeFileSync(
      join(dir, 'c.csv'),
      'id,ra,dec\n' + Array.from({ length: N }, (_, i) => `o${i},${(i * 0.01) % 360},${(i % 1000) * 0.1 - 50}`).join('\n') + '\n',
    );
    const r = cli(['ingest', ws, '--from', 'embeddings', '--vectors', join(dir, 'v.npy'), '--catalog', join(dir, 'c.csv'), '--model-name', 'm']);
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGKILL mid-build resumes from the checkpoint; a members/index mismatch rebuilds; dead temp files go', async () => {
    const index = join(ws, 'index', 'm.usearch');
    const child = spawn(process.execPath, [bin, 'build-index', ws], { env, stdio: 'ignore' });
    const killed = await new Promise<boolean>((resolve) => {
      const t = setInterval(() => {
        if (existsSync(index)) {
          clearInterval(t);
          child.kill('SIGKILL');
          resolve(true);
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(t);
        resolve(false);
      });
    });
    expect(killed).toBe(true);
    await new Promise((r) => child.once('exit', r).once('close', r));
    const partial = VectorIndex.view(index, D);
    expect(partial.size).toBeGreaterThan(0);
    expect(partial.size).toBeLessThan(N);
    const resumed = JSON.parse(cli(['build-index', ws, '--json']).stdout);
    expect(resumed.rebuilt).toBe(false);
    expect(resumed.added + partial.size).toBe(N);
    expect(resumed.state.size).toBe(N);
    // a kill between saving the index and its members bitmap: they disagree, so it is rebuilt
    writeFileSync(join(ws, 'index', 'm.members'), new Uint8Array(N).fill(1, 0, 100));
    writeFileSync(`${index}.tmp-999999999`, 'half a save');
    const again = JSON.parse(cli(['build-index', ws, '--json']).stdout);
    expect([again.rebuilt, again.added, again.state.size]).toEqual([true, N, N]);
    expect(readdirSync(join(ws, 'index')).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const s = cli(['search', ws, '--like', 'o123', '--k', '5', '--json']);
    expect(s.status).toBe(0);
    expect(JSON.parse(s.stdout).neighbours).toHaveLength(5);
  }, 180_000);
});
