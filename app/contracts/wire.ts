/**
 * Binary framing for the WebSocket bridge: a JSON header plus raw buffers, so
 * typed arrays travel as bytes, never as JSON arrays.
 *
 *   [u32 LE header length][header JSON, UTF-8][pad to 8][buffer 0][pad to 8][buffer 1]...
 *
 * In the header each typed array is replaced by {"$buf": i, "$type": "Float32Array"}
 * and the byte lengths of the buffers are listed in "$lens".
 */
import { AppError } from '../core/errors';
import type { Reply } from './bridge';
import type { EngineEvent } from './types';

const TYPES = {
  Float32Array,
  Float64Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
} as const;
type TypeName = keyof typeof TYPES;
type Typed = InstanceType<(typeof TYPES)[TypeName]>;

const align8 = (n: number) => (n + 7) & ~7;

function typeName(v: ArrayBufferView): TypeName | null {
  const n = v.constructor.name;
  return n in TYPES ? (n as TypeName) : null;
}

export function encodeFrame(message: unknown): Uint8Array<ArrayBuffer> {
  const buffers: Uint8Array[] = [];
  const header = JSON.stringify({ m: message }, function (_k, v) {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const t = typeName(v);
      if (!t) throw new AppError('INTERNAL', `wire: cannot encode ${v.constructor.name}`);
      buffers.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      return { $buf: buffers.length - 1, $type: t };
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
    return v;
  });
  const head = new TextEncoder().encode(JSON.stringify({ lens: buffers.map((b) => b.byteLength) }) + '\n' + header);
  let size = align8(4 + head.byteLength);
  for (const b of buffers) size += align8(b.byteLength);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, head.byteLength, true);
  out.set(head, 4);
  let off = align8(4 + head.byteLength);
  for (const b of buffers) {
    out.set(b, off);
    off += align8(b.byteLength);
  }
  return out;
}

export function decodeFrame(frame: ArrayBuffer | Uint8Array): unknown {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.byteLength < 4) throw new AppError('BAD_INPUT', 'wire: frame shorter than its header length');
  const headLen = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + headLen > bytes.byteLength) throw new AppError('BAD_INPUT', 'wire: header runs past the end of the frame');
  const text = new TextDecoder().decode(bytes.subarray(4, 4 + headLen));
  const nl = text.indexOf('\n');
  const { lens } = JSON.parse(text.slice(0, nl)) as { lens: number[] };
  const views: Uint8Array[] = [];
  let off = align8(4 + headLen);
  for (const len of lens) {
    if (off + len > bytes.byteLength) throw new AppError('BAD_INPUT', 'wire: buffer runs past the end of the frame');
    views.push(bytes.slice(off, off + len)); // copy: aligned, owns its buffer
    off += align8(len);
  }
  const parsed = JSON.parse(text.slice(nl + 1), (_k, v) => {
    if (v && typeof v === 'object' && typeof v.$buf === 'number' && typeof v.$type === 'string') {
      const Ctor = TYPES[v.$type as TypeName];
      const raw = views[v.$buf];
      if (!Ctor || !raw) throw new AppError('BAD_INPUT', `wire: bad buffer reference ${v.$buf}`);
      return new Ctor(raw.buffer as ArrayBuffer, 0, raw.byteLength / Ctor.BYTES_PER_ELEMENT) as Typed;
    }
    if (v && typeof v === 'object' && typeof v.$num === 'string' && Object.keys(v).length === 1) return Number(v.$num);
    return v;
  }) as { m: unknown };
  return parsed.m;
}

/** messages of the WebSocket bridge (each one frame) */
export type WireMessage =
  { t: 'req'; id: number; channel: string; input: unknown } | { t: 'res'; id: number; reply: Reply<unknown> } | { t: 'evt'; event: EngineEvent };
