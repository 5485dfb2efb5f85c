/**
 * One HTTP(S) GET, defensively: the body is streamed and counted against a
 * byte cap (a declared Content-Length over the cap is refused before a byte
 * is read), Content-Encoding is decoded only for gzip / deflate / br and with
 * the same cap on the *decoded* size (a 0.5 MB gzip bomb stops at the cap),
 * any other encoding is refused, redirects are followed only within the
 * request's origin (scheme, host and port), and the whole attempt — headers,
 * body, a server that drips one byte a second — ends at `timeoutMs`.
 * The retry policy lives in http.ts; this file answers one attempt.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate, type Gunzip } from 'node:zlib';
import { formatBytes } from '@app/core/limits';
import { cancelled } from './sleep';

export interface AttemptOptions {
  timeoutMs: number;
  /** most body bytes accepted, on the wire and decoded */
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  signal?: AbortSignal;
}

export interface ResponseInfo {
  /** the URL that answered (after same-origin redirects) */
  url: string;
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
}

/** A 2xx answer with its body, or a non-2xx answer (body discarded). */
export type Attempt = ResponseInfo & { body: Uint8Array | null };

/** A failure of the transport: `retry` says whether another attempt may help. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    readonly code = 'NETWORK' as 'NETWORK' | 'HTTP',
  ) {
    super(message);
  }
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);
const DECODERS: Record<string, () => Gunzip | ReturnType<typeof createInflate> | ReturnType<typeof createBrotliDecompress>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

function headerText(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim();
}

/** one GET with same-origin redirects */
export async function getOnce(url: string, opts: AttemptOptions): Promise<Attempt> {
  const first = new URL(url);
  let current = first;
  const deadline = Date.now() + opts.timeoutMs;
  for (let hop = 0; ; hop++) {
    const a = await single(current, opts, deadline);
    if (!REDIRECT.has(a.status)) return a;
    const loc = headerText(a.headers.location);
    if (!loc) throw new TransportError(`${url}: HTTP ${a.status} redirect without a Location`, false, 'HTTP');
    let next: URL;
    try {
      next = new URL(loc, current);
    } catch {
      throw new TransportError(`${url}: HTTP ${a.status} redirect to a malformed Location`, false, 'HTTP');
    }
    if (next.origin !== first.origin) throw new TransportError(`${url}: redirected to another origin (${next.origin}), refused`, false, 'HTTP');
    if (hop + 1 > opts.maxRedirects) throw new TransportError(`${url}: more than ${opts.maxRedirects} redirects`, false, 'HTTP');
    current = next;
  }
}

function single(url: URL, opts: AttemptOptions, deadline: number): Promise<Attempt> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return Promise.reject(new TransportError(`${url.href}: only http and https URLs are fetched`, false, 'HTTP'));
  return new Promise<Attempt>((resolve, reject) => {
    let settled = false;
    let res: IncomingMessage | null = null;
    let decoder: (NodeJS.ReadWriteStream & { destroy(e?: Error): void }) | null = null;
    const finish = (e: Error | null, v?: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (e) {
        decoder?.destroy();
        res?.destroy();
        req.destroy();
        reject(e);
      } else resolve(v!);
    };
    const onAbort = () => finish(cancelled());
    const timer = setTimeout(() => finish(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), Math.max(1, deadline - Date.now()));
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method: 'GET', headers: { 'user-agent': opts.userAgent, 'accept-encoding': 'identity' } });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => {
      // a response the HTTP parser cannot read will not read better the next time
      const malformed = typeof e.code === 'string' && e.code.startsWith('HPE_');
      finish(malformed ? new TransportError(`${url.href}: malformed response (${e.code})`, false) : e);
    });
    req.on('response', (r) => {
      res = r;
      const status = r.statusCode ?? 0;
      const info: ResponseInfo = { url: url.href, status, statusText: r.statusMessage ?? '', headers: r.headers };
      if (status < 200 || status > 299) {
        finish(null, { ...info, body: null });
        r.destroy(); // the body of an error answer is never read (it may not end)
        return;
      }
      const declared = headerText(r.headers['content-length']);
      if (declared !== '' && !/^\d+$/.test(declared))
        return finish(new TransportError(`${url.href}: malformed Content-Length '${declared.slice(0, 40)}'`, false));
      if (declared !== '' && Number(declared) > opts.maxBytes)
        return finish(
          new TransportError(
            `${url.href}: the response declares ${formatBytes(Number(declared))}, over the ` + `${formatBytes(opts.maxBytes)} limit for this request`,
            false,
            'HTTP',
          ),
        );
      const encoding = headerText(r.headers['content-encoding']).toLowerCase();
      let source: NodeJS.ReadableStream = r;
      if (encoding !== '' && encoding !== 'identity') {
        const make = DECODERS[encoding];
        if (!make) return finish(new TransportError(`${url.href}: unsupported Content-Encoding '${encoding.slice(0, 40)}'`, false, 'HTTP'));
        decoder = make() as typeof decoder;
        decoder!.on('error', (e: Error) => finish(new TransportError(`${url.href}: ${encoding} body cannot be decoded (${e.message})`, false)));
        r.pipe(decoder!);
        source = decoder!;
      }
      const chunks: Buffer[] = [];
      let wire = 0,
        total = 0;
      r.on('data', (c: Buffer) => {
        wire += c.length;
        if (wire > opts.maxBytes)
          finish(new TransportError(`${url.href}: the response is over the ${formatBytes(opts.maxBytes)} limit for this request`, false, 'HTTP'));
      });
      source.on('data', (c: Buffer) => {
        total += c.length;
        if (total > opts.maxBytes)
          return finish(
            new TransportError(
              `${url.href}: the response${decoder ? ` decodes (${encoding}) to` : ' is'} over the ` + `${formatBytes(opts.maxBytes)} limit for this request`,
              false,
              'HTTP',
            ),
          );
        chunks.push(c);
      });
      source.on('end', () => {
        if (!r.complete) return finish(new TransportError(`${url.href}: connection closed after ${wire} bytes${declared ? ` of ${declared}` : ''}`, true));
        finish(null, { ...info, body: new Uint8Array(Buffer.concat(chunks, total)) });
      });
      r.on('aborted', () => finish(new TransportError(`${url.href}: connection closed after ${wire} bytes${declared ? ` of ${declared}` : ''}`, true)));
      r.on('error', (e) => finish(new TransportError(`${url.href}: ${e.message}`, true)));
      r.on('close', () => {
        if (!r.complete) finish(new TransportError(`${url.href}: connection closed after ${wire} bytes${declared ? ` of ${declared}` : ''}`, true));
      });
    });
    req.end();
  });
}
