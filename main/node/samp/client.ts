/**
 * A SAMP Standard Profile client (callable): registers with the hub found by
 * lockfile.ts, declares metadata and subscriptions, sends notifications
 * (table.load.votable, coord.pointAt.sky, table.highlight.row,
 * table.select.rowList) and runs an XML-RPC server on 127.0.0.1 for the hub's
 * callbacks. Incoming coord.pointAt.sky / table.highlight.row /
 * table.select.rowList become SampEvents; an incoming table.load.votable goes
 * to the table loader (onLoadTable), whose answer is the reply. Without a hub
 * the status is 'no-hub' and every send is a clear error; nothing crashes.
 */
import { AppError } from '@app/core/errors';
import { findHub, type HubLocation } from './lockfile';
import {
  highlightRowMessage,
  loadVOTableMessage,
  messageOf,
  MT,
  parseHighlightRow,
  parseLoadVOTable,
  parsePointAt,
  parseSelectRowList,
  pointAtMessage,
  selectRowListMessage,
  SUBSCRIPTIONS,
  type SampMessage,
} from './messages';
import { startXmlrpcServer, xmlrpcCall, type XrServer } from './xmlrpc-http';
import { asMap, type XrMap, type XrValue } from './xmlrpc';

export type SampStatus =
  { state: 'no-hub'; reason: string } | { state: 'connected'; hubUrl: string; selfId: string; hubId: string } | { state: 'disconnected'; reason: string };

export type SampEvent =
  | { type: 'status'; status: SampStatus }
  | { type: 'pointAt'; ra: number; dec: number; sender: string }
  | { type: 'highlightRow'; tableId: string; url: string; row: number; sender: string }
  | { type: 'selectRows'; tableId: string; url: string; rows: number[]; sender: string };

/** a table.load.votable another tool sent us */
export interface LoadTableRequest {
  url: string;
  tableId: string;
  name: string;
  sender: string;
}

export interface SampClientOptions {
  name?: string;
  description?: string;
  /** environment and home directory used to find the hub (tests point them at a private hub) */
  env?: NodeJS.ProcessEnv;
  home?: string;
}

interface Session {
  hub: HubLocation;
  privateKey: string;
  selfId: string;
  hubId: string;
  server: XrServer;
}

/** what one recipient answered to a call */
export interface Delivery {
  id: string;
  /** its samp.name (e.g. 'topcat') */
  name: string;
  ok: boolean;
  /** why not, when not ok */
  error?: string;
  /** a samp.warning answer: done, with problems (counted as ok) */
  warning?: string;
}

export class SampClient {
  #session: Session | null = null;
  #status: SampStatus = { state: 'no-hub', reason: 'not connected yet' };
  #listeners = new Set<(e: SampEvent) => void>();
  #loadTable: ((r: LoadTableRequest) => Promise<XrMap>) | null = null;

  constructor(readonly options: SampClientOptions = {}) {}

  get status(): SampStatus {
    return this.#status;
  }

