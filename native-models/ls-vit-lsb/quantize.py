"""int8 version of an exported ONNX encoder, by hand (no onnxruntime in
Debian's python): every MatMul whose second input is a 2-D weight becomes
dynamic quantisation as onnxruntime's quantize_dynamic does it:

  A (float) -> DynamicQuantizeLinear -> A_q uint8, a_scale, a_zero
  W -> W_q int8, symmetric per output column (scale_j = max|W[:, j]| / 127, zero 0)
  Y = float(MatMulInteger(A_q, W_q, a_zero, 0)) * a_scale * scale_j

Convolutions, attention products (activation x activation), LayerNorm and
softmax stay float32. Weights are stored as int8, so the file is ~4x smaller.

  /usr/bin/python3 native-models/ls-vit-lsb/quantize.py IN.onnx OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


def quantize(src: str, dst: str) -> int:
    m = onnx.load(src)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    consumers = {}
    for n in g.node:
        for x in n.input:
            consumers[x] = consumers.get(x, 0) + 1
    nodes, drop, count = [], set(), 0
    for n in g.node:
        w = inits.get(n.input[1]) if n.op_type == 'MatMul' and len(n.input) == 2 else None
        if w is None or len(w.dims) != 2:
            nodes.append(n)
            continue
        W = numpy_helper.to_array(w).astype(np.float32)
        scale = np.maximum(np.abs(W).max(axis=0), 1e-12) / 127.0
        Wq = np.clip(np.round(W / scale), -127, 127).astype(np.int8)
        p = f'{n.name or n.output[0]}_q'
        g.initializer.extend([
            numpy_helper.from_array(Wq, f'{p}_W'),
            numpy_helper.from_array(np.zeros(W.shape[1], dtype=np.int8), f'{p}_Wzero'),
            numpy_helper.from_array(scale.astype(np.float32), f'{p}_Wscale'),
        ])
        nodes += [
            helper.make_node('DynamicQuantizeLinear', [n.input[0]], [f'{p}_A', f'{p}_Ascale', f'{p}_Azero'], name=f'{p}_dq'),
            helper.make_node('MatMulInteger', [f'{p}_A', f'{p}_W', f'{p}_Azero', f'{p}_Wzero'], [f'{p}_Y'], name=f'{p}_mm'),
            helper.make_node('Cast', [f'{p}_Y'], [f'{p}_Yf'], to=TensorProto.FLOAT, name=f'{p}_cast'),
            helper.make_node('Mul', [f'{p}_Yf', f'{p}_Ascale'], [f'{p}_Ya'], name=f'{p}_mul_a'),
            helper.make_node('Mul', [f'{p}_Ya', f'{p}_Wscale'], [n.output[0]], name=f'{p}_mul_w'),
        ]
        consumers[n.input[1]] -= 1
        if consumers[n.input[1]] == 0:
            drop.add(n.input[1])
        count += 1
    del g.node[:]
    g.node.extend(nodes)
    keep = [i for i in g.initializer if i.name not in drop]
    del g.initializer[:]
    g.initializer.extend(keep)
    onnx.checker.check_model(m)
    onnx.save(m, dst)
    return count


if __name__ == '__main__':
    k = quantize(sys.argv[1], sys.argv[2])
    print(f'quantize: {k} MatMul weights to int8 -> {sys.argv[2]}')
