/**
 * Labels another process writes on the open workspace reach this engine's
 * clients: the CLI (`latent-sky probe`, a separate process with its own
 * SQLite connection) labels objects, and the engine that has the workspace
 * open emits 'labels' events with exactly those indices; its own writes are
 * announced once, not again by the watch; a round it records is announced as a
 * 'probe' event; disposing the session stops it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '@app/contracts';
import { Engine } from '@main/node/services/engine';
import { makeFixtureWorkspace } from '../discovery/fixture-workspace';
import { cliProcess } from '../helpers/cli-process';

const cli = (args: string[]) => cliProcess(args, join(dir, 'home'));

let dir: string;
let engine: Engine;
const events: Extract<EngineEvent, { type: 'labels' }>[] = [];
const rounds: Extract<EngineEvent, { type: 'probe' }>[] = [];

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ls-label-watch-'));
  const ws = makeFixtureWorkspace(join(dir, 'ws'), 120);
  ws.labels.createSearch('rings');
  ws.close();
  makeFixtureWorkspace(join(dir, 'other'), 20).close();
  engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), labelWatchMs: 50 });
  engine.onEvent((e) => {
    if (e.type === 'labels') events.push(e);
    if (e.type === 'probe') rounds.push(e);
  });
  await engine.workspace.open({ path: join(dir, 'ws') });
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('labels written by another process', () => {
  it('reach the open engine as label deltas with those indices', async () => {
    const r = await cli(['probe', join(dir, 'ws'), '--search', 'rings', '--pos', '#5,#7,obj-9', '--neg', '#11', '--top', '3', '--suggest', '0']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    await until(() => events.length >= 2);
    await new Promise((res) => setTimeout(res, 200));
    const pos = events.filter((e) => e.label === 'positive');
    const neg = events.filter((e) => e.label === 'negative');
    expect(pos).toHaveLength(1);
    expect(pos[0].search).toBe('rings');
    expect(Array.from(pos[0].indices).sort((a, b) => a - b)).toEqual([5, 7, 9]);
    expect(neg.map((e) => Array.from(e.indices))).toEqual([[11]]);
    expect(events).toHaveLength(2);
    // and the engine reads the same labels the other process wrote
    const codes = (await engine.probe.labels({ search: 'rings' })).codes;
    expect([5, 7, 9, 11].map((i) => codes[i] !== 0)).toEqual([true, true, true, true]);
    // the round that process recorded is announced once, and the engine's result is that round
    await until(() => rounds.length >= 1);
    expect(rounds).toEqual([{ type: 'probe', search: 'rings', round: 1 }]);
    expect((await engine.probe.result({ search: 'rings' }))?.round).toBe(1);
  }, 60_000);

  it("announces this engine's own writes once, and a cleared label as null", async () => {
    events.length = 0;
    await engine.probe.setLabels({ search: 'rings', indices: Int32Array.of(20, 21), label: 'unsure' });
    await new Promise((res) => setTimeout(res, 300)); // several watch ticks
    expect(events.map((e) => [e.label, Array.from(e.indices)])).toEqual([['unsure', [20, 21]]]);
    events.length = 0;
    const r = await cli(['probe', join(dir, 'ws'), '--search', 'rings', '--clear', '#5', '--top', '1', '--suggest', '0']);
    expect(r.code).toBe(0);
    await until(() => events.length >= 1);
    expect(events.map((e) => [e.label, Array.from(e.indices)])).toEqual([[null, [5]]]);
  }, 60_000);

  it('stops watching when the session is disposed', async () => {
    const first = engine.ctx.session!;
    expect(first.openHandles().watching).toBe(true);
    for (const j of await engine.jobs.list()) if (j.state === 'running') await engine.waitForJob(j.id);
    await engine.workspace.open({ path: join(dir, 'other') });
    expect(first.disposed).toBe(true);
    expect(first.openHandles().watching).toBe(false);
    expect(engine.ctx.session!.openHandles().watching).toBe(true);
  });
});
