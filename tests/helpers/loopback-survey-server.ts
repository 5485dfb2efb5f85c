/**
 * A real HTTP server on 127.0.0.1 (random port) that answers like the Legacy
 * Survey viewer's cutout service ({base}/cutout.fits?ra&dec&layer&pixscale&size&bands,
 * {base}/cutout.jpg) with deterministic FITS cubes (a gaussian galaxy plus
 * seeded noise, TAN WCS, BANDn cards, written with app/fits), and injectable
 * misbehaviour: latency, slow bodies, HTTP errors (429 with Retry-After,
 * 500/503), HTML error pages with status 200, truncated bodies, connection
 * resets, empty bodies, wrong shapes, all-zero (out-of-footprint) cubes.
 * Loopback only; every request is counted per (ra, dec), and per (layer, ra,
 * dec): the layer parameter picks the cube (ls-dr10 the image, -model the
 * noiseless galaxy, -resid the noise alone).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import jpeg from 'jpeg-js';
import { createRng, hashString } from '@app/core/rng';
import { writeFits } from '@app/fits';

export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'html' }
  | { kind: 'truncate'; bytes?: number }
  | { kind: 'reset' }
  | { kind: 'slow'; ms: number }
  | { kind: 'empty' }
  | { kind: 'wrong-shape' }
  | { kind: 'zeros' };

export interface RequestInfo {
  path: string;
  ra: number;
  dec: number;
  size: number;
  key: string;
  /** the layer parameter (ls-dr10 when absent) */
  layer: string;
  /** how many times this key was requested before, this one excluded */
  previous: number;
}

export interface SurveyServerOptions {
  /** added before every response (default 0) */
  latencyMs?: number;
  behave?: (r: RequestInfo) => Behaviour | undefined;
}

export interface SurveyServer {
  /** the viewer base URL, e.g. http://127.0.0.1:PORT/viewer */
  base: string;
  /** requests per key 'ra,dec' (as sent) */
  counts: Map<string, number>;
  /** requests per 'layer ra,dec' */
  layerCounts: Map<string, number>;
  total(): number;
  setBehaviour(fn: SurveyServerOptions['behave']): void;
  close(): Promise<void>;
}

/** The FITS cube the server sends for a position (also used by tests to compare). */
export function cutoutFits(ra: number, dec: number, size: number, bands: string, pixscale: number, layer = 'ls-dr10'): Uint8Array {
  const model = layer.endsWith('-model'),
    resid = layer.endsWith('-resid');
  const rng = createRng(hashString(`${ra},${dec}`));
  const n = bands.length;
  const data = new Float32Array(n * size * size);
  const c = (size - 1) / 2,
    sigma = 1 + rng.next() * size * 0.1,
    amp = 0.5 + rng.next() * 5;
  for (let b = 0; b < n; b++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const r2 = (x - c) ** 2 + (y - c) ** 2;
        const galaxy = amp * (1 + 0.3 * b) * Math.exp(-r2 / (2 * sigma * sigma)),
          noise = rng.gauss(0, 0.01);
        data[(b * size + y) * size + x] = model ? galaxy : resid ? noise : galaxy + noise;
      }
  const header = [
    { key: 'CTYPE1', value: 'RA---TAN' },
    { key: 'CTYPE2', value: 'DEC--TAN' },
    { key: 'CRVAL1', value: ra },
    { key: 'CRVAL2', value: dec },
    { key: 'CRPIX1', value: (size + 1) / 2 },
    { key: 'CRPIX2', value: (size + 1) / 2 },
    { key: 'CD1_1', value: -pixscale / 3600 },
    { key: 'CD1_2', value: 0 },
    { key: 'CD2_1', value: 0 },
    { key: 'CD2_2', value: pixscale / 3600 },
    ...bands.split('').map((b, i) => ({ key: `BAND${i}`, value: b })),
  ];
  return writeFits([{ kind: 'image', shape: n === 1 ? [size, size] : [n, size, size], data, header }]);
}

