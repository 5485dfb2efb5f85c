/**
 * The WebGPU execution provider on software Vulkan (SwiftShader from Debian's
 * chromium package), in a child process with the ICD environment set: the
 * GPU code path runs in CI and its embeddings must agree with CPU's.
 * Skipped, with the reason printed, where no SwiftShader Vulkan ICD exists.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '@main/node/workspace';
import { cli, makeWorkspace, tempDir, tinyModel } from './helpers';

const LIB = '/usr/lib/chromium';
const ICD = join(LIB, 'vk_swiftshader_icd.json');
const haveIcd = existsSync(ICD) && existsSync(join(LIB, 'libvulkan.so.1'));
if (!haveIcd) console.log(`skipping WebGPU tests: no SwiftShader Vulkan ICD at ${ICD} (apt-get install chromium)`);

const N = 48;

function readAll(ws: string, key: string): Float32Array {
  const w = Workspace.open(ws, { readonly: true });
  try {
    return w.embeddings(key).readAll();
  } finally {
    w.close();
  }
}

describe.skipIf(!haveIcd)('webgpu on SwiftShader', () => {
  const dir = tempDir('webgpu');
  const env = { LATENT_SKY_HOME: join(dir, 'home'), LD_LIBRARY_PATH: LIB, VK_ICD_FILENAMES: ICD };
  beforeAll(() => {
    makeWorkspace(join(dir, 'cpu'), N, 5);
    makeWorkspace(join(dir, 'gpu'), N, 5);
  });

  it('webgpu,cpu runs on webgpu and matches the CPU embeddings', () => {
    const gpu = cli(['embed', join(dir, 'gpu'), '--model', tinyModel, '--providers', 'webgpu,cpu', '--batch', '16', '--json'], env);
    expect(gpu.code, gpu.stderr).toBe(0);
    const g = JSON.parse(gpu.stdout);
    expect(g.info.provider).toBe('webgpu');
    expect(g.info.attempts[0]).toMatchObject({ provider: 'webgpu', ok: true });
    expect(g.encoded).toBe(N);
    const cpu = cli(['embed', join(dir, 'cpu'), '--model', tinyModel, '--providers', 'cpu', '--json'], env);
    expect(cpu.code, cpu.stderr).toBe(0);
    const key = g.info.modelKey;
    const a = readAll(join(dir, 'gpu'), key);
    const b = readAll(join(dir, 'cpu'), key);
    let maxDiff = 0,
      maxAbs = 0;
    for (let i = 0; i < a.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
      maxAbs = Math.max(maxAbs, Math.abs(b[i]));
    }
    console.log(`webgpu vs cpu: max |diff| ${maxDiff.toExponential(2)} (max |value| ${maxAbs.toFixed(2)})`);
    expect(maxAbs).toBeGreaterThan(0.1);
    expect(maxDiff).toBeLessThan(1e-3 * Math.max(1, maxAbs));
  });

  it('without the Vulkan ICD, webgpu,cpu falls back to cpu and says why', () => {
    const r = cli(['embed', join(dir, 'cpu'), '--model', tinyModel, '--providers', 'webgpu,cpu', '--force', '--json'], {
      LATENT_SKY_HOME: env.LATENT_SKY_HOME,
      VK_ICD_FILENAMES: '/nonexistent.json',
      LD_LIBRARY_PATH: '',
    });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.info.provider).toBe('cpu');
    expect(j.info.attempts[0]).toMatchObject({ provider: 'webgpu', ok: false, reason: expect.stringMatching(/adapter/i) });
    expect(r.stderr).toMatch(/not used: webgpu: /);
  });
});
