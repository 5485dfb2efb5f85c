/**
 * The latent-sky:// protocol handler (Electron's protocol.handle takes it as
 * is; tests call it with plain fetch Requests): the built renderer from
 * out/renderer under latent-sky://app/ (cutouts reach the renderer as typed
 * arrays over the engine's port and are drawn on canvases, not as files). Paths from the renderer are guarded: decoded, no NUL,
 * no '..' escape, no dotfile or dot-folder, resolved strictly inside the
 * renderer folder, and — after following symlinks — still inside it; files only.
 * Every response carries the Content-Security-Policy header.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_HOST, CONTENT_SECURITY_POLICY, SCHEME } from './security';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ProtocolOptions {
  /** folder of the built renderer (index.html) */
  rendererDir: string;
}

function respond(status: number, body: string | Uint8Array | null, type = 'text/plain; charset=utf-8'): Response {
  return new Response(body, {
    status,
    headers: { 'Content-Type': type, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' },
  });
}

/** the file inside `root` that `pathname` names, or null when it would escape root (or is malformed) */
export function guardedPath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((seg) => seg === '..' || seg.startsWith('.'))) return null;
  const base = resolve(root);
  const full = resolve(base, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded));
  return full.startsWith(base + sep) ? full : null;
}

export function createProtocolHandler(opts: ProtocolOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return respond(400, 'bad URL');
    }
    if (url.protocol !== `${SCHEME}:` || url.host !== APP_HOST) return respond(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'method not allowed');
    const file = guardedPath(opts.rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return respond(403, 'forbidden path');
    try {
      // a symlink inside the folder must not lead out of it
      const [real, base] = await Promise.all([realpath(file), realpath(opts.rendererDir)]);
      if (!real.startsWith(base + sep)) return respond(403, 'forbidden path');
      if (!(await stat(real)).isFile()) return respond(404, 'not found');
      return respond(200, new Uint8Array(await readFile(real)), MIME[extname(file).toLowerCase()] ?? 'application/octet-stream');
    } catch {
      return respond(404, 'not found');
    }
  };
}
