/**
 * The IPC surface over the REAL engine with a fake ipcMain: the one handler
 * checks the sender, validates channel + input (app/contracts) and answers
 * with a Reply whose errors are plain ErrorData; engine events are pushed to
 * the window. Also: the preload's channel names match the contract.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type Reply } from '../../app/contracts';
import { forwardEvents, registerIpc, type InvokeEventLike, type IpcMainLike } from '../../main/electron/ipc';
import { APP_URL } from '../../main/electron/security';
import { Engine } from '../../main/node/services/engine';
import { Workspace } from '../../main/node/workspace';
import { makeItems, SPEC } from '../workspace/make';

class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`); // as Electron does
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** what ipcRenderer.invoke(INVOKE_CHANNEL, channel, input) from a page at `url` gets */
  invoke(channel: unknown, input: unknown, url = APP_URL): Promise<Reply<any>> {
    const h = this.handlers.get(INVOKE_CHANNEL);
    if (!h) throw new Error('no handler');
    return h({ senderFrame: { url } }, channel, input) as Promise<Reply<any>>;
  }
}

describe('IPC registration over the engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-ipc-'));
  const wsDir = join(dir, 'ws');
  let engine: Engine;
  const ipc = new FakeIpcMain();
  const sent: { channel: string; payload: any }[] = [];
  let unregister: () => void;

  beforeAll(() => {
    const ws = Workspace.create(wsDir, { name: 'ipc-test', cutout: { bands: SPEC.bands, size: SPEC.size, pixscale: SPEC.pixscale, unit: SPEC.unit } });
    ws.addObjects(makeItems(0, 40));
    ws.close();
    engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), roots: [dir] });
    unregister = registerIpc(ipc, engine, engine.validationContext);
    forwardEvents(engine, (channel, payload) => sent.push({ channel, payload }));
  });
  afterAll(async () => engine?.close());

  it('the preload uses the contract channel names', () => {
    const src = readFileSync(resolve(__dirname, '../../main/preload/index.ts'), 'utf8');
    expect(src).toContain(`'${INVOKE_CHANNEL}'`);
    expect(src).toContain(`'${EVENT_CHANNEL}'`);
  });

  it('refuses requests from pages outside the app', async () => {
    for (const url of ['https://example.org/', 'file:///tmp/x.html', 'latent-sky://evil/index.html', '']) {
      const r = await ipc.invoke('workspace.info', {}, url);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('BAD_INPUT');
    }
  });

  it('rejects unknown channels and bad inputs with BAD_INPUT as plain ErrorData', async () => {
    const cases: [unknown, unknown][] = [
      ['workspace.delete', {}], [42, {}], ['constructor', {}], ['__proto__', {}],
      ['workspace.open', { path: 42 }], ['workspace.open', { path: '' }], ['workspace.open', { path: '/x', extra: 1 }],
      ['workspace.open', 'not an object'], ['workspace.createDemo', { path: '/tmp/x', count: 3, seed: 1 }],
      ['jobs.cancel', { id: '../../etc' }], ['probe.create', { name: '<script>', description: '' }],
    ];
    for (const [channel, input] of cases) {
      const r = await ipc.invoke(channel, input);
      expect(r.ok, `${String(channel)} ${JSON.stringify(input)}`).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('BAD_INPUT');
      expect(Object.getPrototypeOf(r.error)).toBe(Object.prototype); // data, not an Error instance
      expect(JSON.parse(JSON.stringify(r.error))).toEqual(r.error);
    }
  });

  it('good inputs reach the engine; its events are pushed to the window', async () => {
    const none = await ipc.invoke('workspace.info', {});
    expect(none).toEqual({ ok: true, value: null });
    const noWs = await ipc.invoke('catalog.object', { idx: 0 });
    expect(!noWs.ok && noWs.error.code).toBe('WORKSPACE_INVALID');

    const opened = await ipc.invoke('workspace.open', { path: wsDir });
    expect(opened.ok).toBe(true);
    expect(opened.ok && opened.value.count).toBe(40);
    expect(sent.some((s) => s.channel === EVENT_CHANNEL && s.payload.type === 'workspace' && s.payload.info?.count === 40)).toBe(true);

    const obj = await ipc.invoke('catalog.object', { idx: 5 });
    expect(obj.ok && [obj.value.id, obj.value.truth]).toEqual(['obj-5', makeItems(5, 1)[0].object.truth]);
    const cut = await ipc.invoke('cutouts.get', { idx: 3 });
    expect(cut.ok && cut.value.data).toBeInstanceOf(Float32Array);
    const want = makeItems(3, 1)[0].cutout.data;
    expect(cut.ok && cut.value.data.length).toBe(want.length);
    // the workspace may store float16: compare at that precision
    if (cut.ok) for (let i = 0; i < want.length; i++) expect(Math.abs(cut.value.data[i] - want[i])).toBeLessThanOrEqual(1e-3 * Math.abs(want[i]) + 1e-4);

    const recent = await ipc.invoke('workspace.recent', {});
    expect(recent.ok && recent.value.map((r: { path: string }) => r.path)).toContain(resolve(wsDir));
  });

  it('object indices are checked against the open workspace', async () => {
    for (const idx of [40, -1, 1e9]) {
      const r = await ipc.invoke('catalog.object', { idx });
      expect(!r.ok && r.error.code).toBe('UNKNOWN_OBJECT');
    }
    const r = await ipc.invoke('cutouts.get', { idx: 1.5 });
    expect(!r.ok && r.error.code).toBe('BAD_INPUT');
  });

  it('unregisters its handler', () => {
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});
