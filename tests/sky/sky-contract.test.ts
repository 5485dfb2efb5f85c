/**
 * SkyService over the dev host's real WebSocket: names resolve from the open
 * workspace's ids and the bundled Messier/NGC/IC list offline, and through
 * CDS Sesame when asked to go online. There is no internet here: the
 * "Sesame" below is a LOCAL PEER (an HTTP server in this test on 127.0.0.1)
 * answering in Sesame's XML format (-oxp) — a normal answer, "nothing
 * found", and hostile ones (huge, slow, malformed) — and a closed port
 * stands for being offline. HiPS folders the test writes (order 3 PNG tiles)
 * are read through the path guard.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '@app/contracts';
import type { AppError } from '@app/core/errors';
import { tilePath, writeHipsProperties } from '@app/sky/hips';
import { radec2pix } from '@app/sky/healpix';
import { startDevHost, type DevHost } from '@main/devhost/server';
import { writeDemoSurvey } from '@main/node/discovery/demo-workspace';
import { Engine } from '@main/node/services/engine';
import { SesameResolver } from '@main/node/sky/sesame';
import { Workspace } from '@main/node/workspace/workspace';
import { freePort } from '../e2e/harness';
import { connectNodeBridge } from '../contracts/ws-client';

/** a Sesame -oxp answer for one object, in the layout CDS documents (sesame_4x.xsd) */
const sesameXml = (name: string, ra: number, dec: number, otype: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Sesame xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://cds.unistra.fr/xml/sesame_4x.xsd">
<Target option="SNV">
  <name>${name}</name>
  <INFO>*** Local peer of the tests, not CDS ***</INFO>
  <Resolver name="S=Simbad (via url):    1">
    <otype>${otype}</otype>
    <jpos>00:00:00.00 +00:00:00.0</jpos>
    <jradeg>${ra}</jradeg>
    <jdedeg>${dec}</jdedeg>
    <oname>${name}</oname>
  </Resolver>
</Target>
</Sesame>
`;
const NOTHING = `<?xml version="1.0" encoding="UTF-8"?>
<Sesame>
<Target option="SNV">
  <name>nonesuch</name>
  <Resolver name="S=Simbad (via url):    0"><INFO>*** Nothing found ***</INFO></Resolver>
  <Resolver name="N=NED (local):    0"><INFO>*** Nothing found ***</INFO></Resolver>
</Target>
</Sesame>
`;

let dir: string;
let engine: Engine;
let host: DevHost;
let peer: Server;
let sesameUrl: string;
const asked: string[] = [];
let api: ReturnType<typeof createApiClient>;
let bridge: Awaited<ReturnType<typeof connectNodeBridge>>;

async function png(w: number, rgb: [number, number, number]): Promise<Buffer> {
  const p = new PNG({ width: w, height: w });
  for (let i = 0; i < w * w; i++) p.data.set([...rgb, 255], 4 * i);
  return PNG.sync.write(p);
}

/** a HiPS folder with PNG tiles at order 3 around (ra, dec): the tile there and its neighbours */
export async function writeTestHips(folder: string, tiles: number[], width = 64, title = 'Test HiPS (order 3)'): Promise<void> {
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'properties'),
    writeHipsProperties({
      obs_title: title,
      hips_order: 3,
      hips_order_min: 3,
      hips_tile_width: width,
      hips_tile_format: 'png',
      hips_frame: 'equatorial',
      dataproduct_type: 'image',
    }),
  );
  for (const t of tiles) {
    const p = join(folder, tilePath(3, t, 'png'));
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, await png(width, [230, 40, 40]));
  }
}

describe('sky service: names and HiPS backgrounds', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ls-sky-'));
    peer = createServer((req, res) => {
      const q = decodeURIComponent((req.url ?? '').split('?')[1] ?? '');
      if (q) asked.push(q);
      if (q === 'AT 2017gfo') res.writeHead(200, { 'content-type': 'text/xml' }).end(sesameXml('AT 2017gfo', 197.450374, -23.381497, 'SN*'));
      else if (q === 'huge') {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end('<Sesame>' + 'x'.repeat(2 * 1024 * 1024));
      } else if (q === 'slow') setTimeout(() => res.writeHead(200).end(sesameXml('slow', 1, 1, '?')), 20_000).unref();
      else if (q === 'malformed') res.writeHead(200).end('<html><body>Service temporarily down</body></html>');
      else if (q === 'off the sky') res.writeHead(200).end(sesameXml('x', 400, 95, '?'));
      else if ((req.url ?? '').startsWith('/hips/')) {
        // the same peer serves a HiPS folder over HTTP (404 for tiles it does not have)
        const file = join(dir, 'allowed', 'my-hips', decodeURIComponent(req.url!.slice('/hips/'.length)));
        if (existsSync(file)) res.writeHead(200).end(readFileSync(file));
        else res.writeHead(404).end();
      } else res.writeHead(200).end(NOTHING);
    });
    await new Promise<void>((ok) => peer.listen(0, '127.0.0.1', ok));
    sesameUrl = `http://127.0.0.1:${(peer.address() as AddressInfo).port}/cgi-bin/nph-sesame/-oxp/SNV`;
    engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), roots: [join(dir, 'allowed')], sesameUrl });
    mkdirSync(join(dir, 'www'));
    writeFileSync(join(dir, 'www', 'index.html'), '<!doctype html><title>t</title>');
    host = await startDevHost({ engine, context: engine.validationContext, rendererDir: join(dir, 'www'), port: 0 });
    bridge = await connectNodeBridge(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
    api = createApiClient(bridge);
  }, 60_000);

  afterAll(async () => {
    bridge?.close();
    await host?.close();
    await engine?.close();
    await new Promise((ok) => peer.close(ok));
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves the bundled list offline, without asking the network', async () => {
    const m31 = await api.sky.resolveName({ name: 'M31', online: true });
    expect(m31).toMatchObject({ name: 'M 31', source: 'bundled', type: 'galaxy' });
    expect(m31.ra).toBeCloseTo(10.68, 2);
    expect(m31.dec).toBeCloseTo(41.27, 2);
    expect(m31.aliases).toContain('Andromeda Galaxy');
    expect((await api.sky.resolveName({ name: 'ngc224', online: false })).name).toBe('M 31');
    const m1 = await api.sky.resolveName({ name: 'm 1', online: false });
    expect([m1.ra, m1.dec].map((v) => Number(v.toFixed(2)))).toEqual([83.63, 22.01]);
    expect((await api.sky.resolveName({ name: 'IC 342', online: false })).dec).toBeCloseTo(68.1, 1);
    expect((await api.sky.resolveName({ name: 'Crab Nebula', online: false })).name).toBe('M 1');
    expect(asked).toEqual([]);
    await expect(api.sky.resolveName({ name: 'PGC 12345', online: false })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/online name resolution is off/),
    });
    await expect(api.sky.resolveName({ name: '   ', online: false })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it("resolves the open workspace's own ids first", async () => {
    await writeDemoSurvey({ path: join(dir, 'allowed', 'ws'), count: 24, seed: 2 }, () => undefined, new AbortController().signal);
    await api.workspace.open({ path: join(dir, 'allowed', 'ws') });
    const ws = Workspace.open(join(dir, 'allowed', 'ws'), { readonly: true });
    const o = ws.getObject(17);
    ws.close();
    const r = await api.sky.resolveName({ name: o.id, online: false });
    expect(r).toMatchObject({ source: 'workspace', idx: 17, name: o.id });
    expect(r.ra).toBeCloseTo(o.ra, 6);
  });

  it('asks Sesame (a local peer) when online, and caches the answer', async () => {
    const r = await api.sky.resolveName({ name: 'AT 2017gfo', online: true });
    expect(r).toMatchObject({ source: 'sesame', name: 'AT 2017gfo', type: 'SN*', resolver: 'Simbad' });
    expect(r.ra).toBeCloseTo(197.450374, 6);
    await api.sky.resolveName({ name: 'at  2017GFO', online: true });
    expect(asked.filter((q) => /2017/.test(q))).toEqual(['AT 2017gfo']);
    await expect(api.sky.resolveName({ name: 'nonesuch', online: true })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/Simbad, NED or VizieR/),
    });
    await api.sky.resolveName({ name: 'nonesuch', online: true }).catch(() => undefined);
    expect(asked.filter((q) => q === 'nonesuch')).toHaveLength(1);
  });

  it('refuses hostile answers with one line: huge, slow, malformed, off the sky', async () => {
    await expect(api.sky.resolveName({ name: 'huge', online: true })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/limit/) });
    await expect(api.sky.resolveName({ name: 'malformed', online: true })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/not a Sesame XML/),
    });
    await expect(api.sky.resolveName({ name: 'off the sky', online: true })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/off the sky/),
    });
    // the engine's resolver waits 5 s per attempt; the same resolver with a shorter timeout shows the slow peer is cut off
    const quick = new SesameResolver({ baseUrl: sesameUrl, timeoutMs: 600 });
    const t0 = Date.now();
    await expect(quick.resolve('slow')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/timed out/) });
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('offline (nothing listening), an unknown name is UNAVAILABLE at once', async () => {
    const port = await freePort();
    const offline = new Engine({ stateDir: join(dir, 'state2'), modelsDir: join(dir, 'models'), sesameUrl: `http://127.0.0.1:${port}/sesame` });
    try {
      const t0 = Date.now();
      const e = await offline.sky.resolveName({ name: 'SDSS J1004+4112', online: true }).catch((x: AppError) => x);
      expect((e as AppError).code).toBe('UNAVAILABLE');
      expect((e as AppError).message).toMatch(
        /not in this workspace nor in the bundled .*, and the name resolver \(CDS Sesame.* cannot be used: .*ECONNREFUSED/,
      );
      expect(Date.now() - t0).toBeLessThan(3000);
      await expect(offline.sky.resolveName({ name: 'M 101', online: true })).resolves.toMatchObject({ source: 'bundled' });
    } finally {
      await offline.close();
    }
  });

  it('opens a local HiPS folder inside the allowed folders and serves its tiles', async () => {
    const tile = radec2pix(3, 150, 2);
    const folder = join(dir, 'allowed', 'my-hips');
    await writeTestHips(folder, [tile, tile + 1]);
    const info = await api.sky.openHips({ path: folder });
    expect(info).toEqual({
      path: folder,
      title: 'Test HiPS (order 3)',
      order: 3,
      minOrder: 3,
      tileWidth: 64,
      format: 'png',
      frame: 'equatorial',
      drawOrder: 3,
    });
    const t = await api.sky.hipsTile({ path: folder, order: 3, npix: tile });
    expect(t.bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(t.bytes!).equals(readFileSync(join(folder, tilePath(3, tile, 'png'))))).toBe(true);
    expect((await api.sky.hipsTile({ path: folder, order: 3, npix: tile + 7 })).bytes).toBeNull();
    await expect(api.sky.hipsTile({ path: folder, order: 3, npix: 768 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(api.sky.hipsTile({ path: folder, order: 2, npix: 0 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/outside 3\.\.3/),
    });
  });

  it('opens a HiPS by URL (the local peer) and caches its tiles under the state folder', async () => {
    const tile = radec2pix(3, 150, 2);
    const url = `http://127.0.0.1:${(peer.address() as AddressInfo).port}/hips`;
    const info = await api.sky.openHips({ path: url });
    expect(info).toMatchObject({ path: url, title: 'Test HiPS (order 3)', drawOrder: 3, format: 'png' });
    const t = await api.sky.hipsTile({ path: url, order: 3, npix: tile });
    expect(Buffer.from(t.bytes!).equals(readFileSync(join(dir, 'allowed', 'my-hips', tilePath(3, tile, 'png'))))).toBe(true);
    expect((await api.sky.hipsTile({ path: url, order: 3, npix: tile + 7 })).bytes).toBeNull();
    const cache = join(dir, 'state', 'hips-cache');
    const cached = readdirSync(cache, { recursive: true }).map(String);
    expect(cached.some((f) => f.endsWith(`Npix${tile}.png`))).toBe(true);
    expect(cached.some((f) => f.endsWith(`Npix${tile + 7}.png.missing`))).toBe(true);
  });

  it('refuses a HiPS outside the allowed folders, without properties, or with lying tiles', async () => {
    const outside = join(dir, 'elsewhere');
    await writeTestHips(outside, [0]);
    await expect(api.sky.openHips({ path: outside })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/outside the folders this session may use/),
    });
    const bare = join(dir, 'allowed', 'bare');
    mkdirSync(bare);
    await expect(api.sky.openHips({ path: bare })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no HiPS properties/) });
    const lying = join(dir, 'allowed', 'lying');
    await writeTestHips(lying, [5], 64);
    writeFileSync(join(lying, 'properties'), readFileSync(join(lying, 'properties'), 'utf8').replace(/hips_tile_width\s*=\s*64/, 'hips_tile_width = 512'));
    await expect(api.sky.openHips({ path: lying })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/64×64, the properties declare 512×512/),
    });
    const empty = join(dir, 'allowed', 'empty');
    await writeTestHips(empty, []);
    await expect(api.sky.openHips({ path: empty })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no png tile at order 3/) });
  });
});
