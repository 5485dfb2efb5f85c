/**
 * A hostile HTTP peer on 127.0.0.1 (random port), written on raw sockets so
 * that it can say what a well-behaved server library would refuse to:
 * endless bodies, gzip bombs, encodings nobody asked for, redirects to other
 * origins, absurd Retry-After, malformed status lines and headers, lying
 * Content-Length, slow drips, corrupt FITS with a clean 200. `respond` picks
 * the answer per request (from the path and query); every request is counted
 * per path+query. Nothing here listens beyond loopback.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** the request as the server saw it */
export interface RawRequest {
  path: string;
  query: URLSearchParams;
  key: string;
  previous: number;
  headers: Record<string, string>;
}

/** A scripted answer: raw bytes (status line, headers and body as given), then what to do with the socket. */
export interface RawAnswer {
  /** bytes written at once (status line + headers + any body start) */
  head: string | Uint8Array;
  /** more body: written in order, each after `gapMs` */
  chunks?: Uint8Array[];
  gapMs?: number;
  /** keep writing this chunk until the client goes away (an endless body) */
  endless?: Uint8Array;
  /** close (default), destroy (reset) or keep the socket open after the last write */
  then?: 'close' | 'destroy' | 'hang';
}

export interface HostileServer {
  port: number;
  origin: string;
  counts: Map<string, number>;
  total(): number;
  /** bytes written to clients in all */
  sent(): number;
  close(): Promise<void>;
}

let bombMember: Buffer | null = null;
/** one gzip member of 16 MiB of zeros (about 16 kB on the wire); members concatenate into one stream */
export function gzipBombMember(): Buffer {
  bombMember ??= gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
  return bombMember;
}

export function httpHead(status: number, headers: Record<string, string | number>, reason = 'X'): string {
  return `HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

export function okAnswer(body: Uint8Array, headers: Record<string, string | number> = {}): RawAnswer {
  return {
    head: Buffer.concat([
      Buffer.from(httpHead(200, { 'content-type': 'application/fits', 'content-length': body.length, connection: 'close', ...headers }, 'OK')),
      Buffer.from(body),
    ]),
  };
}

export async function startHostileServer(respond: (r: RawRequest) => RawAnswer | Promise<RawAnswer>): Promise<HostileServer> {
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  let total = 0,
    sent = 0;
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    const onData = async (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > 65536) sock.destroy();
        return;
      }
      sock.off('data', onData);
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const target = lines[0].split(' ')[1] ?? '/';
      const url = new URL(target, 'http://127.0.0.1');
      const key = url.pathname + url.search;
      const previous = counts.get(key) ?? 0;
      counts.set(key, previous + 1);
      total++;
      const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      let a: RawAnswer;
      try {
        a = await respond({ path: url.pathname, query: url.searchParams, key, previous, headers });
      } catch (e) {
        a = { head: httpHead(500, { 'content-length': 0 }) };
        void e;
      }
      await play(sock, a, (n) => {
        sent += n;
      });
    };
    sock.on('data', (d) => void onData(d));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    counts,
    total: () => total,
    sent: () => sent,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function play(sock: Socket, a: RawAnswer, count: (n: number) => void): Promise<void> {
  const write = (b: string | Uint8Array) => {
    if (sock.destroyed) return false;
    count(typeof b === 'string' ? Buffer.byteLength(b) : b.length);
    return sock.write(b);
  };
  write(a.head);
  for (const c of a.chunks ?? []) {
    if (a.gapMs) await wait(a.gapMs);
    if (sock.destroyed) return;
    write(c);
  }
  if (a.endless) {
    // until the client hangs up; respect backpressure so the server itself stays small
    while (!sock.destroyed) {
      if (!write(a.endless))
        await new Promise<void>((r) => {
          sock.once('drain', r);
          sock.once('close', r);
        });
    }
    return;
  }
  if (a.then === 'hang') return;
  if (a.then === 'destroy') sock.destroy();
  else sock.end();
}
