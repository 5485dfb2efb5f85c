/**
 * The engine host (main/node/host/engine-host.ts) in a Node worker thread,
 * as Electron runs it in a utilityProcess: real contract calls over a
 * MessagePort on a small workspace (typed arrays arrive as typed arrays,
 * events arrive on the port), the path guard opened only by the control
 * channel, malformed messages answered with BAD_INPUT while the host stays
 * up, and a clean exit on close. Also: the preload repeats the port channel
 * names of main/electron/host-process.ts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransferables } from '@main/node/host/port';
import { spawnTsWorker, workerExit } from '@main/node/workers/spawn';
import { Workspace } from '@main/node/workspace';
import { makeItems, SPEC } from '../workspace/make';
import { ControlClient, type PortClient } from './host-client';

const root = resolve(__dirname, '../..');
const N = 40;

describe('engine host in a worker thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-host-'));
  const wsDir = join(dir, 'ws');
  let worker: Worker;
  let control: ControlClient;
  let client: PortClient;

  beforeAll(async () => {
    const ws = Workspace.create(wsDir, { name: 'host-test', cutout: { bands: SPEC.bands, size: SPEC.size, pixscale: SPEC.pixscale, unit: SPEC.unit } });
    ws.addObjects(makeItems(0, N));
    ws.close();
    const env = { ...process.env, LATENT_SKY_HOME: join(dir, 'home'), SAMP_HUB: `std-lockurl:file://${join(dir, 'no-lock')}` };
    worker = spawnTsWorker(new URL(pathToFileURL(join(root, 'main/node/host/engine-host.ts')).href), {}, { env });
    control = new ControlClient(worker, join(dir, 'user-data'));
    await control.ready;
    client = control.connect();
  }, 30_000);
  afterAll(async () => {
    client?.close();
    await worker?.terminate();
  });

  it('the preload repeats the port channel names', () => {
    const preload = readFileSync(join(root, 'main/preload/index.ts'), 'utf8');
    const hostProcess = readFileSync(join(root, 'main/electron/host-process.ts'), 'utf8');
    for (const name of ['latent-sky:hello', 'latent-sky:port']) {
      expect(preload).toContain(`'${name}'`);
      expect(hostProcess).toContain(`'${name}'`);
    }
  });

  it('a folder is opened over the contract only after the control channel allowed it', async () => {
    expect(await client.invoke('workspace.info', {})).toEqual({ ok: true, value: null });
    const refused = await client.invoke('workspace.open', { path: wsDir });
    expect(!refused.ok && refused.error.code).toBe('BAD_INPUT');
    const opened = await control.call('openChosen', wsDir);
    expect(opened).toEqual({ ok: true, value: `opened ${wsDir}` });
    await client.waitFor((e) => e.type === 'workspace' && (e as { info?: { count: number } }).info?.count === N);
    const again = await client.invoke('workspace.open', { path: wsDir });
    expect(again.ok && again.value.count).toBe(N);
  });

  it('columns arrive as typed arrays; the host keeps its cached copy', async () => {
    const want = makeItems(0, N).map((it) => it.object);
    for (let round = 0; round < 2; round++) {
      const reply = await client.invoke('catalog.positions', {});
      if (!reply.ok) throw new Error(reply.error.message);
      const r = reply;
      expect(r.value.ra).toBeInstanceOf(Float32Array);
      expect(r.value.dec).toBeInstanceOf(Float32Array);
      expect(r.value.ra.length).toBe(N);
      for (let i = 0; i < N; i++) expect(r.value.ra[i]).toBeCloseTo(want[i].ra, 4);
    }
    const cut = await client.invoke('cutouts.get', { idx: 3 });
    expect(cut.ok && cut.value.data).toBeInstanceOf(Float32Array);
    expect(cut.ok && cut.value.data.length).toBe(makeItems(3, 1)[0].cutout.data.length);
  });

  it('probe.setLabels: one call, one labels event with the indices', async () => {
    expect((await client.invoke('probe.create', { name: 'rings', description: '' })).ok).toBe(true);
    const indices = Int32Array.from([1, 4, 9, 16]);
    const r = await client.invoke('probe.setLabels', { search: 'rings', indices, label: 'positive' });
    expect(r.ok).toBe(true);
    const e = (await client.waitFor((ev) => ev.type === 'labels')) as Extract<(typeof client.events)[number], { type: 'labels' }>;
    expect([e.search, e.label, [...e.indices]]).toEqual(['rings', 'positive', [1, 4, 9, 16]]);
    const labels = await client.invoke('probe.labels', { search: 'rings' });
    expect(labels.ok).toBe(true);
  });

  it('malformed messages get BAD_INPUT; the host stays up', async () => {
    for (const m of ['garbage', 42, null, { t: 'req' }, { t: 'nope', id: 3 }, { t: 'req', id: -5, channel: 'workspace.info', input: {} }]) client.raw(m);
    const bad = await client.raw({ t: 'req', id: 9001, channel: 'workspace.delete', input: {} }, 9001)!;
    expect(!bad.ok && bad.error.code).toBe('BAD_INPUT');
    const badInput = await client.invoke('catalog.object', { idx: 'x' });
    expect(!badInput.ok && badInput.error.code).toBe('BAD_INPUT');
    const unknown = await control.call('rm -rf', '/');
    expect(!unknown.ok && unknown.error.code).toBe('BAD_INPUT');
    const badPath = await control.call('openChosen', 42);
    expect(!badPath.ok && badPath.error.code).toBe('BAD_INPUT');
    await new Promise((r) => setTimeout(r, 50));
    expect(client.orphans.length).toBe(6);
    for (const o of client.orphans) expect(!o.ok && o.error.code).toBe('BAD_INPUT');
    const obj = await client.invoke('catalog.object', { idx: 5 });
    expect(obj.ok && obj.value.id).toBe('obj-5');
  });

  it('a second client gets its own replies and the same events', async () => {
    const other = control.connect();
    const info = await other.invoke('workspace.info', {});
    expect(info.ok && info.value.count).toBe(N);
    await client.invoke('probe.setLabels', { search: 'rings', indices: Int32Array.from([2]), label: 'negative' });
    await other.waitFor((e) => e.type === 'labels' && (e as { label: string }).label === 'negative');
    other.close();
  });

  it('the control channel serves the menu and refuses what it does not know', async () => {
    const bad = await control.call('openRecent', '');
    expect(!bad.ok && bad.error.code).toBe('BAD_INPUT');
    const menu = await control.call('menu');
    expect(menu.ok && [menu.value.workspaceOpen, menu.value.sampConnected, menu.value.recent[0].path]).toEqual([true, false, resolve(wsDir)]);
  });

  it('close ends the engine and the host', async () => {
    const exit = workerExit(worker);
    expect((await control.call('close')).ok).toBe(true);
    expect(await exit).toBe(0);
  });
});

describe('withTransferables', () => {
  it('transfers copies, never the caller arrays', () => {
    const ra = Float32Array.from([1, 2, 3]);
    const { value, transfer } = withTransferables({ ok: true, value: { ra, n: 3, list: [ra] } }, true);
    const v = value as { value: { ra: Float32Array; list: Float32Array[] } };
    expect(v.value.ra).not.toBe(ra);
    expect([...v.value.ra]).toEqual([1, 2, 3]);
    expect(v.value.list[0]).toBe(v.value.ra); // one copy per array
    expect(transfer).toEqual([v.value.ra.buffer]);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(value, transfer);
    expect(v.value.ra.byteLength).toBe(0); // moved
    expect(ra.byteLength).toBe(12); // the original is untouched
    port1.close();
    port2.close();
    expect(withTransferables({ ra }, false)).toEqual({ value: { ra }, transfer: [] });
  });
});
