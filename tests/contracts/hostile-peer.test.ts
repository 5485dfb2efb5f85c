/**
 * A hostile peer that holds the token: raw WebSocket handshakes with foreign
 * Host / Origin headers (DNS rebinding) are refused by the dev host; through
 * an accepted socket, no contract call reads, creates or deletes anything
 * outside the folders the session was given (main/node/security/path-guard.ts),
 * whether by an outside path, `..`, or a symlink planted inside a root.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type JobInfo } from '@app/contracts';
import { startDevHost, type DevHost } from '@main/devhost/server';
import { Engine } from '@main/node/services/engine';
import { walk } from '../helpers/walk-files';
import { connectNodeBridge } from './ws-client';

/** the status line a raw WebSocket handshake gets */
function handshake(port: number, headers: Record<string, string | undefined>, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n')) {
        s.destroy();
        resolve(got.split('\r\n')[0]);
      }
    });
    s.on('error', reject);
    s.on('close', () => resolve(got.split('\r\n')[0] || 'closed'));
    const lines = [
      `GET ${path} HTTP/1.1`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
    ];
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) lines.push(`${k}: ${v}`);
    s.write(lines.join('\r\n') + '\r\n\r\n');
  });
}

function snapshot(root: string): Record<string, string> {
  return Object.fromEntries(walk(root).map((f) => [f, readFileSync(f, 'latin1')]));
}

