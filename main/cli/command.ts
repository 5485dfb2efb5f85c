import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '@app/core/errors';

/** What every file in main/cli/commands/ exports as its default. */
export interface Command {
  /** one line for `latent-sky --help` */
  summary: string;
  /** full usage text, printed by `latent-sky help NAME` and on a usage error */
  usage: string;
  /** returns the process exit code */
  run(argv: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** true when stderr is a terminal (progress bars) */
  isTTY: boolean;
  /** aborted on SIGINT / SIGTERM */
  signal: AbortSignal;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with our error type: a bad flag is a BAD_INPUT (exit 2). */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new AppError('BAD_INPUT', `${(e as Error).message}\n${usage}`);
  }
}

export function requirePositional(positionals: string[], i: number, name: string, usage: string): string {
  const v = positionals[i];
  if (v === undefined || v === '') throw new AppError('BAD_INPUT', `missing ${name}\n${usage}`);
  return v;
}

export function parseIntFlag(v: string | undefined, name: string, dflt: number, min = 1): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new AppError('BAD_INPUT', `--${name} must be an integer >= ${min}, got '${v}'`);
  return n;
}

export function parseNumberFlag(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new AppError('BAD_INPUT', `--${name} must be a number, got '${v}'`);
  return n;
}

/** JSON for --json output: typed arrays become plain arrays, NaN becomes null. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      return v;
    },
    2,
  );
}
