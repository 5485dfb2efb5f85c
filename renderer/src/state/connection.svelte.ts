/**
 * Whether the engine is reachable: always 'connected' inside Electron; in a
 * browser, the dev host's WebSocket state (the bridge retries by itself).
 * One instance per page, shown in the toolbar.
 */
import type { ConnectionState } from '../api/ws-bridge';

export class Connection {
  state = $state<ConnectionState>('connected');
  /** reconnects since the page loaded */
  reconnects = $state(0);

  set(s: ConnectionState): void {
    if (s === 'connected' && this.state === 'disconnected') this.reconnects++;
    this.state = s;
  }

  get connected(): boolean {
    return this.state === 'connected';
  }
}

export const connection = new Connection();