  onEvent(listener: (e: SampEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** who loads tables other tools send (table.load.votable); its error is the reply's samp.error */
  onLoadTable(loader: ((r: LoadTableRequest) => Promise<XrMap>) | null): void {
    this.#loadTable = loader;
  }

  #emit(e: SampEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch {
        // one failing listener must not silence the others
      }
    }
  }

  #setStatus(s: SampStatus): SampStatus {
    this.#status = s;
    this.#emit({ type: 'status', status: s });
    return s;
  }

  /** registers with the hub; resolves to 'no-hub' (not an error) when none runs */
  async connect(): Promise<SampStatus> {
    if (this.#session) return this.#status;
    let hub: HubLocation | null;
    try {
      hub = findHub(this.options.env ?? process.env, this.options.home);
    } catch (e) {
      return this.#setStatus({ state: 'no-hub', reason: (e as Error).message });
    }
    if (!hub) return this.#setStatus({ state: 'no-hub', reason: 'no SAMP hub is running (no lockfile)' });
    let reg: XrMap;
    try {
      reg = asMap(await xmlrpcCall(hub.xmlrpcUrl, 'samp.hub.register', [hub.secret], 5000), 'register result');
    } catch (e) {
      return this.#setStatus({ state: 'no-hub', reason: `the hub in ${hub.lockfile} does not answer (${(e as Error).message})` });
    }
    const privateKey = String(reg['samp.private-key']);
    const server = await startXmlrpcServer((method, params) => this.#callback(method, params));
    const session: Session = { hub, privateKey, selfId: String(reg['samp.self-id']), hubId: String(reg['samp.hub-id']), server };
    this.#session = session;
    try {
      await this.#hub('samp.hub.declareMetadata', {
        'samp.name': this.options.name ?? 'Latent Sky',
        'samp.description.text': this.options.description ?? 'Explore survey objects through a self-supervised image encoder',
        'latent-sky.version': '0.1.0',
      });
      await this.#hub('samp.hub.setXmlrpcCallback', server.url);
      await this.#hub('samp.hub.declareSubscriptions', Object.fromEntries(SUBSCRIPTIONS.map((m) => [m, {}])));
    } catch (e) {
      await this.#drop();
      return this.#setStatus({ state: 'disconnected', reason: `registration failed: ${(e as Error).message}` });
    }
    return this.#setStatus({ state: 'connected', hubUrl: hub.xmlrpcUrl, selfId: session.selfId, hubId: session.hubId });
  }

  async disconnect(): Promise<void> {
    if (!this.#session) return;
    await this.#hub('samp.hub.unregister').catch(() => undefined);
    await this.#drop();
    this.#setStatus({ state: 'disconnected', reason: 'unregistered' });
  }

  async #drop(): Promise<void> {
    const s = this.#session;
    this.#session = null;
    await s?.server.close();
  }

  /** a hub call with our private key; a hub that went away → status 'disconnected' */
  async #hub(method: string, ...args: XrValue[]): Promise<XrValue> {
    const s = this.#session;
    if (!s) throw new AppError('NETWORK', `SAMP: not connected to a hub (${this.#status.state === 'connected' ? 'connected' : this.#status.reason})`);
    try {
      return await xmlrpcCall(s.hub.xmlrpcUrl, method, [s.privateKey, ...args]);
    } catch (e) {
      if (e instanceof AppError && e.code === 'NETWORK') {
        await this.#drop();
        this.#setStatus({ state: 'disconnected', reason: 'the SAMP hub went away' });
      }
      throw e;
    }
  }

  /** notifies every subscribed client; returns the recipients' ids */
  async notifyAll(message: SampMessage): Promise<string[]> {
    const r = await this.#hub('samp.hub.notifyAll', { 'samp.mtype': message.mtype, 'samp.params': message.params });
    return Array.isArray(r) ? r.map(String) : [];
  }

  /**
   * Sends `message` to each subscribed client with the hub's call-and-wait and
   * reports, per recipient, whether it answered samp.ok (TOPCAT answers once the
   * table is loaded) or the error it gave (or that it did not answer in time).
   */
  async callEach(message: SampMessage, timeoutSeconds = 20): Promise<Delivery[]> {
    const ids = await this.subscribers(message.mtype);
    const msg = { 'samp.mtype': message.mtype, 'samp.params': message.params };
    return Promise.all(
      ids.map(async (id): Promise<Delivery> => {
        const meta = await this.#hub('samp.hub.getMetadata', id).catch(() => ({}));
        const name = String(asMap(meta, 'metadata')['samp.name'] ?? id);
        try {
          const r = asMap(await this.#hub('samp.hub.callAndWait', id, msg, String(timeoutSeconds)), 'response');
          const status = String(r['samp.status'] ?? '');
          if (status === 'samp.ok') return { id, name, ok: true };
          const err = r['samp.error'] ? asMap(r['samp.error'], 'error') : {};
          const why = String(err['samp.errortxt'] ?? 'no reason given');
          // SAMP 1.3 §3.9: samp.warning = the action was performed, with problems
          if (status === 'samp.warning') return { id, name, ok: true, warning: why };
          return { id, name, ok: false, error: `${status || 'no status'}: ${why}` };
        } catch (e) {
          return { id, name, ok: false, error: (e as Error).message };
        }
      }),
    );
  }

  /** table.load.votable with call-and-wait: one Delivery per subscribed tool */
  sendTableConfirmed(url: string, tableId: string, name: string, timeoutSeconds?: number): Promise<Delivery[]> {
    return this.callEach(loadVOTableMessage(url, tableId, name), timeoutSeconds);
  }

  /** tells VO tools (TOPCAT, Aladin, DS9...) to load a VOTable; `url` is usually a file:// URL */
  sendTable(url: string, tableId: string, name: string): Promise<string[]> {
    return this.notifyAll(loadVOTableMessage(url, tableId, name));
  }

  pointAt(ra: number, dec: number): Promise<string[]> {
    return this.notifyAll(pointAtMessage(ra, dec));
  }

  highlightRow(url: string, tableId: string, row: number): Promise<string[]> {
    return this.notifyAll(highlightRowMessage(url, tableId, row));
  }

  /** a notification to one client */
  async notify(recipient: string, message: SampMessage): Promise<void> {
    await this.#hub('samp.hub.notify', recipient, { 'samp.mtype': message.mtype, 'samp.params': message.params });
  }

  /** table.select.rowList to the clients that loaded the table; returns those it reached */
  async selectRows(recipients: string[], url: string, tableId: string, rows: ArrayLike<number>): Promise<string[]> {
    const msg = selectRowListMessage(url, tableId, rows);
    const reached: string[] = [];
    for (const id of recipients) {
      try {
        await this.notify(id, msg);
        reached.push(id);
      } catch (e) {
        // a recipient that unregistered since: the others still get it
        if (!(e instanceof AppError && e.code === 'NETWORK')) continue;
        throw e;
      }
    }
    return reached;
  }

  /** the other registered clients with their samp.name */
  async clients(): Promise<{ id: string; name: string }[]> {
    const ids = await this.#hub('samp.hub.getRegisteredClients');
    const out: { id: string; name: string }[] = [];
    for (const id of Array.isArray(ids) ? ids.map(String) : []) {
      const meta = await this.#hub('samp.hub.getMetadata', id).catch(() => ({}));
      out.push({ id, name: String(asMap(meta, 'metadata')['samp.name'] ?? id) });
    }
    return out;
  }

  /** a client's samp.name (its id when it declares none or is gone) */
  async nameOf(id: string): Promise<string> {
    const meta = await this.#hub('samp.hub.getMetadata', id).catch(() => ({}));
    return String(asMap(meta, 'metadata')['samp.name'] ?? id);
  }

  /** ids of the clients subscribed to `mtype` (other than us) */
  async subscribers(mtype: string): Promise<string[]> {
    return Object.keys(asMap(await this.#hub('samp.hub.getSubscribedClients', mtype), 'subscribed clients'));
  }

  /** the hub calls us: receiveNotification / receiveCall / receiveResponse */
  async #callback(method: string, params: XrValue[]): Promise<XrValue> {
    const s = this.#session;
    if (!s || params[0] !== s.privateKey) throw new AppError('BAD_INPUT', 'SAMP callback with a wrong private key');
    const sender = String(params[1] ?? '');
    if (method === 'samp.client.receiveNotification') {
      // answered at once; the work (a table load) goes on after
      void this.#handle(sender, messageOf(params[2])).catch(() => undefined);
      return '';
    }
    if (method === 'samp.client.receiveCall') {
      const msgId = String(params[2] ?? '');
      const message = params[3];
      // reply after returning from this callback, as the hub expects
      setImmediate(() => {
        void (async () => {
          let response: XrMap;
          try {
            response = { 'samp.status': 'samp.ok', 'samp.result': await this.#handle(sender, messageOf(message)) };
          } catch (e) {
            response = { 'samp.status': 'samp.error', 'samp.error': { 'samp.errortxt': (e as Error).message } };
          }
          await this.#hub('samp.hub.reply', msgId, response).catch(() => undefined);
        })();
      });
      return '';
    }
    if (method === 'samp.client.receiveResponse') return '';
    throw new AppError('BAD_INPUT', `SAMP: unknown callback ${method}`);
  }

  async #handle(sender: string, msg: SampMessage): Promise<XrMap> {
    switch (msg.mtype) {
      case MT.loadVOTable: {
        const req = { ...parseLoadVOTable(msg.params), sender };
        if (!this.#loadTable) throw new AppError('UNAVAILABLE', 'Latent Sky: no workspace is open to load a table into');
        return this.#loadTable(req);
      }
      case MT.selectRowList:
        this.#emit({ type: 'selectRows', ...parseSelectRowList(msg.params), sender });
        return {};
      case MT.pointAtSky:
        this.#emit({ type: 'pointAt', ...parsePointAt(msg.params), sender });
        return {};
      case MT.highlightRow:
        this.#emit({ type: 'highlightRow', ...parseHighlightRow(msg.params), sender });
        return {};
      case MT.ping:
        return {};
      case MT.hubShutdown:
      case MT.hubDisconnect:
        void this.#drop().then(() =>
          this.#setStatus({ state: 'disconnected', reason: msg.mtype === MT.hubShutdown ? 'the SAMP hub shut down' : 'the hub disconnected us' }),
        );
        return {};
      default:
        throw new AppError('BAD_INPUT', `SAMP: not subscribed to ${msg.mtype}`);
    }
  }
}
