/**
 * Labels in one encoding (app/core/labels.ts): the label store hands out
 * columns in it, the names convert there and back, and no other source file
 * keeps a map between label names and numbers (the SQLite file format's stored
 * integers live only inside main/node/workspace/labels.ts).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countLabels, isLabel, LABEL_NEGATIVE, LABEL_NONE, LABEL_POSITIVE, LABEL_UNSURE, LABELS, labelCode, labelOfCode } from '@app/core/labels';
import { makeFixtureWorkspace } from '../discovery/fixture-workspace';

const root = resolve(__dirname, '..', '..');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** a label name paired with a number or a LABEL_ code: `positive: 1`, `[LABEL_X, 'positive']`, `c === 1 ? LABEL_X`, LABEL_CODE */
const NAME_TO_NUMBER = new RegExp(
  [
    String.raw`\b(positive|negative|unsure)['"]?\s*:\s*(-?\d|LABEL_)`,
    String.raw`\[\s*(-?\d+|LABEL_[\w.]+)\s*,\s*['"](positive|negative|unsure)['"]`,
    String.raw`===\s*(-?\d+|LABEL_\w+)\s*\?\s*(['"](positive|negative|unsure)['"]|LABEL_)`,
    String.raw`\bLABEL_CODE\b`,
  ].join('|'),
);

describe('label codes', () => {
  it('convert in one place, both ways', () => {
    for (const l of LABELS) expect(labelOfCode(labelCode(l))).toBe(l);
    expect(labelCode(null)).toBe(LABEL_NONE);
    expect(labelOfCode(LABEL_NONE)).toBeNull();
    expect(labelOfCode(9)).toBeNull();
    expect([isLabel('unsure'), isLabel('toString'), isLabel(1)]).toEqual([true, false, false]);
    expect(new Set([LABEL_NONE, LABEL_POSITIVE, LABEL_NEGATIVE, LABEL_UNSURE]).size).toBe(4);
    expect(countLabels(Uint8Array.of(1, 2, 2, 3, 0, 1, 1))).toEqual({ positives: 3, negatives: 2, unsure: 1 });
  });

  it('the label store hands out columns in that encoding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-label-codes-'));
    try {
      const ws = makeFixtureWorkspace(join(dir, 'ws'), 12);
      ws.labels.createSearch('s');
      ws.labels.setMany('s', [
        { idx: 1, label: 'positive' },
        { idx: 2, label: 'negative' },
        { idx: 3, label: 'unsure' },
      ]);
      const col = ws.labels.column('s');
      expect(col).toBeInstanceOf(Uint8Array);
      expect(Array.from(col.subarray(0, 5))).toEqual([LABEL_NONE, LABEL_POSITIVE, LABEL_NEGATIVE, LABEL_UNSURE, LABEL_NONE]);
      ws.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no other source file maps label names to numbers', () => {
    const allowed = new Set(['app/core/labels.ts', 'main/node/workspace/labels.ts']);
    const offenders = ['app', 'main', 'renderer/src']
      .flatMap((d) => walk(join(root, d)))
      .map((f) => relative(root, f).split(sep).join('/'))
      .filter((f) => !allowed.has(f) && NAME_TO_NUMBER.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
