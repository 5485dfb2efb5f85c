/**
 * A test's side of the engine host (main/node/host/engine-host.ts) in a Node
 * worker thread: the control channel is the worker itself, each client is a
 * MessageChannel whose other end the host serves with the contract.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { EngineEvent, Reply } from '@app/contracts';

export class ControlClient {
  #next = 1;
  #pending = new Map<number, (r: Reply<any>) => void>();
  readonly ready: Promise<unknown>;

  constructor(
    readonly worker: Worker,
    userData: string,
  ) {
    this.ready = new Promise((ok, fail) => {
      worker.on('message', (m) => {
        if (m?.t === 'ready') ok(m);
        else if (m?.t === 'fatal') fail(new Error(m.error.message));
        else if (m?.t === 'ctl-res') this.#pending.get(m.id)?.(m.reply);
      });
      worker.once('error', fail);
    });
    worker.postMessage({ t: 'init', userData });
  }

  call(op: string, arg?: unknown): Promise<Reply<any>> {
    const id = this.#next++;
    return new Promise((ok) => {
      this.#pending.set(id, ok);
      this.worker.postMessage({ t: 'ctl', id, op, arg });
    });
  }

  connect(): PortClient {
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ t: 'connect', port: port2 }, [port2]);
    return new PortClient(port1);
  }
}

export class PortClient {
  #next = 1;
  #pending = new Map<number, (r: Reply<any>) => void>();
  readonly events: EngineEvent[] = [];
  /** replies to no request of ours (malformed messages: their id, or -1) */
  readonly orphans: Reply<any>[] = [];

  constructor(readonly port: MessagePort) {
    port.on('message', (m) => {
      if (m?.t === 'evt') this.events.push(m.event);
      else if (m?.t === 'res' && !this.#pending.has(m.id)) this.orphans.push(m.reply);
      else if (m?.t === 'res') {
        this.#pending.get(m.id)!(m.reply);
        this.#pending.delete(m.id);
      }
    });
  }

  invoke(channel: unknown, input: unknown): Promise<Reply<any>> {
    const id = this.#next++;
    return new Promise((ok) => {
      this.#pending.set(id, ok);
      this.port.postMessage({ t: 'req', id, channel, input });
    });
  }

  /** a raw message, and the reply with `id` when one is expected */
  raw(message: unknown, id?: number): Promise<Reply<any>> | void {
    if (id === undefined) return void this.port.postMessage(message);
    return new Promise((ok) => {
      this.#pending.set(id, ok);
      this.port.postMessage(message);
    });
  }

  async waitFor(pred: (e: EngineEvent) => boolean, ms = 10_000): Promise<EngineEvent> {
    const t0 = Date.now();
    for (;;) {
      const e = this.events.find(pred);
      if (e) return e;
      if (Date.now() - t0 > ms) throw new Error('event did not arrive');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.port.close();
  }
}
