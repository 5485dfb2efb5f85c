/** No source line in app/ or main/ runs over 200 characters (long messages are joined templates, long lists wrap). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
const MAX = 200;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|mjs|svelte)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

describe('line length', () => {
  it(`no line of app/ or main/ is over ${MAX} characters`, () => {
    const long: string[] = [];
    for (const f of ['app', 'main'].flatMap((d) => walk(join(root, d)))) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (line.length > MAX) long.push(`${relative(root, f).split(sep).join('/')}:${i + 1} (${line.length})`);
        });
    }
    expect(long).toEqual([]);
  });
});
