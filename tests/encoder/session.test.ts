/**
 * Encoder sessions on the real onnxruntime-node: one-by-one provider fallback
 * with recorded reasons, manifest/ONNX mismatch, corrupt files, unknown
 * providers, batch inference and the model registry.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProviderOrder, parseProviders } from '@main/node/encoder/providers';
import { Encoder } from '@main/node/encoder/session';
import { addModel, listModels, removeModel, resolveModel } from '@main/node/models/registry';
import { fixtures, tempDir, tinyModel } from './helpers';

const input = (n: number) => Float32Array.from({ length: n * 3 * 32 * 32 }, (_, i) => 0.5 * Math.sin(0.37 * i));

describe('provider fallback', () => {
  it('webgpu,cuda,dml,coreml,cpu: each tried alone, failures recorded, cpu runs', async () => {
    const enc = await Encoder.open(tinyModel, { providers: 'webgpu,cuda,dml,coreml,cpu' });
    try {
      expect(enc.provider).toBe('cpu');
      const byName = Object.fromEntries(enc.attempts.map((a) => [a.provider, a]));
      expect(enc.attempts.map((a) => a.provider)).toEqual(['webgpu', 'cuda', 'dml', 'coreml', 'cpu']);
      expect(byName.cpu.ok).toBe(true);
      for (const p of ['webgpu', 'cuda', 'dml', 'coreml']) {
        expect(byName[p].ok, `${p} should not run on this GPU-less Linux machine`).toBe(false);
        expect(byName[p].reason).toMatch(/\S/);
      }
      if (process.platform === 'linux') {
        expect(byName.dml.reason).toMatch(/not available on this platform/);
        expect(byName.coreml.reason).toMatch(/not available on this platform/);
      }
      expect(byName.cuda.reason).not.toContain('\n');
    } finally {
      await enc.release();
    }
  });

  it('cuda,cpu falls back to cpu (onnxruntime itself would throw)', async () => {
    const enc = await Encoder.open(tinyModel, { providers: ['cuda', 'cpu'] });
    expect(enc.provider).toBe('cpu');
    expect(enc.attempts[0]).toMatchObject({ provider: 'cuda', ok: false });
    await enc.release();
  });

  it('only unavailable providers → PROVIDER_UNAVAILABLE listing every reason', async () => {
    await expect(Encoder.open(tinyModel, { providers: 'dml,coreml' })).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringMatching(/dml: .*coreml: /),
    });
  });

  it('unknown provider names are refused', () => {
    expect(() => parseProviders('cuda,tpu')).toThrow(expect.objectContaining({ code: 'PROVIDER_UNKNOWN', message: expect.stringContaining("'tpu'") }));
    expect(defaultProviderOrder('linux').at(-1)).toBe('cpu');
    expect(defaultProviderOrder('win32')).toContain('dml');
    expect(defaultProviderOrder('darwin')).toContain('coreml');
  });
});

describe('model checks', () => {
  it('a manifest that disagrees with the ONNX inputs → MODEL_MISMATCH', async () => {
    await expect(Encoder.open(join(fixtures, 'tiny-mismatch'), { providers: 'cpu' })).rejects.toMatchObject({
      code: 'MODEL_MISMATCH',
      message: expect.stringMatching(/\[batch,3,48,48\].*\[batch,3,32,32\]/),
    });
  });

  it('wrong output names or dims → MODEL_MISMATCH (dry run)', async () => {
    const dir = tempDir('mm');
    for (const [mutate, re] of [
      [(m: any) => (m.outputs.embedding.dim = 32), /'embedding' is \[1,32\] but a dry run gives \[1,16\]/],
      [(m: any) => (m.outputs.patchTokens.grid = [2, 2]), /grid 2x2\) but a dry run gives \[1,16,8\]/],
      [(m: any) => (m.outputs.embedding.name = 'cls'), /output 'cls' is not an output/],
      [(m: any) => (m.input.name = 'pixels'), /input 'pixels' is not an input/],
    ] as const) {
      const d = join(dir, String(Math.random()).slice(2));
      cpSync(tinyModel, d, { recursive: true });
      const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
      mutate(m);
      writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
      await expect(Encoder.open(d, { providers: 'cpu' })).rejects.toMatchObject({ code: 'MODEL_MISMATCH', message: expect.stringMatching(re) });
    }
  });

  it('a corrupt ONNX file → MODEL_INVALID', async () => {
    await expect(Encoder.open(join(fixtures, 'tiny-corrupt'))).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringContaining('cannot load it'),
    });
  });
});

describe('inference', () => {
  it('batches give the same rows as single images, with patch tokens on request', async () => {
    const enc = await Encoder.open(tinyModel, { providers: 'cpu', threads: 1 });
    try {
      const x = input(3);
      const all = await enc.run(x, 3, { patchTokens: true });
      expect(all.embedding.length).toBe(3 * 16);
      expect(all.patchTokens!.length).toBe(3 * 16 * 8);
      const one = await enc.run(x.subarray(2 * 3072), 1);
      expect(one.patchTokens).toBeNull();
      for (let j = 0; j < 16; j++) expect(one.embedding[j]).toBeCloseTo(all.embedding[32 + j], 5);
      expect(enc.modelKey).toMatch(/^tiny-test-0\.0\.1-[0-9a-f]{8}$/);
    } finally {
      await enc.release();
    }
  });
});

describe('model registry', () => {
  const home = tempDir('home');
  const prev = process.env.LATENT_SKY_HOME;
  beforeAll(() => void (process.env.LATENT_SKY_HOME = home));
  afterAll(() => void (prev === undefined ? delete process.env.LATENT_SKY_HOME : (process.env.LATENT_SKY_HOME = prev)));

  it('adds (validated), resolves by name, lists and removes user models', async () => {
    await expect(addModel(join(fixtures, 'tiny-mismatch'))).rejects.toMatchObject({ code: 'MODEL_MISMATCH' });
    const m = await addModel(tinyModel);
    expect(m).toMatchObject({ name: 'tiny-test', version: '0.0.1', dim: 16, source: 'user', valid: true });
    expect(await resolveModel('tiny-test')).toBe(tinyModel);
    expect(await resolveModel('tiny-test@0.0.1')).toBe(tinyModel);
    await expect(resolveModel('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const copied = await addModel(tinyModel, { copy: true });
    expect(copied.path.startsWith(home)).toBe(true);
    const listed = (await listModels({ check: true })).filter((x) => x.source === 'user');
    expect(listed.map((x) => x.valid)).toEqual([true, true]);
    expect(removeModel(tinyModel)).toEqual([tinyModel]);
    expect((await listModels()).filter((x) => x.source === 'user').length).toBe(1);
  });
});
