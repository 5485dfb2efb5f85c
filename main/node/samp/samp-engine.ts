/**
 * SAMP on top of the engine: sends the open workspace's objects or a
 * search's ranked candidates as a VOTable, points VO tools at an object, and
 * turns incoming coord.pointAt.sky (nearest object within `matchRadiusDeg`)
 * and table.highlight.row (rows of tables we sent) into object indices for
 * whoever listens (the desktop shell, `latent-sky samp listen`). A selection
 * in the app goes to the tools that loaded our tables as
 * table.select.rowList (their rows, their table-id and url); a rowList coming
 * back selects those objects. Tables other tools send (table.load.votable)
 * are read by table-receive.ts and announced to onTable listeners.
 */
import { AppError, toErrorData, type ErrorData } from '@app/core/errors';
import type { Engine } from '../services/engine';
import { SampClient, type Delivery, type SampClientOptions, type SampStatus } from './client';
import { nearestObject, SentTables, writeObjectsVOTable, type ExportedTable } from './table-export';
import { fetchTableText, interpretTable, type ReceivedTable } from './table-receive';

export interface SampSelectionEvent {
  indices: Int32Array;
  sender: string;
}

/** a table another tool sent: what it holds, or why it could not be used */
export interface SampTableEvent {
  sender: string;
  senderName: string;
  table: ReceivedTable | null;
  error: ErrorData | null;
}

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
  #selectionListeners = new Set<(e: SampSelectionEvent) => void>();
  #tableListeners = new Set<(e: SampTableEvent) => void>();
  #seq = 0;
  /** the workspace the remembered tables' rows refer to */
  #tablesOf: string | null = null;

  constructor(
    private readonly engine: Engine,
    options: SampClientOptions & { matchRadiusDeg?: number } = {},
  ) {
    this.client = new SampClient(options);
    const radius = options.matchRadiusDeg ?? 5 / 3600;
    this.client.onEvent((e) => {
      const ws = this.engine.ctx.open;
      if (!ws) return;
      if (e.type === 'pointAt') {
        const near = nearestObject(ws.column('ra'), ws.column('dec'), e.ra, e.dec, radius);
        if (near) this.#emit({ idx: near.idx, via: 'pointAt', sender: e.sender, sepDeg: near.sepDeg });
      } else if (e.type === 'highlightRow') {
        const idx = this.#sent().objectOf(e.tableId, e.url, e.row);
        if (idx !== null) this.#emit({ idx, via: 'highlightRow', sender: e.sender });
      } else if (e.type === 'selectRows') {
        const indices = this.#sent().objectsOf(e.tableId, e.url, e.rows);
        if (indices) for (const l of this.#selectionListeners) l({ indices, sender: e.sender });
      }
    });
    this.client.onLoadTable((req) => this.#receive(req));
  }

  /** the tables of the open workspace (forgotten when another one opens) */
  #sent(): SentTables {
    const dir = this.engine.ctx.open?.dir ?? null;
    if (dir !== this.#tablesOf) {
      this.sent.clear();
      this.#tablesOf = dir;
    }
    return this.sent;
  }

  onSelection(listener: (e: SampSelectionEvent) => void): () => void {
    this.#selectionListeners.add(listener);
    return () => this.#selectionListeners.delete(listener);
  }

  onTable(listener: (e: SampTableEvent) => void): () => void {
    this.#tableListeners.add(listener);
    return () => this.#tableListeners.delete(listener);
  }

  /** table.load.votable from another tool: fetch, read, remember its rows, announce; errors go back to the sender too */
  async #receive(req: { url: string; tableId: string; name: string; sender: string }): Promise<Record<string, string>> {
    const senderName = await this.client.nameOf(req.sender).catch(() => req.sender);
    const announce = (e: Omit<SampTableEvent, 'sender' | 'senderName'>) => {
      for (const l of this.#tableListeners) l({ sender: req.sender, senderName, ...e });
    };
    try {
      const ws = this.engine.ctx.open;
      if (!ws) throw new AppError('UNAVAILABLE', `Latent Sky: no workspace is open to load '${req.name}' into`);
      const table = interpretTable(await fetchTableText(req.url), req, (id) => ws.findById(id));
      if (table.objects)
        this.#sent().add({ path: '', url: table.url, tableId: table.tableId || table.url, name: table.name, indices: table.objects, recipients: [req.sender] });
      announce({ table, error: null });
      return {};
    } catch (e) {
      announce({ table: null, error: toErrorData(e) });
      throw e;
    }
  }

  /**
   * table.select.rowList of these objects to every tool that loaded one of
   * our tables (the rows of each table that hold them); returns the tools
   * reached and how many tables.
   */
  async selectObjects(indices: Int32Array): Promise<{ recipients: string[]; tables: number }> {
    const reached = new Set<string>();
    let tables = 0;
    for (const { table, rows } of this.#sent().rowsOf(indices)) {
      const ids = await this.client.selectRows(table.recipients ?? [], table.url, table.tableId, rows);
      if (ids.length) tables++;
      for (const id of ids) reached.add(id);
    }
    return { recipients: [...reached], tables };
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
    table.recipients = deliveries.filter((d) => d.ok).map((d) => d.id);
    this.#sent().add(table);
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
