/**
 * Channel names ('service.method') and the types they carry, derived from
 * the service interfaces so that the two cannot drift apart.
 */
import type { LatentSkyApi } from './services';
import { SCHEMAS } from './schemas';

export type ServiceName = keyof LatentSkyApi;
export type Channel = { [S in ServiceName]: `${S}.${keyof LatentSkyApi[S] & string}` }[ServiceName];

type Method<C extends Channel> = C extends `${infer S extends ServiceName}.${infer M}`
  ? M extends keyof LatentSkyApi[S]
    ? LatentSkyApi[S][M] extends (input: infer I) => Promise<infer O>
      ? { input: I; output: O }
      : never
    : never
  : never;

export type InputOf<C extends Channel> = Method<C>['input'];
export type OutputOf<C extends Channel> = Method<C>['output'];

/** every channel, sorted: the IPC surface (snapshotted by tests/contracts) */
export const CHANNELS: readonly Channel[] = (Object.keys(SCHEMAS) as Channel[]).sort();

/** the event channel (engine → renderer), separate from request channels */
export const EVENT_CHANNEL = 'latent-sky:event';
/** the request channel over Electron IPC (ipcRenderer.invoke(INVOKE_CHANNEL, channel, input)) */
export const INVOKE_CHANNEL = 'latent-sky:invoke';

export function isChannel(c: unknown): c is Channel {
  return typeof c === 'string' && Object.prototype.hasOwnProperty.call(SCHEMAS, c);
}

export function splitChannel(c: Channel): [ServiceName, string] {
  const dot = c.indexOf('.');
  return [c.slice(0, dot) as ServiceName, c.slice(dot + 1)];
}
