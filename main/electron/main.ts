/**
 * The Electron main process, kept thin: one sandboxed window on
 * latent-sky://app/, the app protocol, IPC and the menu. Everything else (the
 * engine, IPC dispatch, protocol handler, SAMP) is ShellRuntime, loaded from
 * the sources (load-runtime.ts) and tested in plain Node (tests/electron).
 *
 *   electron out/main/main.js [--workspace DIR] [--demo]
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRuntime } from './load-runtime';
import { menuTemplate } from './menu';
import type { ShellRuntime } from './runtime';
import { APP_URL, isAllowedRequest, isAppUrl, isExternalLink, SCHEME, webPreferences } from './security';

const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let runtime: ShellRuntime | null = null;
let win: BrowserWindow | null = null;
let lastSampObject = '';

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
  if (!runtime) return;
  const s = runtime.samp.status;
  const sampLine = s.state === 'connected' ? `SAMP: connected as ${s.selfId}${lastSampObject}` : `SAMP: ${s.state === 'no-hub' ? 'no hub' : 'disconnected'} (${s.reason})`;
  const rt = runtime;
  const menu = menuTemplate(
    { recent: await rt.recent(), sampLine, sampConnected: s.state === 'connected', workspaceOpen: rt.engine.ctx.open !== null, isMac: process.platform === 'darwin' },
    {
      openWorkspace: () => void chooseFolder('Open Workspace', false).then(async (p) => {
        if (p) await rt.engine.workspace.open({ path: p });
      }).catch((e) => fail('Cannot open the workspace', e)),
      openRecent: (path) => void rt.engine.workspace.open({ path }).catch((e) => fail('Cannot open the workspace', e)),
      newDemo: () => void chooseFolder('Folder for the Demo Workspace', true).then(async (p) => {
        if (p) console.log(`latent-sky: ${await rt.openOrCreateDemo(readdirSync(p).length ? join(p, 'latent-sky-demo') : p)}`);
      }).catch((e) => fail('Cannot create the demo', e)),
      sampConnect: () => void rt.samp.client.connect().then(async (st) => {
        if (st.state !== 'connected') await dialog.showMessageBox({ message: `SAMP: ${st.reason}` });
      }),
      sampDisconnect: () => void rt.samp.client.disconnect(),
      sampSendWorkspace: () => void rt.samp.sendWorkspace().catch((e) => fail('SAMP send failed', e)),
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
    width: 1440, height: 900, minWidth: 900, minHeight: 600, show: false, title: 'Latent Sky', backgroundColor: '#0b0e14',
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
    fail('Latent Sky could not start', new Error('out/preload/index.cjs is missing: the window would run without the sandbox, so it is not opened. Rebuild the app (npm run build).'));
    app.exit(1);
    return;
  }
  if (app.isPackaged && !process.env.LATENT_SKY_MODELS_DIR) process.env.LATENT_SKY_MODELS_DIR = join(process.resourcesPath, 'native-models');
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));

  const rt = (runtime = await loadRuntime(appRoot, { userData: app.getPath('userData'), rendererDir: join(appRoot, 'out', 'renderer') }));
  protocol.handle(SCHEME, rt.handleProtocol);
  rt.registerIpc(ipcMain);
  rt.forwardEvents((channel, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send(channel, payload);
  });
  rt.engine.onEvent((e) => {
    if (e.type === 'workspace') void refreshMenu();
  });
  rt.samp.client.onEvent((e) => {
    if (e.type === 'status') void refreshMenu();
  });
  rt.samp.onObject((e) => {
    lastSampObject = ` — last pointer: object ${e.idx} (${e.via} from ${e.sender})`;
    void refreshMenu();
  });

  win = createWindow(preload);
  try {
    console.log(`latent-sky: ${await rt.openInitial({ workspace: argValue(process.argv, '--workspace'), demo: process.argv.includes('--demo') })}`);
  } catch (e) {
    fail('Cannot open the workspace', e);
  }
  await rt.samp.client.connect();
  await refreshMenu();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_e, argv) => {
    const ws = argValue(argv, '--workspace');
    if (ws && runtime) void runtime.engine.workspace.open({ path: resolve(ws) }).catch((e) => fail('Cannot open the workspace', e));
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (e) => {
    if (!runtime) return;
    e.preventDefault();
    const rt = runtime;
    runtime = null;
    void rt.close().finally(() => app.quit());
  });
  app.whenReady().then(start).catch((e) => {
    fail('Latent Sky could not start', e);
    app.exit(1);
  });
}