describe('a hostile peer with the token', () => {
  let dir: string, allowed: string, outside: string;
  let engine: Engine, host: DevHost;
  let before: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ls-hostile-peer-'));
    allowed = join(dir, 'allowed');
    outside = join(dir, 'outside');
    mkdirSync(join(allowed, 'imports'), { recursive: true });
    mkdirSync(join(outside, 'exports'), { recursive: true });
    writeFileSync(join(outside, 'exports', 'a.csv'), 'keep me\n');
    writeFileSync(join(outside, 'cat.csv'), 'ra,dec\n10,1\n');
    writeFileSync(join(outside, 'secret.txt'), 'root:x:0:0:secret\n');
    symlinkSync(outside, join(allowed, 'link-out'));
    symlinkSync(join(outside, 'cat.csv'), join(allowed, 'imports', 'cat-link.csv'));
    before = snapshot(outside);
    engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), roots: [allowed] });
    host = await startDevHost({ engine, context: engine.validationContext, rendererDir: join(dir, 'www'), port: 0 });
  });
  afterAll(async () => {
    await host?.close();
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses WebSocket handshakes with a foreign Host or Origin, even with the right token', async () => {
    const p = host.port,
      ws = `/ws?token=${host.token}`;
    const cases: [Record<string, string | undefined>, string, boolean][] = [
      [{ Host: `127.0.0.1:${p}` }, ws, true],
      [{ Host: `localhost:${p}`, Origin: `http://localhost:${p}` }, ws, true],
      [{ Host: `127.0.0.1:${p}`, Origin: `http://127.0.0.1:${p}` }, ws, true],
      [{ Host: `[::1]:${p}`, Origin: `http://[::1]:${p}` }, ws, true],
      // DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1
      [{ Host: `evil.example:${p}`, Origin: `http://evil.example:${p}` }, ws, false],
      [{ Host: `127.0.0.1:${p}`, Origin: 'http://evil.example' }, ws, false],
      [{ Host: `127.0.0.1:${p}`, Origin: `http://127.0.0.1:${p}.evil.example` }, ws, false],
      [{ Host: `127.0.0.1:${p}`, Origin: 'null' }, ws, false],
      [{ Host: `127.0.0.1:${p}`, Origin: `https://127.0.0.1:${p}` }, ws, false],
      [{ Host: `127.0.0.1:${p + 1}` }, ws, false],
      [{ Host: '127.0.0.1' }, ws, false],
      [{ Host: `127.0.0.2:${p}` }, ws, false],
      [{ Host: undefined }, ws, false],
      [{ Host: `127.0.0.1:${p}` }, '/ws?token=wrong', false],
    ];
    for (const [h, path, ok] of cases) expect(await handshake(p, h, path), JSON.stringify(h)).toMatch(ok ? /^HTTP\/1\.1 101/ : /^HTTP\/1\.1 403/);
    // the static files answer only to our own names too
    const page = await new Promise<string>((resolve) => {
      const s = connect(p, '127.0.0.1');
      let got = '';
      s.on('data', (d) => (got += d));
      s.on('close', () => resolve(got.split('\r\n')[0]));
      s.write(`GET / HTTP/1.1\r\nHost: evil.example:${p}\r\nConnection: close\r\n\r\n`);
    });
    expect(page).toMatch(/^HTTP\/1\.1 403/);
  });

  it('no contract call names a path outside the allowed folders; nothing outside is read, created or deleted', async () => {
    const bridge = await connectNodeBridge(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
    const api = createApiClient(bridge);
    const out = [
      outside,
      join(outside, 'exports'),
      join(outside, 'new-ws'),
      join(outside, 'secret.txt'),
      '/etc/passwd',
      '/etc',
      join(allowed, '..', 'outside'),
      join(allowed, 'imports', '..', '..', 'outside', 'cat.csv'),
      join(allowed, 'link-out'),
      join(allowed, 'link-out', 'new-ws'),
      join(allowed, 'imports', 'cat-link.csv'),
    ];
    const calls: [string, (p: string) => Promise<unknown>][] = [
      ['workspace.open', (p) => api.workspace.open({ path: p })],
      ['workspace.createDemo', (p) => api.workspace.createDemo({ path: p, count: 16, seed: 1 })],
      ['models.add', (p) => api.models.add({ path: p })],
      ['ingest.start path (folder)', (p) => api.ingest.start({ source: 'folder', path: p, workspace: join(allowed, 'ws-a'), options: {} })],
      ['ingest.start path (hdf5)', (p) => api.ingest.start({ source: 'hdf5', path: p, workspace: join(allowed, 'ws-b'), options: {} })],
      [
        'ingest.start path (catalogue)',
        (p) => api.ingest.start({ source: 'legacysurvey', path: p, workspace: join(allowed, 'ws-c'), options: { baseUrl: 'http://127.0.0.1:9' } }),
      ],
      [
        'ingest.start catalog',
        (p) => api.ingest.start({ source: 'folder', path: join(allowed, 'imports'), catalog: p, workspace: join(allowed, 'ws-d'), options: {} }),
      ],
      ['ingest.start workspace', (p) => api.ingest.start({ source: 'folder', path: join(allowed, 'imports'), workspace: p, options: {} })],
    ];
    for (const [name, call] of calls)
      for (const p of out)
        await expect(call(p), `${name} ${p}`).rejects.toMatchObject({
          code: 'BAD_INPUT',
          message: expect.stringMatching(/is outside the folders this session may use/),
        });
    expect((await api.jobs.list({})).length).toBe(0);
    expect(snapshot(outside)).toEqual(before);
    expect(readdirSync(outside).sort()).toEqual(['cat.csv', 'exports', 'secret.txt']);
    expect(existsSync(join(allowed, 'ws-a')) || existsSync(join(allowed, 'ws-d'))).toBe(false);

    // inside the allowed folder the same calls work
    const job = await api.workspace.createDemo({ path: join(allowed, 'demo'), count: 40, seed: 1 });
    const done: JobInfo = await engine.waitForJob(job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('done');
    expect((await api.workspace.open({ path: join(allowed, 'demo') })).count).toBe(40);
    bridge.close();
  }, 60_000);

  it.skipIf(!existsSync('/usr/bin/python3'))('an HDF5 file inside the allowed folder cannot smuggle an outside file in as pixels', async () => {
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import h5py']);
    } catch {
      return;
    }
    const h5dir = join(allowed, 'h5');
    mkdirSync(h5dir);
    execFileSync('/usr/bin/python3', [join(__dirname, '..', 'fixtures', 'ingest', 'make_hostile_hdf5.py'), h5dir, join(outside, 'secret.txt')]);
    const bridge = await connectNodeBridge(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
    const api = createApiClient(bridge);
    for (const f of ['external.h5', 'vds.h5', 'elink.h5']) {
      const r = await api.ingest.start({ source: 'hdf5', path: join(h5dir, f), workspace: join(allowed, `ws-${f}`), options: {} }).then(
        async (job) => (await engine.waitForJob(job.id)).error,
        (e) => e,
      );
      expect(r, f).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/another file|is virtual|is a link/) });
    }
    bridge.close();
  });
});
