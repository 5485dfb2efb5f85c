/**
 * Encoder throughput on CPU: images/s of the default model at batch 1/16/64
 * (ONNX Runtime via onnxruntime-node, preprocessed input, outputs copied out),
 * next to the same network with the same weights in PyTorch in the same run
 * (PyTorch gets the better of 1 and N threads: with OpenBLAS, N torch threads
 * can be slower; ls-vit-tiny: its backbone.pt through native-models/ls-vit-tiny/export.py;
 * the tiny fixture: make_tiny.py's TinyConv, seed 7). Also the preprocessing
 * rate, the model's FLOPs per image counted from the ONNX graph (MatMul, Gemm,
 * Conv after shape inference at batch 1, 2 FLOPs per multiply-add), and the
 * fraction of this machine's measured peak that implies. Peak = the best of
 * 5 runs of a 1024^3 float32 MatMul through onnxruntime-node with the same
 * thread count (2*1024^3 FLOPs / time).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { createRng } from '@app/core/rng';
import { Preprocessor } from '@app/encoder/preprocess';
import { Encoder } from '@main/node/encoder/session';

interface Row {
  operation: string;
  size: string;
  timeMs: number;
  throughput: number;
  unit: string;
  baseline?: { name: string; throughput: number };
  ratio?: number;
  note?: string;
}

const root = resolve(import.meta.dirname, '..', '..');
const PY = '/usr/bin/python3';
const BATCHES = [1, 16, 64];

const PY_TORCH = `
import json, sys, time, torch
kind, path, threads, batches = sys.argv[1], sys.argv[2], int(sys.argv[3]), [int(b) for b in sys.argv[4].split(',')]
if kind == 'vit':
    sys.path.insert(0, path)
    from export import Exported, load_model
    m, _ = load_model(checkpoint=path + '/backbone.pt'); net = Exported(m).eval(); size = 64
else:
    sys.path.insert(0, path)
    from make_tiny import TinyConv
    torch.manual_seed(7); net = TinyConv().eval(); size = 32
out = {}
with torch.no_grad():
    for b in batches:
        x = torch.randn(b, 3, size, size)
        for th in sorted({1, threads}):
            torch.set_num_threads(th)
            for _ in range(3): net(x)
            n, t0 = 0, time.perf_counter()
            while time.perf_counter() - t0 < 1.0:
                net(x); n += b
            rate = n / (time.perf_counter() - t0)
            if rate > out.get(b, [0])[0]: out[b] = [rate, th]
print(json.dumps(out))
`;

const PY_FLOPS = `
import json, sys, onnx
from onnx import shape_inference
m = onnx.load(sys.argv[1])
inits = {t.name for t in m.graph.initializer}
for i in m.graph.input:
    if i.name in inits or not i.type.tensor_type.shape.dim:
        continue  # older exporters list weights (and scalars) as graph inputs
    d = i.type.tensor_type.shape.dim[0]
    d.ClearField('dim_param'); d.dim_value = 1
m = shape_inference.infer_shapes(m, data_prop=True)
shapes = {}
for v in list(m.graph.value_info) + list(m.graph.input) + list(m.graph.output):
    shapes[v.name] = [d.dim_value for d in v.type.tensor_type.shape.dim]
for t in m.graph.initializer:
    shapes[t.name] = list(t.dims)
prod = lambda xs: eval('*'.join(str(x) for x in xs) or '1')
flops, unknown = 0, 0
for n in m.graph.node:
    try:
        if n.op_type == 'MatMul':
            a, b = shapes[n.input[0]], shapes[n.input[1]]
            out = shapes[n.output[0]]
            flops += 2 * prod(out) * a[-1]
        elif n.op_type == 'Gemm':
            out = shapes[n.output[0]]; a = shapes[n.input[0]]
            trans = any(at.name == 'transA' and at.i for at in n.attribute)
            flops += 2 * prod(out) * (a[0] if trans else a[-1])
        elif n.op_type == 'Conv':
            w = shapes[n.input[1]]; out = shapes[n.output[0]]
            flops += 2 * prod(out) * prod(w[1:])
    except (KeyError, IndexError):
        unknown += 1
print(json.dumps({'flops': flops, 'unknown': unknown}))
`;

const PY_MATMUL = `
import sys, onnx
from onnx import TensorProto, helper
a = helper.make_tensor_value_info('A', TensorProto.FLOAT, ['M', 'K'])
b = helper.make_tensor_value_info('B', TensorProto.FLOAT, ['K', 'N'])
y = helper.make_tensor_value_info('Y', TensorProto.FLOAT, ['M', 'N'])
g = helper.make_graph([helper.make_node('MatMul', ['A', 'B'], ['Y'])], 'mm', [a, b], [y])
m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 17)]); m.ir_version = 8
onnx.save(m, sys.argv[1])
`;

function py(script: string, args: string[]): string | null {
  if (!existsSync(PY)) return null;
  try {
    return execFileSync(PY, ['-c', script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 })
      .trim()
      .split('\n')
      .at(-1)!;
  } catch (e) {
    return `ERROR ${(e as { stderr?: string }).stderr?.split('\n').filter(Boolean).at(-1) ?? (e as Error).message}`;
  }
}

function torchVersion(): string {
  return py('import torch; print(torch.__version__)', []) ?? '?';
}

function pickModel(): { dir: string; kind: 'vit' | 'tiny'; note: string } {
  const vit = join(root, 'native-models', 'ls-vit-tiny');
  if (existsSync(join(vit, 'manifest.json')) && existsSync(join(vit, 'model.onnx'))) return { dir: vit, kind: 'vit', note: 'default model ls-vit-tiny' };
  return {
    dir: join(root, 'tests', 'fixtures', 'models', 'tiny'),
    kind: 'tiny',
    note: 'native-models/ls-vit-tiny has no model.onnx yet: tiny test model (tests/fixtures/models/tiny) instead',
  };
}

async function peakGflops(threads: number): Promise<number | null> {
  const dir = mkdtempSync(join(tmpdir(), 'ls-bench-mm-'));
  const path = join(dir, 'mm.onnx');
  if (py(PY_MATMUL, [path]) === null || !existsSync(path)) return null;
  const s = await ort.InferenceSession.create(path, { executionProviders: ['cpu'], intraOpNumThreads: threads });
  const n = 1024;
  const rng = createRng(1);
  const a = new ort.Tensor(
    'float32',
    Float32Array.from({ length: n * n }, () => rng.normal()),
    [n, n],
  );
  let best = Infinity;
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    await s.run({ A: a, B: a });
    if (i > 0) best = Math.min(best, performance.now() - t0);
  }
  await s.release();
  return (2 * n ** 3) / (best / 1000) / 1e9;
}

/** the other committed encoders (fp32 and int8 exports of ls-vit-lsb): onnxruntime rate at each batch size */
const ALTERNATIVES = ['ls-vit-lsb', 'ls-vit-lsb-int8'];