/** The colour quick-look the server sends for cutout.jpg: z → R, r → G, g → B, asinh-stretched, top row = north. */
export function cutoutJpeg(ra: number, dec: number, size: number): Uint8Array {
  const rng = createRng(hashString(`${ra},${dec}`));
  const c = (size - 1) / 2,
    sigma = 1 + rng.next() * size * 0.1;
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const v = Math.exp(-((x - c) ** 2 + (y - c) ** 2) / (2 * sigma * sigma));
      const i = (y * size + x) * 4;
      rgba[i] = (255 * Math.asinh(3 * v)) / Math.asinh(3);
      rgba[i + 1] = 220 * v;
      rgba[i + 2] = 180 * v;
      rgba[i + 3] = 255;
    }
  return jpeg.encode({ data: rgba, width: size, height: size }, 90).data;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSurveyServer(opts: SurveyServerOptions = {}): Promise<SurveyServer> {
  let behave = opts.behave;
  const counts = new Map<string, number>();
  const layerCounts = new Map<string, number>();
  let total = 0;
  const sockets = new Set<Socket>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const q = url.searchParams;
    if (!url.pathname.endsWith('/cutout.fits') && !url.pathname.endsWith('/cutout.jpg')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const key = `${q.get('ra')},${q.get('dec')}`;
    const previous = counts.get(key) ?? 0;
    counts.set(key, previous + 1);
    const layer = q.get('layer') ?? 'ls-dr10';
    layerCounts.set(`${layer} ${key}`, (layerCounts.get(`${layer} ${key}`) ?? 0) + 1);
    total++;
    const ra = Number(q.get('ra')),
      dec = Number(q.get('dec')),
      size = Number(q.get('size') ?? 256);
    const bands = q.get('bands') ?? 'grz',
      pixscale = Number(q.get('pixscale') ?? 0.262);
    const b = behave?.({ path: url.pathname, ra, dec, size, key, layer, previous }) ?? { kind: 'ok' };
    if (opts.latencyMs) await sleep(opts.latencyMs);
    const jpg = url.pathname.endsWith('/cutout.jpg');
    const fits = () => (jpg ? cutoutJpeg(ra, dec, size) : cutoutFits(ra, dec, size, bands, pixscale, layer));
    switch (b.kind) {
      case 'status':
        res.writeHead(b.status, { 'content-type': 'text/plain', ...(b.retryAfter ? { 'retry-after': b.retryAfter } : {}) }).end(b.body ?? `error ${b.status}`);
        return;
      case 'html':
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!DOCTYPE html><html><head><title>Legacy Survey: no such layer</title></head><body>Error</body></html>');
        return;
      case 'truncate': {
        const body = fits();
        res.writeHead(200, { 'content-type': 'image/fits', 'content-length': String(body.length) });
        res.write(body.subarray(0, b.bytes ?? Math.floor(body.length / 2)));
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      }
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'slow': {
        const body = fits();
        res.writeHead(200, { 'content-type': 'image/fits', 'content-length': String(body.length) });
        res.write(body.subarray(0, 100));
        await sleep(b.ms);
        if (!res.destroyed) res.end(body.subarray(100));
        return;
      }
      case 'empty':
        res.writeHead(200, { 'content-type': 'image/fits', 'content-length': '0' }).end();
        return;
      case 'wrong-shape': {
        const body = cutoutFits(ra, dec, size + 1, bands, pixscale);
        res.writeHead(200, { 'content-type': 'image/fits' }).end(body);
        return;
      }
      case 'zeros': {
        const n = bands.length;
        const body = writeFits([{ kind: 'image', shape: [n, size, size], data: new Float32Array(n * size * size) }]);
        res.writeHead(200, { 'content-type': 'image/fits' }).end(body);
        return;
      }
      default: {
        const body = fits();
        res.writeHead(200, { 'content-type': jpg ? 'image/jpeg' : 'image/fits', 'content-length': String(body.length) }).end(body);
      }
    }
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.maxConnections = 256;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/viewer`,
    counts,
    layerCounts,
    total: () => total,
    setBehaviour: (fn) => {
      behave = fn;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
