/** A LatentSkyBridge over the dev host's WebSocket for Node tests (the renderer's twin, on the `ws` package). */
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, type EngineEvent, type LatentSkyBridge, type Reply, type WireMessage } from '@app/contracts';

export function connectNodeBridge(url: string, headers: Record<string, string> = {}): Promise<LatentSkyBridge & { close(): void }> {
  const ws = new WebSocket(url, { headers });
  const pending = new Map<number, (r: Reply<unknown>) => void>();
  const listeners = new Set<(e: EngineEvent) => void>();
  let next = 1;
  ws.on('message', (data: Buffer) => {
    const msg = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as WireMessage;
    if (msg.t === 'res') pending.get(msg.id)?.(msg.reply);
    else if (msg.t === 'evt') for (const l of listeners) l(msg.event);
  });
  const bridge: LatentSkyBridge & { close(): void } = {
    invoke: (channel, input) =>
      new Promise((ok) => {
        const id = next++;
        pending.set(id, ok as (r: Reply<unknown>) => void);
        ws.send(encodeFrame({ t: 'req', id, channel, input } satisfies WireMessage));
      }),
    onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
    close: () => ws.close(),
  };
  return new Promise((ok, fail) => {
    ws.once('open', () => ok(bridge));
    ws.once('error', fail);
    ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
  });
}
