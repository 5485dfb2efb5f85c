/**
 * The SampService through the contract (dev host WebSocket): without a hub
 * the status is 'no-hub' and sends fail with NETWORK; with a private jsamp
 * hub (Java reference implementation) the engine points another client at
 * an object, sends a selection as a VOTable, and objects the other client
 * points at (coord.pointAt.sky, table.highlight.row) arrive as 'sampObject'
 * events carrying the right object index.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type EngineEvent } from '@app/contracts';
import { startDevHost, type DevHost } from '@main/devhost/server';
import { SampClient, type SampEvent } from '@main/node/samp/client';
import { writeDemoSurvey } from '@main/node/discovery/demo-workspace';
import { Engine } from '@main/node/services/engine';
import { jsampMissing, startHub, waitFor, type Hub } from '../samp/jsamp';
import { connectNodeBridge } from './ws-client';

const N = 32;
const missing = jsampMissing();
if (missing) console.warn(`tests/contracts/samp: hub tests skipped: ${missing}`);

let dir: string;

async function open(env: NodeJS.ProcessEnv, home: string) {
  const engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), roots: [dir], samp: { env, home } });
  const host: DevHost = await startDevHost({ engine, context: engine.validationContext, rendererDir: join(dir, 'www'), port: 0 });
  const bridge = await connectNodeBridge(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
  const api = createApiClient(bridge);
  const events: EngineEvent[] = [];
  api.onEvent((e) => events.push(e));
  await api.workspace.open({ path: join(dir, 'ws') });
  return {
    engine,
    api,
    events,
    close: async () => {
      bridge.close();
      await host.close();
      await engine.close();
    },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ls-samp-contract-'));
  await writeDemoSurvey({ path: join(dir, 'ws'), count: N, seed: 5 }, () => undefined, new AbortController().signal);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SAMP without a hub', () => {
  it("reports 'no-hub' and refuses sends with a clear error; everything else works", async () => {
    const home = mkdtempSync(join(tmpdir(), 'ls-nohub-'));
    const s = await open({ PATH: process.env.PATH }, home);
    try {
      await expect(s.api.samp.status({})).resolves.toMatchObject({ state: 'no-hub' });
      const st = await s.api.samp.connect({});
      expect(st.state).toBe('no-hub');
      expect(s.events.some((e) => e.type === 'samp' && e.status.state === 'no-hub')).toBe(true);
      await expect(s.api.samp.pointAt({ idx: 3 })).rejects.toMatchObject({ code: 'NETWORK' });
      await expect(s.api.samp.sendSelection({ indices: Int32Array.of(1, 2) })).rejects.toMatchObject({ code: 'NETWORK' });
      await expect(s.api.samp.sendSelection({ indices: Int32Array.of(1, N) })).rejects.toMatchObject({ code: 'UNKNOWN_OBJECT' });
      await expect(s.api.samp.sendSelection({ indices: [1, 2] as unknown as Int32Array })).rejects.toMatchObject({ code: 'BAD_INPUT' });
      await expect(s.api.catalog.object({ idx: 3 })).resolves.toMatchObject({ idx: 3 });
    } finally {
      await s.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe.skipIf(missing !== null)('SAMP with the jsamp hub', () => {
  let hub: Hub;
  let other: SampClient;
  let s: Awaited<ReturnType<typeof open>>;
  const got: SampEvent[] = [];
  let lastSent = '';

  beforeAll(async () => {
    hub = await startHub();
    other = new SampClient({ name: 'other-tool', env: hub.env });
    expect((await other.connect()).state).toBe('connected');
    other.onEvent((e) => got.push(e));
    s = await open(hub.env, hub.home);
  }, 60_000);

  afterAll(async () => {
    await s?.close();
    await other?.disconnect();
    await hub?.stop();
  });

  it('connects, points the other tool at an object and sends a selection', async () => {
    const st = await s.api.samp.connect({});
    expect(st.state).toBe('connected');
    expect(s.events.some((e) => e.type === 'samp' && e.status.state === 'connected')).toBe(true);
    const o = await s.api.catalog.object({ idx: 7 });
    const otherId = (other.status as { selfId: string }).selfId;
    await expect(s.api.samp.pointAt({ idx: 7 })).resolves.toEqual({ recipients: [otherId] });
    await waitFor(() => got.some((e) => e.type === 'pointAt'), 'the pointAt message');
    const p = got.find((e) => e.type === 'pointAt') as Extract<SampEvent, { type: 'pointAt' }>;
    expect(p.ra).toBeCloseTo(o.ra, 6);
    expect(p.dec).toBeCloseTo(o.dec, 6);
    const sent = await s.api.samp.sendSelection({ indices: Int32Array.of(9, 4, 20) });
    expect(sent.rows).toBe(3);
    expect(existsSync(sent.path)).toBe(true);
    lastSent = sent.path;
  });

  it("turns the other tool's pointAt and highlightRow into sampObject events", async () => {
    const o = await s.api.catalog.object({ idx: 12 });
    await other.pointAt(o.ra, o.dec);
    await waitFor(() => s.events.some((e) => e.type === 'sampObject'), 'a sampObject event');
    expect(s.events.find((e) => e.type === 'sampObject')).toMatchObject({
      type: 'sampObject',
      idx: 12,
      via: 'pointAt',
      sender: (other.status as { selfId: string }).selfId,
    });
    // row 1 of the selection sent above (9, 4, 20), found by the table's URL
    await other.highlightRow(pathToFileURL(lastSent).href, 'some-table-id', 1);
    await waitFor(() => s.events.some((e) => e.type === 'sampObject' && e.via === 'highlightRow'), 'a highlightRow sampObject');
    expect(s.events.find((e) => e.type === 'sampObject' && e.via === 'highlightRow')).toMatchObject({ idx: 4 });
  });
});
