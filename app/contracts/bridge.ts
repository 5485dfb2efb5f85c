/**
 * How the contract crosses a process boundary.
 *
 *   renderer                         preload / dev host                 engine
 *   createApiClient(bridge) ──invoke(channel, input)──▶ Dispatcher ──▶ LatentSkyApi
 *                          ◀──────── Reply (value | ErrorData) ────────
 *                          ◀──────── onEvent(EngineEvent) ─────────────
 *
 * `window.latentSky` (Electron preload, via contextBridge) and the dev host's
 * WebSocket client are both a LatentSkyBridge; the renderer wraps either with
 * createApiClient and cannot tell them apart. Errors travel as ErrorData
 * inside a Reply and are re-thrown as AppError on the client.
 */
import { AppError, fromErrorData, toErrorData, type ErrorData } from '../core/errors';
import { CHANNELS, isChannel, splitChannel, type Channel, type InputOf, type OutputOf } from './channels';
import { SCHEMAS } from './schemas';
import type { LatentSkyApi } from './services';
import type { EngineEvent } from './types';
import type { ValidationContext } from './validate';

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export interface LatentSkyBridge {
  invoke<C extends Channel>(channel: C, input: InputOf<C>): Promise<Reply<OutputOf<C>>>;
  /** returns the unsubscribe function */
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

export type EventSource = Pick<LatentSkyBridge, 'onEvent'>;

/** The typed service object over any bridge. */
export function createApiClient(bridge: LatentSkyBridge): LatentSkyApi & EventSource {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const [service, method] = splitChannel(channel);
    api[service] ??= {};
    api[service][method] = async (input?: unknown) => {
      const reply = await bridge.invoke(channel, (input ?? {}) as never);
      if (!reply.ok) throw fromErrorData(reply.error);
      return reply.value;
    };
  }
  return Object.assign(api as unknown as LatentSkyApi, { onEvent: (l: (e: EngineEvent) => void) => bridge.onEvent(l) });
}

/**
 * The engine side: checks the channel name and validates the input against
 * SCHEMAS before calling the service; never throws (the error is in the Reply).
 */
export function createDispatcher(api: LatentSkyApi, context: () => ValidationContext) {
  return async function dispatch(channel: unknown, input: unknown): Promise<Reply<unknown>> {
    try {
      if (!isChannel(channel)) throw new AppError('BAD_INPUT', `unknown channel '${String(channel).slice(0, 80)}'`);
      const valid = SCHEMAS[channel](input, context(), channel);
      const [service, method] = splitChannel(channel);
      const fn = (api[service] as unknown as Record<string, (i: unknown) => Promise<unknown>>)[method];
      return { ok: true, value: await fn.call(api[service], valid) };
    } catch (e) {
      return { ok: false, error: toErrorData(e) };
    }
  };
}
