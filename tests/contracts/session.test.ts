/**
 * The per-workspace session owns the workspace, its caches and the encoder
 * session of patch overlays; switching to another workspace or closing the
 * engine releases them (counted, not assumed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '@main/node/services/engine';
import { makeFixtureWorkspace } from '../discovery/fixture-workspace';
import { tinyModel } from '../encoder/helpers';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ls-session-'));
  makeFixtureWorkspace(join(root, 'a'), 60).close();
  makeFixtureWorkspace(join(root, 'b'), 30).close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('workspace session', () => {
  it('switching and closing release the encoder session, the caches and the workspace', async () => {
    const engine = new Engine({ stateDir: join(root, 'state'), modelsDir: join(root, 'models') });
    await engine.workspace.open({ path: join(root, 'a') });
    const job = await engine.embeddings.startEmbed({ model: tinyModel });
    expect((await engine.waitForJob(job.id)).state).toBe('done');
    await engine.catalog.positions({});
    const first = (await engine.patches.overlay({ idx: 3 })).rgb;
    expect((await engine.patches.overlay({ idx: 3 })).rgb).toEqual(first); // second time from the token cache
    const a = engine.ctx.session!;
    expect(a.openHandles()).toMatchObject({ encoders: 1, workspace: true });
    expect(a.openHandles().cached).toBeGreaterThan(0);

    for (const j of await engine.jobs.list()) if (j.state === 'running') await engine.waitForJob(j.id);
    await engine.workspace.open({ path: join(root, 'b') });
    await new Promise((r) => setTimeout(r, 50));
    expect(a.disposed).toBe(true);
    expect(a.openHandles()).toEqual({ encoders: 0, cached: 0, workspace: false, watching: false });
    const b = engine.ctx.session!;
    expect(b).not.toBe(a);
    expect(b.ws.count()).toBe(30);

    for (const j of await engine.jobs.list()) if (j.state === 'running') await engine.waitForJob(j.id);
    await engine.close();
    expect(b.disposed).toBe(true);
    expect(b.openHandles().workspace).toBe(false);
  }, 60_000);
});
