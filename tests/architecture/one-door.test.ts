/**
 * One door, one policy: the same scenario (embed with a model other than the
 * workspace's first one, label, probe, export) run through the CLI commands
 * and through the contract on two identical workspaces gives the same active
 * model, the same ranking and byte-identical candidate files.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO, Command } from '@main/cli/command';
import { Engine } from '@main/node/services/engine';
import { CLASSES, makeFixtureWorkspace, FIXTURE_MODEL } from '../discovery/fixture-workspace';
import { tinyModel } from '../encoder/helpers';

const N = 240;
let root: string;

async function cli(name: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const command = (await import(`../../main/cli/commands/${name}.ts`)).default as Command;
  const out: string[] = [],
    err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, signal: new AbortController().signal };
  const code = await command.run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function labelsOf(dir: string) {
  const ws = makeFixtureWorkspace(dir, N, { seed: 5 });
  const truth = ws.truthColumn();
  ws.close();
  const lens = truth.flatMap((t, i) => (t === CLASSES[3] ? [i] : []));
  const other = truth.flatMap((t, i) => (t !== CLASSES[3] ? [i] : []));
  return { pos: lens.slice(0, 4), neg: other.slice(0, 6) };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ls-one-door-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the CLI and the contract through one door', () => {
  it('embed --model, probe and export agree', async () => {
    const a = join(root, 'cli'),
      b = join(root, 'contract');
    const { pos, neg } = labelsOf(a);
    expect(labelsOf(b)).toEqual({ pos, neg });

    // the CLI
    const emb = await cli('embed', [a, '--model', tinyModel, '--json']);
    expect(emb.code, emb.err).toBe(0);
    const tinyKey = JSON.parse(emb.out).info.modelKey as string;
    expect(tinyKey).not.toBe(FIXTURE_MODEL);
    const probe = await cli('probe', [
      a,
      '--search',
      'lenses',
      '--create',
      '--pos',
      pos.map((i) => `#${i}`).join(','),
      '--neg',
      neg.map((i) => `#${i}`).join(','),
      '--json',
    ]);
    expect(probe.code, probe.err).toBe(0);
    const round = JSON.parse(probe.out);
    const cliCsv = join(root, 'cli.csv');
    const exp = await cli('export', [a, '--search', 'lenses', '--format', 'csv', '--out', cliCsv, '--top', '50']);
    expect(exp.code, exp.err).toBe(0);

    // the contract
    const engine = new Engine({ stateDir: join(root, 'state'), modelsDir: join(root, 'models') });
    try {
      engine.open(b);
      const job = await engine.embeddings.startEmbed({ model: tinyModel });
      expect((await engine.waitForJob(job.id)).state).toBe('done');
      await engine.probe.create({ name: 'lenses', description: '' });
      for (const idx of pos) await engine.probe.setLabel({ search: 'lenses', idx, label: 'positive' });
      for (const idx of neg) await engine.probe.setLabel({ search: 'lenses', idx, label: 'negative' });
      const r = await engine.probe.retrain({ search: 'lenses' });
      const info = await engine.workspace.info({});
      const file = await engine.probe.exportRanked({ search: 'lenses', top: 50 });

      // one active-model policy: the model embedded last, in both
      expect(round.model).toBe(tinyKey);
      expect(info?.activeModel).toBe(tinyKey);
      // one probe round, one ranking
      expect(round.top.idx).toEqual(Array.from(r.ranked.subarray(0, round.top.idx.length)));
      expect(round.top.scores).toEqual(round.top.idx.map((i: number) => r.scores[i]));
      expect(round.suggestions.idx.slice(0, 5)).toEqual(Array.from(r.suggestions.subarray(0, 5)));
      // one candidate export
      const csv = readFileSync(file.path, 'utf8');
      expect(csv).toBe(readFileSync(cliCsv, 'utf8'));
      expect(csv.trim().split('\n')).toHaveLength(1 + pos.length + neg.length + 50);
    } finally {
      await engine.close();
    }
  }, 120_000);
});
