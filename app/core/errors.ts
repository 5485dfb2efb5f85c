/**
 * The one error type of Latent Sky. It has a stable `code` (machine-readable,
 * never reworded), a human `message` (one line, names the file/object/HDU
 * concerned) and optional structured `detail`. It survives IPC and the CLI
 * as plain data (see toErrorData / fromErrorData).
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

/** Any thrown value as ErrorData; unknown errors become INTERNAL with their message. */
export function toErrorData(e: unknown): ErrorData {
  if (e instanceof AppError) return e.toJSON();
  if (e instanceof Error) return { code: 'INTERNAL', message: e.message };
  // ErrorData that crossed a worker or process boundary as a plain object: keep its code and message
  if (e && typeof e === 'object') {
    const o = e as { code?: unknown; message?: unknown };
    const message = typeof o.message === 'string' ? o.message : safeJson(e);
    return { code: typeof o.code === 'string' && o.code ? (o.code as ErrorCode) : 'INTERNAL', message };
  }
  return { code: 'INTERNAL', message: String(e) };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v).slice(0, 500);
  } catch {
    return 'unknown error';
  }
}

export function fromErrorData(d: ErrorData): AppError {
  return new AppError(d.code, d.message, d.detail);
}
