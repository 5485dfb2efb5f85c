/**
 * Hand-written input validators. Every value that arrives from the renderer
 * (or a WebSocket client) is checked before it reaches a service: types,
 * ranges, idx within [0, N), bounded strings. A failure is BAD_INPUT naming
 * the channel and the field.
 */
import { AppError } from '../core/errors';

/** what a validator may need to know about the open workspace, and which paths the caller may name */
export interface ValidationContext {
  /** number of objects in the open workspace, null when none is open */
  count: number | null;
  /**
   * throws BAD_INPUT unless `path` lies inside a folder the person chose (the engine's path guard,
   * main/node/security/path-guard.ts); absent = paths are not limited (tests of the schemas alone)
   */
  paths?: (path: string, where: string, field: string) => void;
}

export type Validator<T> = (input: unknown, ctx: ValidationContext, where: string) => T;

export const MAX_NAME = 80;
export const MAX_NOTE = 2000;
export const MAX_PATH = 4096;

/** a path field: bounded, no NUL, and inside the caller's allowed folders */
export function path(v: unknown, ctx: ValidationContext, where: string, field = 'path'): string {
  const p = str(v, where, field, MAX_PATH, { min: 1 });
  ctx.paths?.(p, where, field);
  return p;
}

function bad(where: string, what: string): never {
  throw new AppError('BAD_INPUT', `${where}: ${what}`);
}

export function record(input: unknown, where: string, keys: string[]): Record<string, unknown> {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input) || ArrayBuffer.isView(input)) bad(where, 'input must be an object');
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k)) bad(where, `unexpected field '${k}'`);
  return o;
}

export function str(v: unknown, where: string, field: string, max: number, opts: { min?: number; pattern?: RegExp } = {}): string {
  if (typeof v !== 'string') bad(where, `${field} must be a string`);
  if (v.length < (opts.min ?? 0)) bad(where, `${field} must not be empty`);
  if (v.length > max) bad(where, `${field} is longer than ${max} characters`);
  if (v.includes('\0')) bad(where, `${field} contains a NUL character`);
  if (opts.pattern && !opts.pattern.test(v)) bad(where, `${field} '${v}' has characters outside ${opts.pattern.source}`);
  return v;
}

export function int(v: unknown, where: string, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) bad(where, `${field} must be an integer`);
  if (v < min || v > max) bad(where, `${field} must be in [${min}, ${max}], got ${v}`);
  return v;
}

export function oneOf<T extends string | number | null>(v: unknown, where: string, field: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) bad(where, `${field} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  return v as T;
}

/** an object index of the open workspace */
export function idx(v: unknown, ctx: ValidationContext, where: string, field = 'idx'): number {
  if (ctx.count === null) throw new AppError('WORKSPACE_INVALID', `${where}: no workspace is open`);
  if (typeof v !== 'number' || !Number.isInteger(v)) bad(where, `${field} must be an integer`);
  if (v < 0 || v >= ctx.count) throw new AppError('UNKNOWN_OBJECT', `${where}: ${field} ${v} is outside [0, ${ctx.count})`);
  return v;
}

/** a name of a search or vetting list: letters, digits, space, - _ . */
export function name(v: unknown, where: string, field = 'name'): string {
  return str(v, where, field, MAX_NAME, { min: 1, pattern: /^[\w .-]+$/ });
}

export function array<T>(v: unknown, where: string, field: string, max: number, each: (x: unknown) => T): T[] {
  if (!Array.isArray(v)) bad(where, `${field} must be an array`);
  if (v.length > max) bad(where, `${field} has more than ${max} items`);
  return v.map(each);
}

/** a non-empty Int32Array of object indices of the open workspace (a selection) */
export function indices(v: unknown, ctx: ValidationContext, where: string, field = 'indices', max = 1_000_000): Int32Array {
  if (ctx.count === null) throw new AppError('WORKSPACE_INVALID', `${where}: no workspace is open`);
  if (!(v instanceof Int32Array)) bad(where, `${field} must be an Int32Array`);
  if (v.length === 0) bad(where, `${field} must not be empty`);
  if (v.length > max) bad(where, `${field} has more than ${max} items`);
  for (const i of v) if (i < 0 || i >= ctx.count) throw new AppError('UNKNOWN_OBJECT', `${where}: ${field} holds ${i}, outside [0, ${ctx.count})`);
  return v;
}
