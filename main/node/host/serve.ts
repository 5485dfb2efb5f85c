/**
 * The contract over one client port (a renderer window, a test): requests
 * go through the one dispatcher (createDispatcher: channel check, input
 * validation, errors as data), replies and engine events go back as
 * structured clones with typed arrays transferred.
 *
 *   client → host  { t: 'req', id, channel, input }
 *   host → client  { t: 'res', id, reply }   { t: 'evt', event }
 *
 * A message that is not a request is answered with a BAD_INPUT reply (id -1
 * when it has none) and the port stays open.
 */
import { createDispatcher, type EventSource, type LatentSkyApi, type Reply, type ValidationContext, type WireMessage } from '@app/contracts';
import { AppError, toErrorData } from '@app/core/errors';
import { withTransferables, type HostPort } from './port';

export type { WireMessage as HostMessage };

export interface ServeOptions {
  engine: LatentSkyApi & EventSource;
  context: () => ValidationContext;
}

function post(port: HostPort, message: WireMessage): void {
  const { value, transfer } = withTransferables(message, port.transfersBuffers);
  try {
    port.post(value, transfer);
  } catch (e) {
    // a value the structured clone refuses (a function, a class instance with private state): say so instead
    if (message.t !== 'res') return;
    port.post({
      t: 'res',
      id: message.id,
      reply: { ok: false, error: toErrorData(new AppError('INTERNAL', `the reply could not be sent: ${(e as Error).message}`)) },
    });
  }
}

/** Serves the contract on `port`; returns the function that stops serving (and closes the port). */
export function serveClient(port: HostPort, opts: ServeOptions): () => void {
  const dispatch = createDispatcher(opts.engine, opts.context);
  let open = true;
  const off = opts.engine.onEvent((event) => {
    if (open) post(port, { t: 'evt', event });
  });
  const stop = () => {
    if (!open) return;
    open = false;
    off();
    port.close();
  };
  port.onClose(stop);
  port.onMessage((data) => {
    const msg = data as Partial<Extract<WireMessage, { t: 'req' }>> | null;
    const id = msg && typeof msg === 'object' && typeof msg.id === 'number' && Number.isSafeInteger(msg.id) ? msg.id : -1;
    if (!msg || typeof msg !== 'object' || msg.t !== 'req' || id < 0) {
      const reply: Reply<unknown> = {
        ok: false,
        error: toErrorData(new AppError('BAD_INPUT', 'engine host: not a request ({ t: "req", id, channel, input })')),
      };
      post(port, { t: 'res', id, reply });
      return;
    }
    void dispatch(msg.channel, msg.input).then((reply) => {
      if (open) post(port, { t: 'res', id, reply });
    });
  });
  return stop;
}
