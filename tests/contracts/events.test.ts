/**
 * Events carry deltas: opening a workspace announces it once (the index job
 * reports through 'index' events), a bulk label is one call, one
 * transaction and one 'labels' event with the indices, and a second client
 * of the same engine sees it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '@app/contracts';
import { Engine } from '@main/node/services/engine';
import { makeFixtureWorkspace } from '../discovery/fixture-workspace';

const N = 600;
let root: string;
let engine: Engine;
const events: EngineEvent[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ls-events-'));
  makeFixtureWorkspace(join(root, 'ws'), N).close();
  engine = new Engine({ stateDir: join(root, 'state'), modelsDir: join(root, 'models') });
  engine.onEvent((e) => events.push(e));
});
afterAll(async () => {
  await engine.close();
  rmSync(root, { recursive: true, force: true });
});

const of = <T extends EngineEvent['type']>(type: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);

describe('engine events', () => {
  it('opening a workspace is one workspace event; the index reports by delta', async () => {
    await engine.workspace.open({ path: join(root, 'ws') });
    const job = (await engine.jobs.list()).find((j) => j.kind === 'index');
    expect(job).toBeDefined();
    await engine.waitForJob(job!.id);
    expect(of('workspace')).toHaveLength(1);
    const index = of('index');
    expect(index.map((e) => e.index.state)).toEqual(['building', 'ready']);
    expect(index[1]).toMatchObject({ model: 'test-model', index: { state: 'ready', size: N } });
  });

  it('labelling 500 selected objects is one call and one labels event with the indices', async () => {
    await engine.probe.create({ name: 'rings', description: '' });
    const second: EngineEvent[] = [];
    const off = engine.onEvent((e) => second.push(e));
    const indices = Int32Array.from({ length: 500 }, (_, i) => i + 50);
    const before = of('labels').length;
    const info = await engine.probe.setLabels({ search: 'rings', indices, label: 'negative' });
    off();
    expect(info.negatives).toBe(500);
    const delta = of('labels').slice(before);
    expect(delta).toHaveLength(1);
    expect(delta[0]).toMatchObject({ search: 'rings', label: 'negative' });
    expect(Array.from(delta[0].indices)).toEqual(Array.from(indices));
    // another client of the engine got the same delta
    expect(second.filter((e) => e.type === 'labels')).toHaveLength(1);
    const codes = (await engine.probe.labels({ search: 'rings' })).codes;
    expect(codes.reduce((a, c) => a + (c ? 1 : 0), 0)).toBe(500);
    await expect(engine.probe.setLabels({ search: 'nope', indices, label: 'positive' })).rejects.toMatchObject({ code: 'UNKNOWN_SEARCH' });
  });
});
