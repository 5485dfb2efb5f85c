/**
 * Installed models through the contract: the list the model picker shows,
 * adding a user's model folder (validated like `latent-sky models --add`:
 * a folder whose ONNX file disagrees with its manifest is refused with
 * MODEL_MISMATCH), and an embedding job run with the chosen model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '@app/contracts';
import { startDevHost, type DevHost } from '@main/devhost/server';
import { writeDemoSurvey } from '@main/node/discovery/demo-workspace';
import { Engine } from '@main/node/services/engine';
import { connectNodeBridge } from './ws-client';

const FIX = resolve('tests/fixtures/models');
const N = 24;
let dir: string;
let engine: Engine;
let host: DevHost;
let bridge: Awaited<ReturnType<typeof connectNodeBridge>>;
let api: ReturnType<typeof createApiClient>;
const savedHome = process.env.LATENT_SKY_HOME;

describe('models through the contract', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ls-models-'));
    process.env.LATENT_SKY_HOME = join(dir, 'home');
    await writeDemoSurvey({ path: join(dir, 'ws'), count: N, seed: 9 }, () => undefined, new AbortController().signal);
    engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), roots: [dir, FIX] });
    host = await startDevHost({ engine, context: engine.validationContext, rendererDir: join(dir, 'www'), port: 0 });
    bridge = await connectNodeBridge(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
    api = createApiClient(bridge);
  }, 60_000);

  afterAll(async () => {
    bridge?.close();
    await host?.close();
    await engine?.close();
    if (savedHome === undefined) delete process.env.LATENT_SKY_HOME;
    else process.env.LATENT_SKY_HOME = savedHome;
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a valid model folder and lists it as a user model', async () => {
    const before = await api.models.list({});
    expect(before.some((m) => m.source === 'user')).toBe(false);
    const m = await api.models.add({ path: join(FIX, 'tiny') });
    expect(m).toMatchObject({ name: 'tiny-test', version: '0.0.1', source: 'user', valid: true, path: join(FIX, 'tiny'), problem: null });
    expect(m.dim).toBeGreaterThan(0);
    const after = await api.models.list({});
    expect(after.filter((x) => x.source === 'user').map((x) => x.name)).toEqual(['tiny-test']);
  });

  it('refuses a folder whose ONNX file disagrees with its manifest, a missing folder and a relative path', async () => {
    await expect(api.models.add({ path: join(FIX, 'tiny-mismatch') })).rejects.toMatchObject({ code: 'MODEL_MISMATCH' });
    await expect(api.models.add({ path: join(dir, 'nope') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.models.add({ path: 'tests/fixtures/models/tiny' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(api.models.add({ path: '' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect((await api.models.list({})).filter((x) => x.source === 'user')).toHaveLength(1);
  });

  it('embeds with the chosen model', async () => {
    await api.workspace.open({ path: join(dir, 'ws') });
    await expect(api.embeddings.startEmbed({ model: 'no-such-model' }).then((j) => engine.waitForJob(j.id))).resolves.toMatchObject({
      state: 'failed',
      error: { code: 'NOT_FOUND' },
    });
    const job = await api.embeddings.startEmbed({ model: 'tiny-test@0.0.1' });
    const end = await engine.waitForJob(job.id);
    expect(end.error).toBeNull();
    const info = (await api.workspace.info({}))!;
    expect(info.activeModel).toMatch(/^tiny-test/);
    expect(info.index.state).toBe('ready');
    const dim = (await api.models.list({})).find((x) => x.name === 'tiny-test')!.dim!;
    expect((await api.search.neighbours({ idx: 0, k: 5 })).neighbours.length).toBe(5);
    expect(info.models).toContain(info.activeModel);
    expect(dim).toBeGreaterThan(0);
  });

  it("places the patch overlay over the model's centre crop (32 of 64 px: the middle half)", async () => {
    const o = await api.patches.overlay({ idx: 3 });
    expect([o.rows, o.cols, o.rgb.length]).toEqual([4, 4, 48]);
    expect(o.region).toEqual({ left: 0.25, top: 0.25, width: 0.5, height: 0.5 });
  });
});
