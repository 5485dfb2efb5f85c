/**
 * The desktop shell's hardening, without the Electron binary: the fuses in
 * electron-builder.yml as electron-builder itself loads them, the app
 * protocol refusing symlinks out of its folder and dotfiles, the
 * openExternal allowlist, DevTools off unless asked, and the window never
 * opened without the sandbox.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProtocolHandler } from '@main/electron/protocol';
import { isExternalLink, webPreferences } from '@main/electron/security';

const root = resolve(__dirname, '../..');
const require = createRequire(join(root, 'node_modules', 'electron-builder', 'package.json'));

describe('electron-builder fuses', () => {
  it('turns off Node entry points, loads the app from the asar only, encrypts cookies', async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
    const { DebugLogger } = require('builder-util/out/DebugLogger');
    const config = await getConfig(root, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });
});

describe('app protocol: symlinks and dotfiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-proto-links-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  mkdirSync(join(renderer, '.git'), { recursive: true });
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>ok</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'ok()');
  writeFileSync(join(renderer, '.env'), 'SECRET=1');
  writeFileSync(join(renderer, '.git', 'config'), 'SECRET');
  writeFileSync(join(dir, 'outside', 'secret.txt'), 'SECRET');
  symlinkSync(join(dir, 'outside', 'secret.txt'), join(renderer, 'assets', 'link.js'));
  symlinkSync(join(dir, 'outside'), join(renderer, 'linked-folder'));
  symlinkSync(join(renderer, 'assets', 'app.js'), join(renderer, 'assets', 'inner.js'));
  const handle = createProtocolHandler({ rendererDir: renderer });
  const get = async (path: string) => {
    const r = await handle(new Request(`latent-sky://app${path}`));
    return { status: r.status, body: await r.text() };
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the renderer and a symlink that stays inside it', async () => {
    expect((await get('/assets/app.js')).body).toBe('ok()');
    expect((await get('/assets/inner.js')).body).toBe('ok()');
  });

  it('refuses symlinks that lead out and every dotfile or dot-folder', async () => {
    for (const p of ['/assets/link.js', '/linked-folder/secret.txt', '/.env', '/.git/config', '/assets/%2eenv', '/%2egit/config']) {
      const r = await get(p);
      expect(r.status, p).toBeGreaterThanOrEqual(400);
      expect(r.body, p).not.toContain('SECRET');
    }
  });
});

describe('shell policy', () => {
  it('opens only https links to the viewers we link to', () => {
    for (const u of [
      'https://www.legacysurvey.org/viewer?ra=150.1&dec=2.2&layer=ls-dr10&zoom=15',
      'https://simbad.cds.unistra.fr/simbad/sim-coo?Coord=150.1+2.2',
      'https://simbad.u-strasbg.fr/simbad/sim-id?Ident=M31',
      'https://ned.ipac.caltech.edu/conesearch?ra=150.1&dec=2.2',
      'https://aladin.cds.unistra.fr/AladinLite/?target=150.1+2.2',
    ])
      expect(isExternalLink(u), u).toBe(true);
    for (const u of [
      'http://www.legacysurvey.org/viewer',
      'https://evil.example/',
      'https://www.legacysurvey.org.evil.example/',
      'https://user:pw@www.legacysurvey.org/',
      'https://www.legacysurvey.org:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://simbad.cds.unistra.fr/x',
      'https://ned.ipac.caltech.edu.evil.example/',
      'not a url',
    ])
      expect(isExternalLink(u), u).toBe(false);
  });

  it('DevTools only when asked (development builds); sandbox always', () => {
    expect(webPreferences('/p.cjs')).toMatchObject({ devTools: false, sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(webPreferences('/p.cjs', { devTools: true })).toMatchObject({ devTools: true, sandbox: true });
  });

  it('main.ts never opens the window unsandboxed: no ESM-preload fallback, no sandbox override, DevTools tied to app.isPackaged', () => {
    const src = readFileSync(join(root, 'main', 'electron', 'main.ts'), 'utf8');
    expect(src).not.toMatch(/sandbox\s*:/);
    expect(src).not.toContain('index.mjs');
    expect(src).toMatch(/if \(!preload\) \{[^}]*app\.exit\(1\)/);
    expect(src).toContain('devTools: !app.isPackaged');
  });
});
