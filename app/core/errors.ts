/**
 * The one error type of Latent Sky. It has a stable `code` (machine-readable,
 * never reworded), a human `message` (one line, names the file/object/HDU
 * concerned) and optional structured `detail`. It survives IPC and the CLI
 * as plain data (see toErrorData / fromErrorData).
 *
 * Cancellation, one convention everywhere: a cancellable operation takes an
 * AbortSignal (`signal`), and when it fires the operation ends by throwing
 * AppError('CANCELLED') (cancelledError / throwIfCancelled below), whose
 * message says what was kept; threads and processes carry the abort across
 * as a message and the answer back as this error's data. A resumable batch
 * whose report is its result (ingest, embed, features) may return that report
 * with `cancelled: true` instead; whoever turns it into an outcome (the job
 * runner, the demo pipeline, a CLI command: exit 130) makes it CANCELLED.
 */
export type ErrorCode =
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  /** the request is well-formed but clashes with what exists (a non-empty folder, a name taken) */
  | 'CONFLICT'
  /** another job holds what this one needs; try again when it ends */
  | 'BUSY'
  /** the target was opened read-only or is closed */
  | 'READ_ONLY'
  /** a peer, service or provider is not there (no network, no hub, no GPU) */
  | 'UNAVAILABLE'
  | 'FITS_CORRUPT'
  | 'FITS_TRUNCATED'
  | 'FITS_UNSUPPORTED'
  /** a PNG / JPEG that cannot be decoded (bad signature, chunk, CRC or stream) */
  | 'IMAGE_CORRUPT'
  | 'WORKSPACE_INVALID'
  | 'WORKSPACE_LOCKED'
  | 'MODEL_INVALID'
  | 'MODEL_MISMATCH'
  | 'PROVIDER_UNKNOWN'
  | 'PROVIDER_UNAVAILABLE'
  | 'NO_EMBEDDINGS'
  | 'NO_INDEX'
  | 'UNKNOWN_OBJECT'
  | 'UNKNOWN_SEARCH'
  | 'NETWORK'
  | 'HTTP'
  /** the operation's AbortSignal fired (see the convention above) */
  | 'CANCELLED'
  | 'IO'
  | 'INTERNAL';

export interface ErrorData {
  code: ErrorCode;
  message: string;
  detail?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail?: unknown;

  constructor(code: ErrorCode, message: string, detail?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
  }

  toJSON(): ErrorData {
    return { code: this.code, message: this.message, ...(this.detail === undefined ? {} : { detail: this.detail }) };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** the error a cancelled operation ends with; `what` says what stopped and what was kept */
export function cancelledError(what = 'cancelled'): AppError {
  return new AppError('CANCELLED', what);
}

/** throws cancelledError(what) when the signal has fired */
export function throwIfCancelled(signal: { readonly aborted: boolean } | undefined, what?: string): void {
  if (signal?.aborted) throw cancelledError(what);
}

/** Any thrown value as ErrorData; unknown errors become INTERNAL with their message. */
export function toErrorData(e: unknown): ErrorData {
  if (e instanceof AppError) return e.toJSON();
  if (e instanceof Error) return { code: 'INTERNAL', message: e.message || e.name };
  if (e && typeof e === 'object') {
    // error data that crossed a worker or process boundary, or a library's plain object: never "[object Object]"
    const o = e as { code?: unknown; message?: unknown; detail?: unknown };
    const code = typeof o.code === 'string' && KNOWN_CODES.has(o.code as ErrorCode) ? (o.code as ErrorCode) : 'INTERNAL';
    if (typeof o.message === 'string' && o.message) return { code, message: o.message, ...(o.detail === undefined ? {} : { detail: o.detail }) };
    let text: string;
    try {
      text = JSON.stringify(e)?.slice(0, 300) ?? '';
    } catch {
      text = '';
    }
    return { code, message: text && text !== '{}' ? `unexpected error: ${text}` : `unexpected error (${Object.prototype.toString.call(e).slice(8, -1)})` };
  }
  return { code: 'INTERNAL', message: e === undefined ? 'unexpected error (no detail)' : String(e) };
}

/** every code once (the Record type makes the compiler check the list is complete) */
const CODE_TABLE: Record<ErrorCode, true> = {
  BAD_INPUT: true,
  NOT_FOUND: true,
  CONFLICT: true,
  BUSY: true,
  READ_ONLY: true,
  UNAVAILABLE: true,
  FITS_CORRUPT: true,
  FITS_TRUNCATED: true,
  FITS_UNSUPPORTED: true,
  IMAGE_CORRUPT: true,
  WORKSPACE_INVALID: true,
  WORKSPACE_LOCKED: true,
  MODEL_INVALID: true,
  MODEL_MISMATCH: true,
  PROVIDER_UNKNOWN: true,
  PROVIDER_UNAVAILABLE: true,
  NO_EMBEDDINGS: true,
  NO_INDEX: true,
  UNKNOWN_OBJECT: true,
  UNKNOWN_SEARCH: true,
  NETWORK: true,
  HTTP: true,
  CANCELLED: true,
  IO: true,
  INTERNAL: true,
};
const KNOWN_CODES = new Set(Object.keys(CODE_TABLE) as ErrorCode[]);

export function fromErrorData(d: ErrorData): AppError {
  return new AppError(d.code, d.message, d.detail);
}
