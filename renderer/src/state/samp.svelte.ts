/**
 * The SAMP link as the views see it: hub status (kept current by 'samp'
 * events), sends to VO tools with a one-line note of what happened, and
 * objects other tools point at (selected in every view by the store).
 */
import type { SampObject, SampSent, SampStatus } from '../../../app/contracts';
import type { Api } from '../api/client';
import type { Errors } from './errors.svelte';

export class SampState {
  status = $state<SampStatus>({ state: 'no-hub', reason: 'not checked yet' });
  /** what the last action did, for the status line */
  note = $state('');
  busy = $state(false);
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

  connect = () => this.#run(() => this.#api.samp.connect({}), (s) => { this.status = s; return s.state === 'connected' ? `registered as ${s.selfId}` : s.reason; });
  disconnect = () => this.#run(() => this.#api.samp.disconnect({}), (s) => { this.status = s; return ''; });

  #sentNote = (r: SampSent) => `sent ${r.rows} rows to ${r.recipients.length} tool${r.recipients.length === 1 ? '' : 's'}${r.recipients.length ? '' : ' (none listens for tables)'}`;
  sendSearch = (search: string, top: number) => this.#run(() => this.#api.samp.sendSearch({ search, top }), this.#sentNote);
  sendSelection = (indices: Int32Array) => this.#run(() => this.#api.samp.sendSelection({ indices }), this.#sentNote);
  pointAt = (idx: number) => this.#run(() => this.#api.samp.pointAt({ idx }), (r) => `pointed ${r.recipients.length} tool${r.recipients.length === 1 ? '' : 's'} at #${idx}`);
}
