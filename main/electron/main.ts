/**
 * The Electron main process, kept thin: one sandboxed window on
 * latent-sky://app/, the app protocol and the menu. The engine runs in its
 * own process (host-process.ts forks out/main/engine-host.js, a
 * utilityProcess); the renderer talks to it over a MessagePort that the
 * preload receives here, and this process asks it only what the menu and the
 * protocol need (the control channel, main/node/host/control.ts).
 *
 *   electron out/main/index.js [--workspace DIR] [--demo]
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineHostProcess, HELLO_CHANNEL } from './host-process';
import { menuTemplate } from './menu';
import { createProtocolHandler } from './protocol';
import { registerShowInFolder } from './show-in-folder';
import { APP_URL, isAllowedRequest, isAppUrl, isExternalLink, SCHEME, webPreferences } from './security';

const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let host: EngineHostProcess | null = null;
let win: BrowserWindow | null = null;

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === name || a.startsWith(name + '='));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(name.length + 1) : argv[i + 1];
}

/**
 * The CommonJS preload (the sandbox needs it). Fails closed: without it the
 * window is not opened at all (an ESM preload would only run unsandboxed).
 */
function preloadPath(): string | null {
  const cjs = join(appRoot, 'out', 'preload', 'index.cjs');
  return existsSync(cjs) ? cjs : null;
}

function fail(title: string, e: unknown): void {
  const err = e as { code?: string; message?: string };
  dialog.showErrorBox(title, `${err.code ? err.code + ': ' : ''}${err.message ?? String(e)}`);
}

async function refreshMenu(): Promise<void> {
  if (!host) return;
  const h = host;
  const m = await h.call('menu').catch(() => null);
  if (!m) return;
  const log = (line: string) => console.log(`latent-sky: ${line}`);
  const menu = menuTemplate(
    { ...m, isMac: process.platform === 'darwin' },
    {
      // a folder chosen in the native dialog: the host's path guard allows it, then opens it
      openWorkspace: () =>
        void chooseFolder('Open Workspace', false)
          .then(async (p) => {
            if (p) log(await h.call('openChosen', p));
          })
          .catch((e) => fail('Cannot open the workspace', e)),
      openRecent: (path) => void h.call('openRecent', path).catch((e) => fail('Cannot open the workspace', e)),
      newDemo: () =>
        void chooseFolder('Folder for the Demo Workspace', true)
          .then(async (p) => {
            if (p) log(await h.call('newDemoIn', p));
          })
          .catch((e) => fail('Cannot create the demo', e)),
      sampConnect: () =>
        void h.call('sampConnect').then(async (line) => {
          if (line) await dialog.showMessageBox({ message: line });
        }),
      sampDisconnect: () => void h.call('sampDisconnect'),
      sampSendWorkspace: () => void h.call('sampSendWorkspace').catch((e) => fail('SAMP send failed', e)),
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
}

async function chooseFolder(title: string, create: boolean): Promise<string | null> {
  const r = await dialog.showOpenDialog(win!, { title, properties: create ? ['openDirectory', 'createDirectory'] : ['openDirectory'] });
  return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
}

function createWindow(preload: string): BrowserWindow {
  const w = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Latent Sky',
    backgroundColor: '#0b0e14',
    webPreferences: webPreferences(preload, { devTools: !app.isPackaged }),
  });
  w.once('ready-to-show', () => w.show());
  const contents = w.webContents;
  contents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  contents.on('will-redirect', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void w.loadURL(APP_URL);
  w.on('closed', () => (win = null));
  return w;
}

async function start(): Promise<void> {
  const preload = preloadPath();
  if (!preload) {
    fail(
      'Latent Sky could not start',
      new Error('out/preload/index.cjs is missing: the window would run without the sandbox, so it is not opened. Rebuild the app (npm run build).'),
    );
    app.exit(1);
    return;
  }
  if (app.isPackaged && !process.env.LATENT_SKY_MODELS_DIR) process.env.LATENT_SKY_MODELS_DIR = join(process.resourcesPath, 'native-models');
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));

  // the engine host: bundled next to this file (out/main/engine-host.js); models next to the app in development
  if (!process.env.LATENT_SKY_MODELS_DIR) process.env.LATENT_SKY_MODELS_DIR = join(appRoot, 'native-models');
  const h = (host = new EngineHostProcess(join(dirname(fileURLToPath(import.meta.url)), 'engine-host.js'), app.getPath('userData'), {
    onEvent: () => void refreshMenu(),
    onRestart: () => {
      if (win && !win.isDestroyed()) void h.connect(win.webContents);
      void h.call('openInitial', {}).then(
        () => refreshMenu(),
        (e) => fail('Cannot open the workspace', e),
      );
    },
    onGiveUp: (reason) => {
      fail('The Latent Sky engine stopped', new Error(`${reason}. Restart the app to continue.`));
    },
  }));
  await h.start();
  const handleProtocol = createProtocolHandler({ rendererDir: join(appRoot, 'out', 'renderer') });
  protocol.handle(SCHEME, handleProtocol);
  // the preload asks for its port once per page load; only the app's own page gets one
  ipcMain.on(HELLO_CHANNEL, (event) => {
    if (isAppUrl(event.senderFrame?.url ?? '')) void h.connect(event.sender);
  });
  registerShowInFolder();

  win = createWindow(preload);
  try {
    console.log(`latent-sky: ${await h.call('openInitial', { workspace: argValue(process.argv, '--workspace'), demo: process.argv.includes('--demo') })}`);
  } catch (e) {
    fail('Cannot open the workspace', e);
  }
  await h.call('sampConnect').catch(() => undefined);
  await refreshMenu();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_e, argv) => {
    const ws = argValue(argv, '--workspace');
    if (ws && host) void host.call('openChosen', resolve(ws)).catch((e) => fail('Cannot open the workspace', e));
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (e) => {
    if (!host) return;
    e.preventDefault();
    const h = host;
    host = null;
    void h.stop().finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((e) => {
      fail('Latent Sky could not start', e);
      app.exit(1);
    });
}
