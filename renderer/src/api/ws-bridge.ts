/**
 * The dev host's side of the bridge: the same LatentSkyBridge as Electron's
 * window.latentSky, over a loopback WebSocket with binary frames.
 */
import { AppError, toErrorData } from '../../../app/core/errors';
import { decodeFrame, encodeFrame, type EngineEvent, type LatentSkyBridge, type Reply, type WireMessage } from '../../../app/contracts';

export function connectWebSocketBridge(url: string): Promise<LatentSkyBridge & { close(): void }> {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const pending = new Map<number, (r: Reply<unknown>) => void>();
  const listeners = new Set<(e: EngineEvent) => void>();
  let nextId = 1;
  let closed: AppError | null = null;

  ws.onmessage = (ev) => {
    const msg = decodeFrame(ev.data as ArrayBuffer) as WireMessage;
    if (msg.t === 'res') {
      pending.get(msg.id)?.(msg.reply);
      pending.delete(msg.id);
    } else if (msg.t === 'evt') {
      for (const l of listeners) l(msg.event);
    }
  };
  ws.onclose = () => {
    closed = new AppError('IO', 'the connection to the Latent Sky engine closed: restart `latent-sky serve` and reload');
    for (const resolve of pending.values()) resolve({ ok: false, error: toErrorData(closed) });
    pending.clear();
  };

  const bridge: LatentSkyBridge & { close(): void } = {
    invoke(channel, input) {
      if (closed) return Promise.resolve({ ok: false, error: toErrorData(closed) });
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Reply<unknown>) => void);
        ws.send(encodeFrame({ t: 'req', id, channel, input } satisfies WireMessage));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(bridge);
    ws.onerror = () => reject(new AppError('IO', `cannot connect to the Latent Sky engine at ${url.replace(/token=\w+/, 'token=…')}`));
  });
}
