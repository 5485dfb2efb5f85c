/**
 * IPC registration as a pure function over the engine: one ipcMain handler
 * (INVOKE_CHANNEL) that checks the sender frame, validates the channel and
 * input with app/contracts (createDispatcher → SCHEMAS) and answers with a
 * Reply (value, or ErrorData: errors cross as data); engine events are pushed
 * to the window on EVENT_CHANNEL. No electron import: tests pass a fake
 * ipcMain and the real engine.
 */
import { AppError, toErrorData } from '../../app/core/errors';
import { createDispatcher, EVENT_CHANNEL, INVOKE_CHANNEL, type EventSource, type LatentSkyApi, type Reply, type ValidationContext } from '../../app/contracts';
import { isAppUrl } from './security';

/** the part of Electron's IpcMainInvokeEvent we use */
export interface InvokeEventLike {
  senderFrame?: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Registers the contract on `ipc`; returns the unregister function. */
export function registerIpc(ipc: IpcMainLike, engine: LatentSkyApi, context: () => ValidationContext, trusted: (url: string) => boolean = isAppUrl): () => void {
  const dispatch = createDispatcher(engine, context);
  ipc.handle(INVOKE_CHANNEL, async (event, channel, input): Promise<Reply<unknown>> => {
    const url = event.senderFrame?.url ?? '';
    if (!trusted(url)) return { ok: false, error: toErrorData(new AppError('BAD_INPUT', `IPC request from an untrusted page '${url.slice(0, 120)}' refused`)) };
    return dispatch(channel, input);
  });
  return () => ipc.removeHandler(INVOKE_CHANNEL);
}

/** Pushes every engine event to `send` (webContents.send bound to the window); returns the unsubscribe function. */
export function forwardEvents(engine: EventSource, send: (channel: string, payload: unknown) => void): () => void {
  return engine.onEvent((event) => send(EVENT_CHANNEL, event));
}
