/**
 * The preload: window.latentSky is a LatentSkyBridge (app/contracts/bridge.ts)
 * and nothing more — invoke(channel, input) → Reply, onEvent(listener) →
 * unsubscribe. Channel and input are checked in the main process
 * (main/electron/ipc.ts); the renderer wraps this with createApiClient.
 * Only electron and type-only app/contracts imports are allowed here, so the
 * two IPC channel names are repeated (tests/electron checks they match
 * INVOKE_CHANNEL / EVENT_CHANNEL).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EngineEvent, LatentSkyBridge } from '../../app/contracts';

const INVOKE = 'latent-sky:invoke';
const EVENTS = 'latent-sky:event';

const bridge: LatentSkyBridge = {
  invoke: (channel, input) => ipcRenderer.invoke(INVOKE, channel, input),
  onEvent(listener) {
    const handler = (_e: IpcRendererEvent, event: EngineEvent) => listener(event);
    ipcRenderer.on(EVENTS, handler);
    return () => {
      ipcRenderer.removeListener(EVENTS, handler);
    };
  },
};

contextBridge.exposeInMainWorld('latentSky', bridge);
