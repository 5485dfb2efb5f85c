/**
 * The message port the engine host talks over, abstracted so the same host
 * code runs in an Electron utilityProcess (process.parentPort and
 * MessagePortMain: `on('message', e => e.data / e.ports)`) and in a Node
 * worker thread (worker_threads MessagePort: `on('message', data => …)`,
 * ports travel inside the data). Messages are structured clones; `transfer`
 * lists ArrayBuffers (and ports) to move instead of copy where the port can
 * (Node ports can; Electron's MessagePortMain clones typed arrays instead).
 */
import type { MessagePort as NodeMessagePort } from 'node:worker_threads';

export interface HostPort {
  /** whether ArrayBuffers in `transfer` are moved (else they are cloned) */
  readonly transfersBuffers: boolean;
  post(message: unknown, transfer?: ArrayBuffer[]): void;
  /** `ports`: message ports that came with the message, already wrapped */
  onMessage(listener: (data: unknown, ports: HostPort[]) => void): void;
  /** the other side went away (Node: 'close'; Electron: 'close' on MessagePortMain) */
  onClose(listener: () => void): void;
  close(): void;
}

/** the part of Electron's MessagePortMain / ParentPort we use */
export interface ElectronPortLike {
  postMessage(message: unknown, transfer?: unknown[]): void;
  on(event: 'message', listener: (e: { data: unknown; ports: ElectronPortLike[] }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start?(): void;
  close?(): void;
}

export function electronPort(p: ElectronPortLike): HostPort {
  return {
    transfersBuffers: false,
    post: (message) => p.postMessage(message),
    onMessage(listener) {
      p.on('message', (e) => listener(e.data, (e.ports ?? []).map(electronPort)));
      p.start?.();
    },
    onClose: (listener) => void p.on('close', listener),
    close: () => p.close?.(),
  };
}

/** the part of a worker_threads MessagePort (or parentPort) we use */
export interface NodePortLike {
  postMessage(message: unknown, transfer?: readonly (ArrayBuffer | NodeMessagePort)[]): void;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  close?(): void;
}

const isNodePort = (v: unknown): v is NodeMessagePort =>
  !!v && typeof v === 'object' && typeof (v as NodeMessagePort).postMessage === 'function' && typeof (v as NodeMessagePort).on === 'function';

/** Node ports: a port sent along travels as the message's `port` field (and in the transfer list) */
export function nodePort(p: NodePortLike): HostPort {
  return {
    transfersBuffers: true,
    post: (message, transfer = []) => p.postMessage(message, transfer),
    onMessage(listener) {
      p.on('message', (data) => {
        const port = data && typeof data === 'object' ? (data as { port?: unknown }).port : undefined;
        listener(data, isNodePort(port) ? [nodePort(port)] : []);
      });
    },
    onClose: (listener) => void p.on('close', listener),
    close: () => p.close?.(),
  };
}

/**
 * Typed arrays in `value`, replaced by copies whose buffers can be
 * transferred (the engine keeps the arrays it returns in column caches, so
 * the originals must not be detached). Returns the value to post and the
 * transfer list; without buffer transfer the value is returned as is (the
 * structured clone copies the bytes, never as a JSON array).
 */
export function withTransferables(value: unknown, transfer: boolean): { value: unknown; transfer: ArrayBuffer[] } {
  if (!transfer) return { value, transfer: [] };
  const list: ArrayBuffer[] = [];
  const seen = new Map<object, unknown>();
  const walk = (v: unknown, depth: number): unknown => {
    if (!v || typeof v !== 'object' || depth > 8) return v;
    if (seen.has(v)) return seen.get(v);
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      if (!(v.buffer instanceof ArrayBuffer)) return v; // shared memory: cloned as is
      const copy = (v as unknown as { slice(): ArrayBufferView }).slice();
      list.push(copy.buffer as ArrayBuffer);
      seen.set(v, copy);
      return copy;
    }
    if (Array.isArray(v)) {
      const out = v.map((x) => walk(x, depth + 1));
      seen.set(v, out);
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1);
    return out;
  };
  return { value: walk(value, 0), transfer: list };
}
