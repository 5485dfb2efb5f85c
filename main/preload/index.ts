/**
 * The preload: window.latentSky is a LatentSkyBridge (app/contracts/bridge.ts)
 * and nothing more — invoke(channel, input) → Reply, onEvent(listener) →
 * unsubscribe. It asks the main process for a PagePort on HELLO and gets
 * it on PORT (main/electron/host-process.ts; only the app's own page gets
 * one); the port leads straight to the engine host, which validates channel
 * and input (main/node/host/serve.ts). Typed arrays arrive as typed arrays.
 * When the engine restarts a new port arrives and requests still waiting
 * on the old one are answered UNAVAILABLE. Only electron and type-only
 * app/contracts imports are allowed here, so the channel names are repeated
 * (tests/electron checks they match).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EngineEvent, LatentSkyBridge, Reply } from '@app/contracts';

const HELLO = 'latent-sky:hello';
const SHOW_IN_FOLDER = 'latent-sky:show-in-folder';
const PORT = 'latent-sky:port';

/** the page's end of the channel (a DOM MessagePort) */
type PagePort = IpcRendererEvent['ports'][number];

let port: PagePort | null = null;
let next = 1;
const waiting = new Map<number, (r: Reply<unknown>) => void>();
const queued: unknown[] = [];
const listeners = new Set<(e: EngineEvent) => void>();

function attach(p: PagePort): void {
  port?.close();
  for (const answer of waiting.values()) answer({ ok: false, error: { code: 'UNAVAILABLE', message: 'the engine restarted before it answered' } });
  waiting.clear();
  port = p;
  p.onmessage = (e: { data: unknown }) => {
    const m = e.data as { t?: string; id?: number; reply?: Reply<unknown>; event?: EngineEvent };
    if (m?.t === 'res' && typeof m.id === 'number') {
      waiting.get(m.id)?.(m.reply!);
      waiting.delete(m.id);
    } else if (m?.t === 'evt' && m.event) for (const l of listeners) l(m.event);
  };
  p.start();
  for (const q of queued.splice(0)) p.postMessage(q);
}

ipcRenderer.on(PORT, (e) => {
  if (e.ports[0]) attach(e.ports[0]);
});
ipcRenderer.send(HELLO);

const bridge: LatentSkyBridge = {
  invoke: (channel, input) =>
    new Promise((answer) => {
      const id = next++;
      waiting.set(id, answer as (r: Reply<unknown>) => void);
      const msg = { t: 'req', id, channel, input };
      if (port) port.postMessage(msg);
      else queued.push(msg);
    }) as never,
  onEvent(listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld('latentSky', bridge);
// the shell's one OS action for the page: reveal an exported file (main/electron/show-in-folder.ts)
contextBridge.exposeInMainWorld('latentSkyShell', {
  showItemInFolder: (path: string): Promise<void> => ipcRenderer.invoke(SHOW_IN_FOLDER, path),
});
