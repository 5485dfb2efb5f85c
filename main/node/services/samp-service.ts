/**
 * The contract's SampService over main/node/samp's SampEngine (one per
 * Engine, shared by the Electron shell and the dev host): status and
 * connection, VOTables to VO tools, pointing them at an object. Hub status
 * changes and objects other tools point at become engine events.
 */
import type { SampSent, SampService } from '../../../app/contracts';
import type { SampEngine, SentReport } from '../samp/samp-engine';
import type { EventBus } from '../session/events';

const sent = (r: SentReport): SampSent => ({ path: r.table.path, rows: r.table.indices.length, recipients: r.recipients });

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
  };
}

/** 'samp' (status) and 'sampObject' events on the engine's bus; returns the unsubscribe function */
export function forwardSampEvents(link: SampEngine, bus: EventBus): () => void {
  const offStatus = link.client.onEvent((e) => {
    if (e.type === 'status') bus.emit({ type: 'samp', status: e.status });
  });
  const offObject = link.onObject((e) => bus.emit({ type: 'sampObject', idx: e.idx, via: e.via, sender: e.sender }));
  return () => {
    offStatus();
    offObject();
  };
}