async function alternativeRows(threads: number): Promise<Row[]> {
  const rows: Row[] = [];
  const rng = createRng(5);
  for (const name of ALTERNATIVES) {
    const dir = join(root, 'native-models', name);
    if (!existsSync(join(dir, 'manifest.json'))) continue;
    const enc = await Encoder.open(dir, { providers: 'cpu', threads });
    const [c, h, w] = enc.inputShape;
    for (const b of BATCHES) {
      const x = Float32Array.from({ length: b * c * h * w }, () => rng.normal());
      for (let i = 0; i < 3; i++) await enc.run(x, b);
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 1500) {
        await enc.run(x, b);
        n += b;
      }
      const ms = performance.now() - t0;
      rows.push({
        operation: `encode ${enc.manifest.name} (onnxruntime cpu, ${threads} threads)`,
        size: `batch ${b}`,
        timeMs: ms / (n / b),
        throughput: n / (ms / 1000),
        unit: 'images/s',
        note: `native-models/${name}`,
      });
    }
    await enc.release();
  }
  return rows;
}

export default {
  name: 'encoder',
  async run(): Promise<Row[]> {
    const { dir, kind, note } = pickModel();
    const threads = availableParallelism();
    const enc = await Encoder.open(dir, { providers: 'cpu', threads });
    const rows: Row[] = [];
    const [c, h, w] = enc.inputShape;
    const rng = createRng(3);
    const torchOut = py(PY_TORCH, [kind, kind === 'vit' ? dir : resolve(dir, '..'), String(threads), BATCHES.join(',')]);
    const torchRates: Record<string, [number, number]> | null = torchOut && !torchOut.startsWith('ERROR') ? JSON.parse(torchOut) : null;
    const torchWhy = torchOut === null ? `${PY} not found` : torchOut.startsWith('ERROR') ? torchOut.slice(6) : '';
    for (const b of BATCHES) {
      const x = Float32Array.from({ length: b * c * h * w }, () => rng.normal());
      for (let i = 0; i < 3; i++) await enc.run(x, b);
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 1500) {
        await enc.run(x, b);
        n += b;
      }
      const ms = performance.now() - t0;
      const rate = n / (ms / 1000);
      const row: Row = {
        operation: `encode ${enc.manifest.name} (onnxruntime cpu, ${threads} threads)`,
        size: `batch ${b}`,
        timeMs: ms / (n / b),
        throughput: rate,
        unit: 'images/s',
        note,
      };
      if (torchRates?.[b]) {
        const [tr, th] = torchRates[b];
        row.baseline = { name: `PyTorch ${torchVersion()} (same weights, best of 1/${threads} threads: ${th})`, throughput: tr };
        row.ratio = rate / tr;
      } else row.note = `${note}; PyTorch n/a: ${torchWhy || 'no rate'}`;
      rows.push(row);
    }
    // preprocessing (the worker's share of the pipeline), on synthetic 64x64 g,r,z flux cutouts
    const pre = new Preprocessor(enc.manifest.preprocess, { bands: ['g', 'r', 'z'], height: 64, width: 64 }, enc.inputShape);
    const cut = {
      bands: ['g', 'r', 'z'],
      width: 64,
      height: 64,
      pixscale: 0.262,
      unit: 'nanomaggies' as const,
      data: Float32Array.from({ length: 3 * 64 * 64 }, () => 0.01 * rng.normal()),
    };
    const out = new Float32Array(pre.size);
    let k = 0;
    const t1 = performance.now();
    while (performance.now() - t1 < 1000) {
      pre.run(cut, out, 0);
      k++;
    }
    const pms = performance.now() - t1;
    rows.push({
      operation: `preprocess (${enc.manifest.preprocess.map((s) => s.op).join(' > ')})`,
      size: '64x64 g,r,z',
      timeMs: pms / k,
      throughput: k / (pms / 1000),
      unit: 'images/s',
    });
    // FLOPs per image and fraction of the measured peak
    const fl = py(PY_FLOPS, [enc.folder.onnxPath]);
    const peak = await peakGflops(threads);
    const best = Math.max(...rows.slice(0, BATCHES.length).map((r) => r.throughput));
    if (fl && !fl.startsWith('ERROR')) {
      const { flops, unknown } = JSON.parse(fl) as { flops: number; unknown: number };
      const achieved = (flops * best) / 1e9;
      rows.push({
        operation: 'model FLOPs per image (MatMul/Gemm/Conv from the ONNX graph)',
        size: `[1,${c},${h},${w}]`,
        timeMs: 0,
        throughput: flops / 1e6,
        unit: 'MFLOP/image',
        note:
          `${unknown ? `${unknown} nodes without inferred shapes; ` : ''}best encode rate ${best.toFixed(0)} img/s = ${achieved.toFixed(2)} GFLOP/s` +
          (peak
            ? ` = ${((100 * achieved) / peak).toFixed(1)}% of the measured peak ${peak.toFixed(1)} GFLOP/s (1024^3 MatMul, onnxruntime, ${threads} threads)`
            : ' (peak n/a: python3 onnx missing)'),
      });
    } else rows.push({ operation: 'model FLOPs per image', size: '-', timeMs: 0, throughput: 0, unit: 'MFLOP/image', note: `n/a: ${fl ?? `${PY} not found`}` });
    if (peak)
      rows.push({
        operation: 'machine peak: 1024^3 float32 MatMul (onnxruntime cpu)',
        size: '1024^3',
        timeMs: (2 * 1024 ** 3) / (peak * 1e6),
        throughput: peak,
        unit: 'GFLOP/s',
      });
    await enc.release();
    rows.push(...(await alternativeRows(threads)));
    return rows;
  },
};
