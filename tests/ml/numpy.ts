/**
 * Run a numpy snippet in the system Python (/usr/bin/python3, which has
 * numpy/astropy) on JSON input and return its JSON output: reference values
 * are computed at test time by an independent implementation.
 */
import { execFileSync } from 'node:child_process';

export function numpy<T>(script: string, input: unknown): T {
  const prelude = 'import sys, json\nimport numpy as np\ninp = json.load(sys.stdin)\n';
  const out = execFileSync('/usr/bin/python3', ['-c', prelude + script], {
    input: JSON.stringify(input, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v)),
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out.toString()) as T;
}
