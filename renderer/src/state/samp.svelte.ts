/**
 * The SAMP link as the views see it: hub status (kept current by 'samp'
 * events), sends to VO tools with a one-line note of what each tool answered
 * (call-and-wait), objects other tools point at (selected in every view by
 * the store), the app's selection sent as table.select.rowList to the tools
 * that loaded our tables (never echoing a selection that came from them),
 * and the last table another tool sent us (an overlay and/or labels).
 */
import type { SampObject, SampSent, SampStatus, SampTable } from '@app/contracts';
import type { Api } from '../api/client';
import type { Errors } from './errors.svelte';

export class SampState {
  status = $state<SampStatus>({ state: 'no-hub', reason: 'not checked yet' });
  /** what the last action did, for the status line */
  note = $state('');
  busy = $state(false);
  /** the last table another tool sent (table.load.votable) and who sent it */
  table = $state.raw<SampTable | null>(null);
  tableFrom = $state('');
  /** some tool holds a table of ours (a send it confirmed, or one it sent naming our objects): selections go to it */
  shared = $state(false);
  /** the next selection change came from a tool: do not send it back */
  #incoming = false;
  #api: Api;
  #errors: Errors;

  constructor(api: Api, errors: Errors) {
    this.#api = api;
    this.#errors = errors;
  }

  get connected(): boolean {
    return this.status.state === 'connected';
  }

  get label(): string {
    const s = this.status;
    return s.state === 'connected' ? 'SAMP connected' : s.state === 'no-hub' ? 'SAMP: no hub' : 'SAMP disconnected';
  }

  async refresh(): Promise<void> {
    this.status = await this.#api.samp.status({});
  }

  /** a table another tool sent; null table = it could not be used (the store reports the error) */
  receivedTable(sender: string, table: SampTable | null): void {
    if (!table) return;
    this.table = table;
    this.tableFrom = sender;
    if (table.objects) this.shared = true;
    const parts = [table.ra ? 'on the sky map' : '', table.objects ? `${table.matched} of our objects` : ''].filter(Boolean);
    this.note = `table '${table.name}' from ${sender}: ${table.rows} rows, ${parts.join(', ')}`;
  }

  dismissTable(): void {
    this.table = null;
  }

  /** a selection that arrived from a tool (table.select.rowList): the selection change it causes is not sent back */
  incomingSelection(sender: string, count: number): void {
    this.#incoming = true;
    this.note = `${count} object${count === 1 ? '' : 's'} selected by ${sender}`;
  }

  /** the app's selection changed: table.select.rowList to the tools holding our tables */
  async selectionChanged(indices: Int32Array): Promise<void> {
    if (this.#incoming) {
      this.#incoming = false;
      return;
    }
    if (!this.connected || !this.shared) return;
    try {
      const r = await this.#api.samp.select({ indices });
      if (r.recipients.length) this.note = `selection of ${indices.length} sent to ${r.recipients.length} tool${r.recipients.length === 1 ? '' : 's'}`;
    } catch (e) {
      this.#errors.report(e);
    }
  }

  received(o: SampObject): void {
    this.note = `object #${o.idx} from ${o.sender} (${o.via === 'pointAt' ? 'pointed at' : 'row highlighted'})`;
  }

  async #run<T>(what: () => Promise<T>, note: (r: T) => string): Promise<void> {
    this.busy = true;
    try {
      this.note = note(await what());
    } catch (e) {
      this.#errors.report(e);
    } finally {
      this.busy = false;
    }
  }

  connect = () =>
    this.#run(
      () => this.#api.samp.connect({}),
      (s) => {
        this.status = s;
        return s.state === 'connected' ? `registered as ${s.selfId}` : s.reason;
      },
    );
  disconnect = () =>
    this.#run(
      () => this.#api.samp.disconnect({}),
      (s) => {
        this.status = s;
        return '';
      },
    );

  #sentNote = (r: SampSent) => {
    if (r.recipients.length) this.shared = true;
    const ds = r.deliveries ?? [];
    if (!ds.length)
      return `sent ${r.rows} rows to ${r.recipients.length} tool${r.recipients.length === 1 ? '' : 's'}${r.recipients.length ? '' : ' (none listens for tables)'}`;
    return `${r.rows} rows: ${ds.map((d) => `${d.name} ${d.ok ? (d.warning ? 'loaded (with a warning)' : 'loaded') : `failed (${d.error})`}`).join('; ')}`;
  };
  sendSearch = (search: string, top: number) => this.#run(() => this.#api.samp.sendSearch({ search, top }), this.#sentNote);
  sendSelection = (indices: Int32Array) => this.#run(() => this.#api.samp.sendSelection({ indices }), this.#sentNote);
  pointAt = (idx: number) =>
    this.#run(
      () => this.#api.samp.pointAt({ idx }),
      (r) => `pointed ${r.recipients.length} tool${r.recipients.length === 1 ? '' : 's'} at #${idx}`,
    );
}
