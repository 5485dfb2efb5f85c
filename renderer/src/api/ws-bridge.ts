/**
 * The dev host's side of the bridge: the same LatentSkyBridge as Electron's
 * window.latentSky, over a loopback WebSocket with binary frames. When the
 * socket closes, pending calls fail with UNAVAILABLE, new calls fail at once
 * (nothing is queued behind the user's back), the state goes 'disconnected'
 * and the bridge keeps retrying the same URL; once the host answers again
 * (restarted with the same --port and --token) the state goes back to
 * 'connected' and event listeners carry on.
 */
import { AppError, toErrorData } from '@app/core/errors';
import { decodeFrame, encodeFrame, type EngineEvent, type LatentSkyBridge, type Reply, type WireMessage } from '@app/contracts';

export type ConnectionState = 'connected' | 'disconnected';

export interface WebSocketBridge extends LatentSkyBridge {
  close(): void;
  readonly state: ConnectionState;
  /** called on every change of state; 'connected' after a reconnect means the engine may have restarted */
  onState(listener: (s: ConnectionState) => void): () => void;
}

const RETRY_MS = [250, 500, 1000, 2000];

export function connectWebSocketBridge(url: string): Promise<WebSocketBridge> {
  const pending = new Map<number, (r: Reply<unknown>) => void>();
  const listeners = new Set<(e: EngineEvent) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  let nextId = 1;
  let ws: WebSocket | null = null;
  let state: ConnectionState = 'disconnected';
  let stopped = false;
  let attempt = 0;
  const down = () => new AppError('UNAVAILABLE', 'not connected to the Latent Sky engine: nothing was saved (reconnecting…)');

  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    for (const l of stateListeners) l(s);
  };

  const open = (first: (ok: boolean) => void) => {
    const sock = new WebSocket(url);
    sock.binaryType = 'arraybuffer';
    let opened = false;
    sock.onopen = () => {
      opened = true;
      attempt = 0;
      ws = sock;
      setState('connected');
      first(true);
    };
    sock.onmessage = (ev) => {
      const msg = decodeFrame(ev.data as ArrayBuffer) as WireMessage;
      if (msg.t === 'res') {
        pending.get(msg.id)?.(msg.reply);
        pending.delete(msg.id);
      } else if (msg.t === 'evt') {
        for (const l of listeners) l(msg.event);
      }
    };
    sock.onclose = () => {
      if (ws === sock) ws = null;
      const err = toErrorData(down());
      for (const resolve of pending.values()) resolve({ ok: false, error: err });
      pending.clear();
      if (!opened) first(false);
      setState('disconnected');
      if (stopped) return;
      const wait = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)];
      setTimeout(() => open(() => undefined), wait);
    };
  };

  const bridge: WebSocketBridge = {
    invoke(channel, input) {
      const sock = ws;
      if (!sock || sock.readyState !== WebSocket.OPEN) return Promise.resolve({ ok: false, error: toErrorData(down()) });
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Reply<unknown>) => void);
        sock.send(encodeFrame({ t: 'req', id, channel, input } satisfies WireMessage));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get state() {
      return state;
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close: () => {
      stopped = true;
      ws?.close();
    },
  };
  return new Promise((resolve, reject) => {
    open((ok) => {
      if (ok) resolve(bridge);
      else {
        stopped = true;
        reject(new AppError('UNAVAILABLE', `cannot connect to the Latent Sky engine at ${url.replace(/token=[\w-]+/, 'token=…')}`));
      }
    });
  });
}
