/**
 * The dev host: the built renderer over http on 127.0.0.1 and the service
 * contract over a loopback WebSocket (/ws?token=...). Requests and replies are
 * binary frames (app/contracts/wire.ts); engine events are pushed to every
 * client. A random token in the page URL keeps other local processes off
 * the socket; the Host and Origin checks keep other web pages off it, DNS
 * rebinding included: Host must name this loopback server itself
 * (127.0.0.1:PORT, localhost:PORT or [::1]:PORT, never a domain that merely
 * resolves here) and Origin, when a browser sends one, must be one of those.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createDispatcher, decodeFrame, encodeFrame, type EventSource, type LatentSkyApi, type ValidationContext, type WireMessage } from '@app/contracts';
import { serveStatic } from './static';

export interface DevHostOptions {
  engine: LatentSkyApi & EventSource;
  context: () => ValidationContext;
  /** folder with the built renderer (index.html) */
  rendererDir: string;
  /** 0 = any free port */
  port: number;
  /** fixed token (tests); random when omitted */
  token?: string;
}

export interface DevHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_FRAME = 16 * 1024 * 1024;

/** the Host values this server answers to on `port` */
export function loopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

/** Host is one of ours; Origin is absent (not a browser) or http:// one of ours */
export function trustedRequest(headers: { host?: string; origin?: string }, port: number): boolean {
  const hosts = loopbackHosts(port);
  const host = (headers.host ?? '').toLowerCase();
  if (!hosts.includes(host)) return false;
  if (headers.origin === undefined) return true;
  return hosts.some((h) => headers.origin!.toLowerCase() === `http://${h}`);
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a),
    y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startDevHost(opts: DevHostOptions): Promise<DevHost> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const dispatch = createDispatcher(opts.engine, opts.context);
  let port = 0;
  const server: Server = createServer((req, res) => {
    if (!trustedRequest(req.headers, port)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('forbidden host');
      return;
    }
    void serveStatic(opts.rendererDir, req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/ws' || !trustedRequest(req.headers, port) || !sameToken(url.searchParams.get('token') ?? '', token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws: WebSocket) => {
    ws.binaryType = 'nodebuffer';
    const off = opts.engine.onEvent((event) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame({ t: 'evt', event } satisfies WireMessage));
    });
    ws.on('close', off);
    ws.on('message', async (data: Buffer, isBinary: boolean) => {
      let msg: WireMessage;
      try {
        if (!isBinary) throw new Error('text frame');
        msg = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as WireMessage;
        if (msg?.t !== 'req' || typeof msg.id !== 'number') throw new Error('not a request');
      } catch {
        ws.close(1003, 'bad frame');
        return;
      }
      const reply = await dispatch(msg.channel, msg.input);
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame({ t: 'res', id: msg.id, reply } satisfies WireMessage));
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((ok) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
