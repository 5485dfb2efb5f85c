/**
 * The contract's SampService over main/node/samp's SampEngine (one per
 * Engine, shared by the Electron shell and the dev host): status and
 * connection, VOTables to VO tools, pointing them at an object. Hub status
 * changes and objects other tools point at become engine events.
 */
import type { SampSent, SampService } from '@app/contracts';
import type { SampEngine, SentReport } from '../samp/samp-engine';
import type { EventBus } from '../session/events';

const sent = (r: SentReport): SampSent => ({
  path: r.table.path,
  rows: r.table.indices.length,
  recipients: r.recipients,
  deliveries: r.deliveries.map((d) => ({
    id: d.id,
    name: d.name,
    ok: d.ok,
    ...(d.error ? { error: d.error } : {}),
    ...(d.warning ? { warning: d.warning } : {}),
  })),
});

export function sampService(link: SampEngine): SampService {
  return {
    async status() {
      return link.status;
    },
    async connect() {
      return link.client.connect();
    },
    async disconnect() {
      await link.client.disconnect();
      return link.status;
    },
    async sendSearch({ search, top }) {
      return sent(await link.sendSearch(search, top));
    },
    async sendSelection({ indices }) {
      return sent(await link.sendObjects(`selection of ${indices.length}`, indices));
    },
    async sendWorkspace() {
      return sent(await link.sendWorkspace());
    },
    async pointAt({ idx }) {
      return { recipients: await link.pointAtObject(idx) };
    },
    async select({ indices }) {
      return link.selectObjects(indices);
    },
  };
}

/** 'samp' (status), 'sampObject', 'sampSelection' and 'sampTable' events on the engine's bus; returns the unsubscribe function */
export function forwardSampEvents(link: SampEngine, bus: EventBus): () => void {
  const offStatus = link.client.onEvent((e) => {
    if (e.type === 'status') bus.emit({ type: 'samp', status: e.status });
  });
  const offObject = link.onObject((e) => bus.emit({ type: 'sampObject', idx: e.idx, via: e.via, sender: e.sender }));
  const offSelection = link.onSelection((e) => bus.emit({ type: 'sampSelection', indices: e.indices, sender: e.sender }));
  const offTable = link.onTable((e) => bus.emit({ type: 'sampTable', sender: e.senderName, table: e.table, error: e.error }));
  return () => {
    offStatus();
    offObject();
    offSelection();
    offTable();
  };
}
