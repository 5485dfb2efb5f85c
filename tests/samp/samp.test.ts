/**
 * SAMP against the reference implementation: a private jsamp hub (Java),
 * jsamp's snooper and message sender as the other side, and two instances of
 * our client. Skipped (with the reason printed) when java/jsamp are missing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVOTable } from '@app/tables';
import { SampClient, type SampEvent } from '@main/node/samp/client';
import { nearestObject, SentTables, writeObjectsVOTable } from '@main/node/samp/table-export';
import { Workspace } from '@main/node/workspace';
import { makeItems, SPEC } from '../workspace/make';
import { collect, exited, jsampMissing, startHub, waitFor, type Hub } from './jsamp';

const missing = jsampMissing();
if (missing) console.warn(`tests/samp: skipped: ${missing}`);

function nextEvent<T extends SampEvent['type']>(c: SampClient, type: T): Promise<Extract<SampEvent, { type: T }>> {
  return new Promise((ok) => {
    const off = c.onEvent((e) => {
      if (e.type === type) {
        off();
        ok(e as Extract<SampEvent, { type: T }>);
      }
    });
  });
}

describe.skipIf(missing !== null)('SAMP with the jsamp reference hub', () => {
  let hub: Hub;
  let a: SampClient, b: SampClient;
  let ws: Workspace;
  const dir = mkdtempSync(join(tmpdir(), 'ls-samp-ws-'));

  beforeAll(async () => {
    hub = await startHub();
    a = new SampClient({ name: 'latent-sky-a', env: hub.env });
    b = new SampClient({ name: 'latent-sky-b', env: hub.env });
    ws = Workspace.create(join(dir, 'ws'), { name: 'samp-test', cutout: { bands: SPEC.bands, size: SPEC.size, pixscale: SPEC.pixscale, unit: SPEC.unit } });
    ws.addObjects(makeItems(0, 40));
  });

  afterAll(async () => {
    await a?.disconnect();
    await b?.disconnect();
    ws?.close();
    await hub?.stop();
  });

  it('registers, declares metadata and sees the other clients', async () => {
    const sa = await a.connect();
    const sb = await b.connect();
    expect(sa.state).toBe('connected');
    expect(sb.state).toBe('connected');
    if (sb.state !== 'connected') return;
    const names = (await a.clients()).map((c) => c.name);
    expect(names).toContain('latent-sky-b');
    expect((await a.clients()).find((c) => c.name === 'latent-sky-b')?.id).toBe(sb.selfId);
  });

  it('coord.pointAt.sky from one client reaches the other as an event', async () => {
    const got = nextEvent(b, 'pointAt');
    const recipients = await a.pointAt(150.125, -2.5);
    expect(recipients).toContain(b.status.state === 'connected' ? b.status.selfId : '?');
    const e = await got;
    expect([e.ra, e.dec]).toEqual([150.125, -2.5]);
    expect(e.sender).toBe(a.status.state === 'connected' ? a.status.selfId : '?');
  });

  it('table.load.votable of a candidate list reaches jsamp snooper; table.highlight.row maps back to the object', async () => {
    const snooper = hub.java(['snooper', '-clientname', 'snoop']);
    const out = collect(snooper);
    let subscribed: string[] = [];
    try {
      let snoopId: string | undefined;
      for (let t = 0; t < 100 && !snoopId; t++) {
        snoopId = (await a.clients()).find((c) => c.name === 'snoop')?.id;
        if (!snoopId) await new Promise((r) => setTimeout(r, 100));
      }
      expect(snoopId).toBeDefined();
      await waitFor(
        () => subscribed.includes(snoopId!),
        'the snooper to subscribe',
        10_000,
        async () => (subscribed = await a.subscribers('table.load.votable')),
      );
      const indices = Int32Array.from([7, 3, 21, 0]);
      const scores = Float32Array.from({ length: 40 }, (_, i) => i / 40);
      const table = writeObjectsVOTable(ws, {
        indices,
        scores,
        name: 'lens candidates',
        file: join(dir, 'exports', 'cands.vot'),
        tableId: 'latent-sky-cands-1',
      });
      const recipients = await a.sendTable(table.url, table.tableId, table.name);
      expect(recipients).toContain(snoopId);
      await waitFor(() => out.text().includes(table.url), 'the snooper to print the table URL');
      expect(out.text()).toContain('"samp.mtype": "table.load.votable"');
      expect(out.text()).toContain('"table-id": "latent-sky-cands-1"');

      // what a VO tool loads: the file behind the URL, with our rows in our order
      const vot = readVOTable(readFileSync(table.path, 'utf8'));
      const col = (n: string) => vot.columns.find((c) => c.name === n)!;
      expect(Array.from(col('idx').values as Int32Array)).toEqual([7, 3, 21, 0]);
      expect(Array.from(col('ra').values as Float64Array)).toEqual([7, 3, 21, 0].map((i) => ws.getObject(i).ra));
      expect(Array.from(col('score').values as Float32Array)).toEqual([7, 3, 21, 0].map((i) => scores[i]));

      // a tool highlights row 2 of that table: we map it back to object 21
      const sent = new SentTables();
      sent.add(table);
      const got = nextEvent(b, 'highlightRow');
      await a.highlightRow(table.url, table.tableId, 2);
      const e = await got;
      expect(sent.objectOf(e.tableId, e.url, e.row)).toBe(21);
      expect(sent.objectOf('other', table.url, 3)).toBe(0);
      expect(sent.objectOf('other', 'file:///elsewhere.vot', 0)).toBeNull();
    } finally {
      snooper.kill('SIGTERM');
      await exited(snooper);
    }
  });

  it('receives coord.pointAt.sky from jsamp messagesender (notify and call) and matches the nearest object', async () => {
    const target = ws.getObject(13);
    for (const mode of ['notify', 'sync'] as const) {
      const got = nextEvent(a, 'pointAt');
      const sender = hub.java([
        'messagesender',
        '-mtype',
        'coord.pointAt.sky',
        '-param',
        'ra',
        String(target.ra + 0.0001),
        '-param',
        'dec',
        String(target.dec),
        '-mode',
        mode,
        '-targetname',
        'latent-sky-a',
      ]);
      const out = collect(sender);
      const e = await got;
      expect(await exited(sender)).toBe(0);
      expect(e.ra).toBeCloseTo(target.ra + 0.0001, 10);
      expect(e.dec).toBeCloseTo(target.dec, 10);
      if (mode === 'sync') expect(out.text()).toContain('samp.ok');
      const near = nearestObject(ws.column('ra'), ws.column('dec'), e.ra, e.dec, 1 / 60);
      expect(near?.idx).toBe(13);
    }
  });

  it('answers a bad coord.pointAt.sky call with samp.error, and keeps working', async () => {
    const sender = hub.java([
      'messagesender',
      '-mtype',
      'coord.pointAt.sky',
      '-param',
      'ra',
      'north',
      '-param',
      'dec',
      '95',
      '-mode',
      'sync',
      '-targetname',
      'latent-sky-a',
    ]);
    const out = collect(sender);
    await exited(sender);
    expect(out.text()).toContain('samp.error');
    expect(out.text()).toMatch(/ra='north' is not a number/);
    expect(a.status.state).toBe('connected');
  });

  it('the hub shutting down leaves a clear disconnected status', async () => {
    const got = nextEvent(a, 'status');
    await hub.stop();
    const e = await got;
    expect(e.status.state).toBe('disconnected');
    await expect(a.pointAt(1, 2)).rejects.toThrow(/not connected/);
  });
});

describe('SAMP without a hub', () => {
  it("reports 'no-hub' when there is no lockfile, and sends fail with a clear error", async () => {
    const home = mkdtempSync(join(tmpdir(), 'ls-nohub-'));
    const c = new SampClient({ env: {}, home });
    const s = await c.connect();
    expect(s).toEqual({ state: 'no-hub', reason: 'no SAMP hub is running (no lockfile)' });
    await expect(c.pointAt(10, 20)).rejects.toThrow(/SAMP: not connected to a hub \(no SAMP hub is running/);
  });

  it("reports 'no-hub' for a stale lockfile whose hub is gone", async () => {
    const home = mkdtempSync(join(tmpdir(), 'ls-stale-'));
    const lock = join(home, 'lock');
    writeFileSync(lock, 'samp.secret=abc\nsamp.hub.xmlrpc.url=http://127.0.0.1:9/xmlrpc\nsamp.profile.version=1.3\n');
    const c = new SampClient({ env: { SAMP_HUB: `std-lockurl:${pathToFileURL(lock).href}` } });
    const s = await c.connect();
    expect(s.state).toBe('no-hub');
    expect(s.state === 'no-hub' && s.reason).toMatch(/does not answer/);
  });

  it("reports 'no-hub' for a SAMP_HUB of another profile", async () => {
    const c = new SampClient({ env: { SAMP_HUB: 'web-appname:foo' } });
    expect((await c.connect()).state).toBe('no-hub');
  });
});

describe.skipIf(missing !== null)('latent-sky samp (CLI)', () => {
  it('point and listen talk through the hub; no hub is a clear message', async () => {
    const { execFile } = await import('node:child_process');
    const bin = join(__dirname, '../../main/cli/bin.mjs');
    const cli = (args: string[], env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number; out: string }>((ok) => {
        execFile(process.execPath, [bin, 'samp', ...args], { env }, (e, stdout, stderr) => ok({ code: e ? Number(e.code ?? 1) : 0, out: stdout + stderr }));
      });
    const noHub = await cli(['status'], { ...process.env, SAMP_HUB: `std-lockurl:${pathToFileURL(join(tmpdir(), 'ls-no-such-lock')).href}` });
    expect(noHub).toEqual({ code: 0, out: 'no hub: no SAMP hub is running (no lockfile)\n' });

    const hub = await startHub();
    try {
      const listener = cli(['listen', '--seconds', '8'], hub.env);
      const c = new SampClient({ env: hub.env });
      await c.connect();
      let id: string | undefined;
      for (let t = 0; t < 150 && !id; t++) {
        id = (await c.clients()).find((x) => x.name === 'latent-sky (listen)')?.id;
        if (!id) await new Promise((r) => setTimeout(r, 100));
      }
      expect(id).toBeDefined();
      let subscribed: string[] = [];
      await waitFor(
        () => subscribed.includes(id!),
        'the listener to subscribe',
        10_000,
        async () => (subscribed = await c.subscribers('coord.pointAt.sky')),
      );
      const point = await cli(['point', '12.5', '-33.25'], hub.env);
      expect(point.code).toBe(0);
      expect(point.out).toContain(id!);
      await c.disconnect();
      const l = await listener;
      expect(l.code).toBe(0);
      expect(l.out).toMatch(/coord\.pointAt\.sky ra=12\.5 dec=-33\.25 from c\d+/);
    } finally {
      await hub.stop();
    }
  });
});
