/**
 * The renderer's one door to the engine: window.latentSky (Electron preload)
 * when present, else the dev host's WebSocket (token from the page URL).
 */
import { AppError } from '@app/core/errors';
import { createApiClient, type EventSource, type LatentSkyApi, type LatentSkyBridge } from '@app/contracts';
import { connectWebSocketBridge, type ConnectionState } from './ws-bridge';

declare global {
  interface Window {
    latentSky?: LatentSkyBridge;
    /** the desktop shell's few OS actions (main/preload); absent in a browser */
    latentSkyShell?: { showItemInFolder(path: string): Promise<void> };
  }
}

export type Api = LatentSkyApi & EventSource;

/** `onState` hears the browser bridge's connection state ('connected' again after the host comes back) */
export async function connectApi(onState?: (s: ConnectionState) => void): Promise<Api> {
  if (window.latentSky) return createApiClient(window.latentSky);
  const token = new URLSearchParams(location.search).get('token');
  if (!token) throw new AppError('BAD_INPUT', 'no engine: open the URL printed by `latent-sky serve` (it carries the access token)');
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const bridge = await connectWebSocketBridge(`${proto}://${location.host}/ws?token=${encodeURIComponent(token)}`);
  if (onState) bridge.onState(onState);
  return createApiClient(bridge);
}
