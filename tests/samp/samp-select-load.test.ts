/**
 * SAMP round trips of the engine against the jsamp reference hub, with
 * jsamp's snooper and message sender as the other tool: a selection goes as
 * table.select.rowList (the rows of the table the tool loaded, its table-id
 * and url) to the tools that loaded it and no other; a rowList coming back
 * selects those objects; a table.load.votable we receive becomes an overlay
 * (ra/dec) and/or labels (a column of our ids), and a table with neither is
 * answered samp.error with one clear line. Skipped when java/jsamp are missing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '@app/contracts';
import { SampClient, type SampEvent } from '@main/node/samp/client';
import { Engine } from '@main/node/services/engine';
import { Workspace } from '@main/node/workspace';
import { makeItems, SPEC } from '../workspace/make';
import { collect, exited, jsampMissing, startHub, waitFor, type Hub } from './jsamp';

const missing = jsampMissing();
if (missing) console.warn(`tests/samp: skipped: ${missing}`);

function nextEngineEvent<T extends EngineEvent['type']>(engine: Engine, type: T): Promise<Extract<EngineEvent, { type: T }>> {
  return new Promise((ok) => {
    const off = engine.onEvent((e) => {
      if (e.type === type) {
        off();
        ok(e as Extract<EngineEvent, { type: T }>);
      }
    });
  });
}

const vot = (fields: string, rows: string[][]) => `<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE name="t">
${fields}
<DATA><TABLEDATA>${rows.map((r) => `<TR>${r.map((c) => `<TD>${c}</TD>`).join('')}</TR>`).join('')}</TABLEDATA></DATA>
</TABLE></RESOURCE></VOTABLE>
`;

describe.skipIf(missing !== null)('SAMP selections and received tables (engine, jsamp hub)', () => {
  let hub: Hub;
  let engine: Engine;
  let other: SampClient;
  let ws: Workspace;
  const dir = mkdtempSync(join(tmpdir(), 'ls-samp-sel-'));
  const engineName = 'latent-sky-engine';

  beforeAll(async () => {
    hub = await startHub();
    const w = Workspace.create(join(dir, 'ws'), { name: 'samp-sel', cutout: { bands: SPEC.bands, size: SPEC.size, pixscale: SPEC.pixscale, unit: SPEC.unit } });
    w.addObjects(makeItems(0, 40));
    w.close();
    engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), samp: { name: engineName, env: hub.env } });
    ws = engine.use(join(dir, 'ws'));
    expect((await engine.samp.connect({})).state).toBe('connected');
    // a second tool subscribed to everything we send but that never loads our tables
    other = new SampClient({ name: 'bystander', env: hub.env });
    expect((await other.connect()).state).toBe('connected');
  }, 60_000);

  afterAll(async () => {
    await other?.disconnect();
    await engine?.close();
    await hub?.stop();
  });

  it('a selection goes as table.select.rowList to the tool that loaded the table (its rows, table-id, url), and only to it', async () => {
    const snooper = hub.java(['snooper', '-clientname', 'snoop']);
    const out = collect(snooper);
    const seenByOther: SampEvent[] = [];
    other.onEvent((e) => e.type === 'selectRows' && seenByOther.push(e));
    try {
      let subs: string[] = [];
      await waitFor(
        () => subs.length >= 2,
        'the snooper to subscribe',
        15_000,
        async () => (subs = await other.subscribers('table.load.votable')),
      );
      const sent = await engine.samp.sendSelection({ indices: Int32Array.from([7, 3, 21, 0]) });
      const snoop = sent.deliveries!.find((d) => d.name === 'snoop')!;
      // the snooper answers samp.warning ("logged, not acted on"): delivered
      expect(snoop.ok, snoop.error).toBe(true);
      expect(snoop.warning).toMatch(/not acted on/);
      // the bystander answered our table.load.votable with an error (it loads nothing): not a recipient
      expect(sent.deliveries!.find((d) => d.name === 'bystander')?.ok).toBe(false);
      expect(sent.recipients).toEqual([snoop.id]);
      const url = pathToFileURL(sent.path).href;
      await waitFor(() => out.text().includes('table.load.votable'), 'the snooper to see the table');
      const tableId = /"table-id": "([^"]+)"/.exec(out.text())![1];

      const r = await engine.samp.select({ indices: Int32Array.from([0, 21, 39]) });
      expect(r).toEqual({ recipients: [snoop.id], tables: 1 });
      await waitFor(() => out.text().includes('table.select.rowList'), 'the snooper to see the rowList');
      const msg = out.text().slice(out.text().indexOf('table.select.rowList'));
      // objects 21 and 0 are rows 2 and 3 of the table sent ([7, 3, 21, 0]); 39 is in no table
      expect(msg.replace(/\s+/g, ' ')).toMatch(/"row-list": \[ "2", "3" \]/);
      expect(msg).toContain(`"table-id": "${tableId}"`);
      expect(msg).toContain(`"url": "${url}"`);
      await new Promise((r) => setTimeout(r, 300));
      expect(seenByOther).toEqual([]);

      // the tool selects rows back (jsamp messagesender, a real peer): we select those objects
      const got = nextEngineEvent(engine, 'sampSelection');
      const sender = hub.java([
        'messagesender',
        '-mtype',
        'table.select.rowList',
        '-param',
        'table-id',
        tableId,
        '-param',
        'url',
        url,
        '-param',
        'row-list',
        '["1", "3"]',
        '-mode',
        'sync',
        '-targetname',
        engineName,
      ]);
      const said = collect(sender);
      expect(await exited(sender)).toBe(0);
      expect(said.text()).toContain('samp.ok');
      expect(Array.from((await got).indices)).toEqual([3, 0]);
    } finally {
      snooper.kill('SIGTERM');
      await exited(snooper);
    }
  }, 60_000);

  it('table.load.votable with ra/dec and our ids: announced as an overlay and as labels; answered samp.ok', async () => {
    const ids = [5, 11, 30].map((i) => ws.getObject(i));
    const file = join(dir, 'from-topcat.vot');
    writeFileSync(
      file,
      vot(
        '<FIELD name="RA_ICRS" datatype="double" unit="deg" ucd="pos.eq.ra;meta.main"/><FIELD name="DE_ICRS" datatype="double" unit="deg" ucd="pos.eq.dec;meta.main"/><FIELD name="objid" datatype="char" arraysize="*"/>',
        [...ids.map((o) => [String(o.ra), String(o.dec), o.id]), ['10.5', '-5.25', 'not-ours']],
      ),
    );
    const got = nextEngineEvent(engine, 'sampTable');
    const sender = hub.java([
      'messagesender',
      '-mtype',
      'table.load.votable',
      '-param',
      'url',
      pathToFileURL(file).href,
      '-param',
      'table-id',
      'tc-1',
      '-param',
      'name',
      'my picks',
      '-mode',
      'sync',
      '-targetname',
      engineName,
      '-sendername',
      'topcat-stand-in',
    ]);
    const said = collect(sender);
    expect(await exited(sender)).toBe(0);
    expect(said.text()).toContain('samp.ok');
    const e = await got;
    expect(e.error).toBeNull();
    expect(e.sender).toBe('topcat-stand-in');
    const t = e.table!;
    expect([t.name, t.tableId, t.rows, t.idColumn, t.matched]).toEqual(['my picks', 'tc-1', 4, 'objid', 3]);
    expect(Array.from(t.objects!)).toEqual([5, 11, 30, -1]);
    expect(Array.from(t.ra!)).toEqual([...ids.map((o) => Math.fround(o.ra)), 10.5]);
    expect(Array.from(t.dec!)).toEqual([...ids.map((o) => Math.fround(o.dec)), -5.25]);
    // one bulk call labels the matched objects, as the app's "label them" does
    await engine.probe.create({ name: 'from-topcat', description: '' });
    const info = await engine.probe.setLabels({ search: 'from-topcat', indices: Int32Array.from(t.objects!.filter((i) => i >= 0)), label: 'positive' });
    expect(info.positives).toBe(3);
    // the tool's later rowList on its own table maps to our objects
    const sel = nextEngineEvent(engine, 'sampSelection');
    const rl = hub.java([
      'messagesender',
      '-mtype',
      'table.select.rowList',
      '-param',
      'table-id',
      'tc-1',
      '-param',
      'url',
      pathToFileURL(file).href,
      '-param',
      'row-list',
      '["2", "3"]',
      '-mode',
      'notify',
      '-targetname',
      engineName,
    ]);
    expect(await exited(rl)).toBe(0);
    expect(Array.from((await sel).indices)).toEqual([30]);
  }, 60_000);

  it('loads a table from a local http:// URL; another host is refused', async () => {
    const body = vot('<FIELD name="ra" datatype="double"/><FIELD name="dec" datatype="double"/>', [
      ['150.5', '2.25'],
      ['151', '2.5'],
      ['', ''],
    ]);
    const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/x-votable+xml' }).end(body));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/t.vot`;
      const got = nextEngineEvent(engine, 'sampTable');
      const sender = hub.java(['messagesender', '-mtype', 'table.load.votable', '-param', 'url', url, '-mode', 'sync', '-targetname', engineName]);
      const said = collect(sender);
      await exited(sender);
      expect(said.text()).toContain('samp.ok');
      const t = (await got).table!;
      expect([t.name, t.rows, t.idColumn]).toEqual([url, 3, null]);
      expect(Array.from(t.ra!)).toEqual([150.5, 151, NaN]);
      const far = nextEngineEvent(engine, 'sampTable');
      const s2 = hub.java([
        'messagesender',
        '-mtype',
        'table.load.votable',
        '-param',
        'url',
        'http://example.org/t.vot',
        '-mode',
        'sync',
        '-targetname',
        engineName,
      ]);
      const said2 = collect(s2);
      await exited(s2);
      expect(said2.text()).toMatch(/example\.org is not this machine/);
      expect((await far).error?.code).toBe('BAD_INPUT');
    } finally {
      server.close();
    }
  }, 60_000);

  it('a table without ra/dec or our ids is answered samp.error with one clear line; a missing file too', async () => {
    const file = join(dir, 'useless.vot');
    writeFileSync(
      file,
      vot('<FIELD name="mag" datatype="double"/><FIELD name="colour" datatype="double"/>', [
        ['18.2', '0.4'],
        ['19.1', '0.9'],
      ]),
    );
    for (const [url, why] of [
      [pathToFileURL(file).href, /no ra\/dec columns and no column of this workspace's object ids \(columns: mag, colour\)/],
      [pathToFileURL(join(dir, 'gone.vot')).href, /no file .*gone\.vot/],
    ] as const) {
      const got = nextEngineEvent(engine, 'sampTable');
      const sender = hub.java(['messagesender', '-mtype', 'table.load.votable', '-param', 'url', url, '-mode', 'sync', '-targetname', engineName]);
      const said = collect(sender);
      await exited(sender);
      expect(said.text()).toContain('samp.error');
      expect(said.text()).toMatch(why);
      const e = await got;
      expect(e.table).toBeNull();
      expect(e.error?.message).toMatch(why);
    }
    expect(engine.samp && (await engine.samp.status({})).state).toBe('connected');
  }, 60_000);
});
