/**
 * The shell's first launch as the Electron main process drives it, over the
 * engine host's control channel (main/node/host in a worker thread): SAMP
 * without a hub, and the demo workspace created as a job on first launch,
 * seen by a renderer port.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnTsWorker } from '@main/node/workers/spawn';
import { ControlClient } from './host-client';

const root = resolve(__dirname, '../..');

describe('shell runtime in the engine host', () => {
  it('main.ts hands a port only to the app page', () => {
    const src = readFileSync(join(root, 'main/electron/main.ts'), 'utf8');
    expect(src).toMatch(/ipcMain\.on\(HELLO_CHANNEL, \(event\) => \{\s*if \(isAppUrl\(event\.senderFrame\?\.url \?\? ''\)\) void h\.connect\(event\.sender\)/);
    expect(src).not.toMatch(/from '\.\.\/node\//); // the main process never imports the engine
  });

  it('SAMP without a hub; the demo job starts on first launch', async () => {
    const t = mkdtempSync(join(tmpdir(), 'ls-runtime-'));
    const env = { ...process.env, LATENT_SKY_HOME: join(t, 'home'), SAMP_HUB: `std-lockurl:file://${join(t, 'no-lock')}` };
    const worker = spawnTsWorker(new URL(pathToFileURL(join(root, 'main/node/host/engine-host.ts')).href), {}, { env });
    try {
      const control = new ControlClient(worker, join(t, 'ud'));
      await control.ready;
      const client = control.connect();
      const samp = await control.call('sampConnect');
      expect(samp.ok && samp.value).toMatch(/^SAMP: /);
      const first = await control.call('openInitial', { demo: true });
      expect(first.ok && first.value).toMatch(new RegExp(`^creating the demo workspace in ${join(t, 'home', 'demo-2000')} \\(job [\\w-]+\\)$`));
      const jobs = await client.invoke('jobs.list', {});
      expect(jobs.ok && jobs.value.map((j: { kind: string }) => j.kind)).toEqual(['demo']);
      const menu = await control.call('menu');
      expect(menu.ok && menu.value.sampLine).toMatch(/^SAMP: no hub/);
      client.close();
    } finally {
      await worker.terminate();
    }
  }, 30_000);
});
