import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** every file below dir (to look for leftover partial downloads) */
export function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}
