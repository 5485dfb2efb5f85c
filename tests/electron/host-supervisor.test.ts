/**
 * HostSupervisor (main/electron/host-supervisor.ts) over the real engine
 * host in worker threads, as main.ts runs it over a utilityProcess: control
 * calls, a crash answered UNAVAILABLE and followed by a fresh host, a clear
 * give-up after too many crashes in a minute, and no restart after stop().
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { HostSupervisor, type HostChild } from '@main/electron/host-supervisor';
import { spawnTsWorker } from '@main/node/workers/spawn';

const root = resolve(__dirname, '../..');

function workerLauncher(dir: string, started: Worker[]): () => HostChild {
  const env = { ...process.env, LATENT_SKY_HOME: join(dir, 'home'), SAMP_HUB: `std-lockurl:file://${join(dir, 'no-lock')}` };
  return () => {
    const w = spawnTsWorker(new URL(pathToFileURL(join(root, 'main/node/host/engine-host.ts')).href), {}, { env });
    started.push(w);
    return {
      postMessage: (m, transfer) => w.postMessage(m, transfer as never),
      on: (event, listener) => w.on(event, listener),
      once: (event, listener) => w.once(event, listener),
      kill: () => w.terminate(),
    };
  };
}

const until = async (pred: () => boolean, ms = 20_000) => {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('engine host supervisor', () => {
  it('restarts a host that died, answers what was waiting UNAVAILABLE, and stops for good', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-super-'));
    const started: Worker[] = [];
    let restarts = 0;
    const gaveUp: string[] = [];
    const sup = new HostSupervisor(workerLauncher(dir, started), join(dir, 'ud'), {
      onEvent: () => {},
      onRestart: () => restarts++,
      onGiveUp: (r) => gaveUp.push(r),
    });
    await sup.start();
    expect((await sup.call('menu')).workspaceOpen).toBe(false);
    await expect(sup.call('openRecent', '')).rejects.toMatchObject({ code: 'BAD_INPUT' });

    const waiting = sup.call('menu'); // in flight when the host dies
    await started[0].terminate();
    await expect(waiting).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await until(() => restarts === 1);
    expect(started.length).toBe(2);
    expect((await sup.call('menu')).workspaceOpen).toBe(false);

    const exit = new Promise((ok) => started[1].once('exit', ok));
    await sup.stop();
    expect(await exit).toBe(0); // the host closed the engine and exited by itself
    await new Promise((r) => setTimeout(r, 200));
    expect([started.length, restarts, gaveUp]).toEqual([2, 1, []]);
    await expect(sup.call('menu')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  }, 60_000);

  it('gives up with a reason when the host dies more often than allowed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-super-'));
    const started: Worker[] = [];
    const gaveUp: string[] = [];
    // main.ts allows MAX_RESTARTS (3) a minute; none here keeps the test to one start
    const sup = new HostSupervisor(
      workerLauncher(dir, started),
      join(dir, 'ud'),
      { onEvent: () => {}, onRestart: () => {}, onGiveUp: (r) => gaveUp.push(r) },
      0,
    );
    await sup.start();
    await started[0].terminate();
    await until(() => gaveUp.length === 1);
    expect(gaveUp[0]).toBe('the engine process stopped 1 time in a minute (last exit code 1)');
    await new Promise((r) => setTimeout(r, 200));
    expect(started.length).toBe(1);
    await expect(sup.call('menu')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  }, 60_000);
});
