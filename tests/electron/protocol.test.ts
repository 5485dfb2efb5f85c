/**
 * The latent-sky:// handler with plain fetch Requests: the renderer files,
 * the path guard against escapes, no route besides the renderer's files, and
 * the CSP header; plus the pure security predicates and the menu template.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { menuTemplate } from '@main/electron/menu';
import { createProtocolHandler, guardedPath } from '@main/electron/protocol';
import { APP_URL, CONTENT_SECURITY_POLICY, isAllowedRequest, isAppUrl, isExternalLink, webPreferences } from '@main/electron/security';

const SECRET = 'TOP-SECRET-CONTENT';

describe('app protocol', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-proto-'));
  const renderer = join(dir, 'renderer');
  let handle: (r: Request) => Promise<Response>;
  const get = (url: string, init?: RequestInit) => handle(new Request(url, init));

  beforeAll(() => {
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Latent Sky</title>');
    writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), SECRET);
    mkdirSync(join(dir, 'renderer-evil'));
    writeFileSync(join(dir, 'renderer-evil', 'x.txt'), SECRET);
    handle = createProtocolHandler({ rendererDir: renderer });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the renderer with the CSP header', async () => {
    for (const url of ['latent-sky://app/', APP_URL]) {
      const r = await get(url);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await r.text()).toContain('<title>Latent Sky</title>');
    }
    const js = await get('latent-sky://app/assets/app.js');
    expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript']);
  });

  it('never serves a file outside the renderer folder', async () => {
    const attacks = [
      'latent-sky://app/../secret.txt',
      'latent-sky://app/%2e%2e/secret.txt',
      'latent-sky://app/..%2fsecret.txt',
      'latent-sky://app/assets/..%2f..%2fsecret.txt',
      'latent-sky://app/%2e%2e%2f%2e%2e%2fsecret.txt',
      'latent-sky://app/..%5csecret.txt',
      'latent-sky://app/%00/../secret.txt',
      'latent-sky://app/%E0%A4%A',
      `latent-sky://app/${encodeURIComponent(join(dir, 'secret.txt'))}`,
      'latent-sky://app/../renderer-evil/x.txt',
      'latent-sky://app/assets',
      'latent-sky://other/index.html',
    ];
    for (const url of attacks) {
      const r = await get(url);
      expect(r.status, url).not.toBe(200);
      expect(await r.text()).not.toContain(SECRET);
    }
    expect((await get('latent-sky://app/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('guardedPath resolves strictly inside the root', () => {
    expect(guardedPath('/srv/r', '/assets/a.js')).toBe('/srv/r/assets/a.js');
    expect(guardedPath('/srv/r', '/a%20b.css')).toBe('/srv/r/a b.css');
    for (const p of ['/../x', '/a/../../x', '/%2e%2e/x', '/a%00', '/a\\..\\x', '/%E0%A4%A', '/..', '/']) expect(guardedPath('/srv/r', p), p).toBeNull();
    expect(guardedPath('/srv/r', '/../r-evil/x')).toBeNull();
  });

  it('serves no cutout route: cutouts reach the renderer as typed arrays', async () => {
    for (const p of ['/cutout/3.png', '/cutout/-1.png']) expect((await get(`latent-sky://app${p}`)).status, p).toBeGreaterThanOrEqual(400);
  });
});

describe('security policy', () => {
  it('the CSP allows only the app itself', () => {
    const d = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((x) => [x.split(' ')[0], x.split(' ').slice(1)]));
    expect(d['default-src']).toEqual(["'none'"]);
    expect(d['script-src']).toEqual(["'self'"]);
    expect(d['connect-src']).toEqual(["'self'"]);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|ws:|\*/);
  });

  it('window, navigation and request rules', () => {
    expect(webPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, nodeIntegration: false, sandbox: true, webSecurity: true, webviewTag: false });
    expect(isAppUrl('latent-sky://app/index.html')).toBe(true);
    for (const u of ['latent-sky://cutout/1.png', 'https://app/', 'file:///index.html', 'not a url']) expect(isAppUrl(u), u).toBe(false);
    expect(isAllowedRequest('latent-sky://app/assets/x.js')).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AA')).toBe(true);
    for (const u of ['https://legacysurvey.org/x.png', 'http://127.0.0.1:8080/', 'ws://127.0.0.1:1/ws', 'file:///etc/passwd'])
      expect(isAllowedRequest(u), u).toBe(false);
    expect(isExternalLink('https://www.legacysurvey.org/viewer?ra=1&dec=2')).toBe(true);
    expect(isExternalLink('file:///etc/passwd')).toBe(false);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
  });
});

describe('menu', () => {
  it('lists recent workspaces and gates SAMP actions on the hub', () => {
    const calls: string[] = [];
    const actions = {
      openWorkspace: () => calls.push('open'),
      openRecent: (p: string) => calls.push(`recent:${p}`),
      newDemo: () => calls.push('demo'),
      sampConnect: () => calls.push('connect'),
      sampDisconnect: () => calls.push('disconnect'),
      sampSendWorkspace: () => calls.push('send'),
    };
    const recent = [{ path: '/data/ws1', name: 'ws1', openedAt: '2026-01-01' }];
    const t = menuTemplate({ recent, sampLine: 'SAMP: no hub', sampConnected: false, workspaceOpen: true, isMac: false }, actions);
    const file = t.find((m) => m.label === 'File')!.submenu as any[];
    expect(file.map((i) => i.label ?? i.role ?? i.type)).toEqual(['Open Workspace…', 'New Workspace from Demo…', 'Recent Workspaces', 'separator', 'quit']);
    (file[2].submenu[0].click as () => void)();
    expect(calls).toEqual(['recent:/data/ws1']);
    const samp = t.find((m) => m.label === 'SAMP')!.submenu as any[];
    expect(samp.filter((i) => i.click).map((i) => [i.label, i.enabled])).toEqual([
      ['Connect to Hub', true],
      ['Disconnect', false],
      ['Send Workspace Catalogue to VO Tools', false],
    ]);
    const empty = menuTemplate({ recent: [], sampLine: '', sampConnected: true, workspaceOpen: true, isMac: true }, actions);
    expect(empty[0]).toEqual({ role: 'appMenu' });
    expect((empty.find((m) => m.label === 'File')!.submenu as any[])[2].submenu[0]).toEqual({ label: 'No recent workspaces', enabled: false });
  });
});
