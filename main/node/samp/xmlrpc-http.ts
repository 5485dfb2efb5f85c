/**
 * XML-RPC over HTTP: a client (POST to the hub) and a small server on
 * 127.0.0.1 for the hub's callbacks (a SAMP "callable client").
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@app/core/errors';
import { decodeCall, decodeResponse, encodeCall, encodeFault, encodeResponse, XmlRpcFault, type XrValue } from './xmlrpc';

const MAX_BODY = 64 * 1024 * 1024;

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) res.destroy(new Error(`xml-rpc body larger than ${MAX_BODY} bytes`));
      else chunks.push(c);
    });
    res.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    res.on('error', fail);
  });
}

/** Calls `method` at `url`; XmlRpcFault for a fault, AppError NETWORK when the server cannot be reached. */
export function xmlrpcCall(url: string, method: string, params: XrValue[], timeoutMs = 10_000): Promise<XrValue> {
  const body = Buffer.from(encodeCall(method, params), 'utf8');
  return new Promise((ok, fail) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'text/xml', 'Content-Length': body.length }, timeout: timeoutMs }, (res) => {
      readBody(res).then((text) => {
        if (res.statusCode !== 200) return fail(new AppError('HTTP', `${method}: HTTP ${res.statusCode} from ${url}`));
        try {
          ok(decodeResponse(text));
        } catch (e) {
          fail(e);
        }
      }, fail);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (e) => fail(new AppError('NETWORK', `${method}: cannot reach ${url} (${e.message})`)));
    req.end(body);
  });
}

export type XrHandler = (method: string, params: XrValue[]) => Promise<XrValue> | XrValue;

export interface XrServer {
  url: string;
  close(): Promise<void>;
}

/** An XML-RPC server on 127.0.0.1 (any free port); handler errors become faults. */
export async function startXmlrpcServer(handler: XrHandler, path = '/xmlrpc'): Promise<XrServer> {
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== path) {
      res.writeHead(req.method === 'POST' ? 404 : 405).end();
      return;
    }
    let out: string;
    try {
      const call = decodeCall(await readBody(req));
      out = encodeResponse(await handler(call.method, call.params));
    } catch (e) {
      out = encodeFault(e instanceof XmlRpcFault ? e.faultCode : 1, (e as Error).message ?? String(e));
    }
    res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(out) }).end(out);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
