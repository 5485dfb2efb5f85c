/**
 * ONNX Runtime execution providers: names we know, the default preference
 * order per platform, and what this build of onnxruntime-node ships.
 *
 * onnxruntime-node 1.30 does not fall back by itself: ['webgpu','cpu'] and
 * ['cuda','cpu'] throw at session creation, while ['dml','cpu'] /
 * ['coreml','cpu'] on Linux quietly run on CPU. So sessions are always created
 * with ONE provider at a time (session.ts) and a provider this platform cannot
 * have is reported as such instead of being "tried".
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { AppError } from '@app/core/errors';

export const KNOWN_PROVIDERS = ['cuda', 'tensorrt', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof KNOWN_PROVIDERS)[number];

/** The platforms on which a provider can exist at all (by onnxruntime-node's build matrix). */
const PLATFORMS: Record<ProviderName, NodeJS.Platform[] | null> = {
  cuda: ['linux', 'win32'],
  tensorrt: ['linux', 'win32'],
  dml: ['win32'],
  coreml: ['darwin'],
  webgpu: null,
  cpu: null,
};

export interface BackendInfo {
  name: string;
  /** shipped inside the onnxruntime-node package (cuda/tensorrt need extra libraries) */
  bundled: boolean;
}

let ortQuiet = false;

/** The onnxruntime-node module with its native logging set to 'fatal' (we record failures ourselves). */
export function ortModule(): typeof ort {
  if (!ortQuiet) {
    ort.env.logLevel = (process.env.LATENT_SKY_ORT_LOG as typeof ort.env.logLevel) ?? 'fatal';
    ortQuiet = true;
  }
  return ort;
}

export function supportedBackends(): BackendInfo[] {
  return ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
}

/**
 * Why a provider cannot be tried here, or null when it can. Unknown names are
 * an error (PROVIDER_UNKNOWN), not a reason.
 */
export function unavailableReason(p: ProviderName, platform: NodeJS.Platform = process.platform): string | null {
  const on = PLATFORMS[p];
  if (on && !on.includes(platform)) return `not available on this platform (${platform})`;
  if (!supportedBackends().some((b) => b.name === p)) return `not in this onnxruntime-node build (${platform}/${process.arch})`;
  // On Linux WebGPU (Dawn) goes through Vulkan: without the loader no adapter can exist, and trying
  // only makes Dawn print a native warning. Checked up front so the reason is clear and stderr stays clean.
  if (p === 'webgpu' && platform === 'linux' && !vulkanLoaderFound()) return 'no WebGPU adapter possible: the Vulkan loader (libvulkan.so.1) is not installed';
  return null;
}

/** Whether libvulkan.so.1 is on the dynamic loader's path (LD_LIBRARY_PATH, ld.so.conf.d, the usual lib folders). */
function vulkanLoaderFound(): boolean {
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  try {
    for (const f of readdirSync('/etc/ld.so.conf.d')) {
      for (const line of readFileSync(join('/etc/ld.so.conf.d', f), 'utf8').split('\n')) if (line.startsWith('/')) dirs.push(line.trim());
    }
  } catch {
    // no ld.so.conf.d: the standard folders below still count
  }
  const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
  dirs.push(`/lib/${arch}-linux-gnu`, `/usr/lib/${arch}-linux-gnu`, '/lib64', '/usr/lib64', '/lib', '/usr/lib', '/usr/local/lib');
  return dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')));
}

/** Default preference: cuda, dml (Windows), coreml (macOS), webgpu where bundled, then cpu. */
export function defaultProviderOrder(platform: NodeJS.Platform = process.platform): ProviderName[] {
  const bundled = new Set(
    supportedBackends()
      .filter((b) => b.bundled)
      .map((b) => b.name),
  );
  const order: ProviderName[] = ['cuda'];
  if (platform === 'win32') order.push('dml');
  if (platform === 'darwin') order.push('coreml');
  if (bundled.has('webgpu')) order.push('webgpu');
  order.push('cpu');
  return order;
}

/** Parse "cuda,cpu" (or a list); unknown names → AppError('PROVIDER_UNKNOWN'). Duplicates are dropped. */
export function parseProviders(spec: string | string[]): ProviderName[] {
  const names = (Array.isArray(spec) ? spec : spec.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) throw new AppError('PROVIDER_UNKNOWN', 'no execution provider named (use e.g. --providers cuda,cpu)');
  for (const n of names) {
    if (!(KNOWN_PROVIDERS as readonly string[]).includes(n)) {
      throw new AppError('PROVIDER_UNKNOWN', `unknown execution provider '${n}' (known: ${KNOWN_PROVIDERS.join(', ')})`);
    }
  }
  return [...new Set(names)] as ProviderName[];
}
