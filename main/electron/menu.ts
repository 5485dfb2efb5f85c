/**
 * The application menu as a template (plain data, rebuilt whenever the
 * recent list or the SAMP status changes). Actions are callbacks so the
 * template can be checked without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { RecentWorkspace } from '@app/contracts';

export interface MenuState {
  recent: RecentWorkspace[];
  /** one line, e.g. 'SAMP: connected (c3)' */
  sampLine: string;
  sampConnected: boolean;
  workspaceOpen: boolean;
  isMac: boolean;
}

export interface MenuActions {
  openWorkspace(): void;
  openRecent(path: string): void;
  newDemo(): void;
  sampConnect(): void;
  sampDisconnect(): void;
  sampSendWorkspace(): void;
}

export function menuTemplate(s: MenuState, a: MenuActions): MenuItemConstructorOptions[] {
  const recent: MenuItemConstructorOptions[] = s.recent.length
    ? s.recent.map((r) => ({ label: `${r.name} — ${r.path}`, click: () => a.openRecent(r.path) }))
    : [{ label: 'No recent workspaces', enabled: false }];
  return [
    ...(s.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => a.openWorkspace() },
        { label: 'New Workspace from Demo…', click: () => a.newDemo() },
        { label: 'Recent Workspaces', submenu: recent },
        { type: 'separator' },
        s.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'SAMP',
      submenu: [
        { label: s.sampLine, enabled: false },
        { type: 'separator' },
        { label: 'Connect to Hub', enabled: !s.sampConnected, click: () => a.sampConnect() },
        { label: 'Disconnect', enabled: s.sampConnected, click: () => a.sampDisconnect() },
        { label: 'Send Workspace Catalogue to VO Tools', enabled: s.sampConnected && s.workspaceOpen, click: () => a.sampSendWorkspace() },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
}
