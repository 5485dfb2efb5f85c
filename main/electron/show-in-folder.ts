/**
 * The one OS action the renderer may ask of the shell besides the engine
 * port: reveal an exported file in the system file manager
 * (shell.showItemInFolder). Only the app's own page may ask, only for an
 * absolute path to an existing regular file; anything else is refused.
 */
import { ipcMain, shell } from 'electron';
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { isAppUrl } from './security';

/** repeated in main/preload (it may import only electron) */
export const SHOW_IN_FOLDER_CHANNEL = 'latent-sky:show-in-folder';

export function registerShowInFolder(): void {
  ipcMain.handle(SHOW_IN_FOLDER_CHANNEL, (event, path: unknown) => {
    if (!isAppUrl(event.senderFrame?.url ?? '')) throw new Error('show in folder: not the app page');
    if (typeof path !== 'string' || path.length > 4096 || !isAbsolute(path)) throw new Error('show in folder: not an absolute path');
    let file = false;
    try {
      file = statSync(path).isFile();
    } catch {
      // missing: refused below
    }
    if (!file) throw new Error(`show in folder: ${path} is not a file`);
    shell.showItemInFolder(path);
  });
}
