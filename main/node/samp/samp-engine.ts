/**
 * SAMP on top of the engine: sends the open workspace's objects or a
 * search's ranked candidates as a VOTable, points VO tools at an object, and
 * turns incoming coord.pointAt.sky (nearest object within `matchRadiusDeg`)
 * and table.highlight.row (rows of tables we sent) into object indices for
 * whoever listens (the desktop shell, `latent-sky samp listen`).
 */
import { AppError } from '../../../app/core/errors';
import type { Engine } from '../services/engine';
import { SampClient, type Delivery, type SampClientOptions, type SampStatus } from './client';
import { nearestObject, SentTables, writeObjectsVOTable, type ExportedTable } from './table-export';

export interface SampObjectEvent {
  idx: number;
  via: 'pointAt' | 'highlightRow';
  sender: string;
  /** separation from the pointed position (pointAt only) */
  sepDeg?: number;
}

export interface SentReport {
  table: ExportedTable;
  /** the tools that confirmed loading the table */
  recipients: string[];
  /** every subscribed tool, with its answer (call-and-wait) */
  deliveries: Delivery[];
}

export class SampEngine {
  readonly client: SampClient;
  readonly sent = new SentTables();
  #listeners = new Set<(e: SampObjectEvent) => void>();
  #seq = 0;

  constructor(private readonly engine: Engine, options: SampClientOptions & { matchRadiusDeg?: number } = {}) {
    this.client = new SampClient(options);
    const radius = options.matchRadiusDeg ?? 5 / 3600;
    this.client.onEvent((e) => {
      const ws = this.engine.ctx.open;
      if (!ws) return;
      if (e.type === 'pointAt') {
        const near = nearestObject(ws.column('ra'), ws.column('dec'), e.ra, e.dec, radius);
        if (near) this.#emit({ idx: near.idx, via: 'pointAt', sender: e.sender, sepDeg: near.sepDeg });
      } else if (e.type === 'highlightRow') {
        const idx = this.sent.objectOf(e.tableId, e.url, e.row);
        if (idx !== null) this.#emit({ idx, via: 'highlightRow', sender: e.sender });
      }
    });
  }

  get status(): SampStatus {
    return this.client.status;
  }

  onObject(listener: (e: SampObjectEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(e: SampObjectEvent): void {
    for (const l of this.#listeners) l(e);
  }

  async #send(name: string, indices?: Int32Array, scores?: Float32Array): Promise<SentReport> {
    const ws = this.engine.ctx.ws();
    const n = ++this.#seq;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const tableId = `latent-sky-${stamp}-${n}`;
    const table = writeObjectsVOTable(ws, { indices, scores, name, tableId, file: ws.path('exports', `samp-${stamp}-${n}.vot`) });
    const deliveries = await this.client.sendTableConfirmed(table.url, table.tableId, table.name);
    this.sent.add(table);
    return { table, recipients: deliveries.filter((d) => d.ok).map((d) => d.id), deliveries };
  }

  /** every object of the open workspace */
  sendWorkspace(): Promise<SentReport> {
    return this.#send(this.engine.ctx.ws().manifest.name);
  }

  /** chosen objects (a selection in the views), in this order */
  sendObjects(name: string, indices: Int32Array): Promise<SentReport> {
    return this.#send(name, indices);
  }

  /** the `top` best unlabelled candidates of a search's latest probe round, with scores */
  async sendSearch(search: string, top: number): Promise<SentReport> {
    const result = await this.engine.probe.result({ search });
    if (!result) throw new AppError('NOT_FOUND', `search '${search}' has no probe round yet: retrain it first`);
    return this.#send(`${search} candidates`, result.ranked.slice(0, top), result.scores);
  }

  async pointAtObject(idx: number): Promise<string[]> {
    const o = await this.engine.catalog.object({ idx });
    return this.client.pointAt(o.ra, o.dec);
  }
}
