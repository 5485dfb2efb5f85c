"""Write tests/fixtures/models/matmul.onnx: Y = A @ B for float32 A [M, K], B [K, N]
(all dims dynamic). tests/model/quality.test.ts uses it to run the big products of
the pixel-PCA baseline (12288-wide rows) through onnxruntime instead of JS loops.

  /usr/bin/python3 native-models/ls-vit-tiny/make_matmul.py tests/fixtures/models/matmul.onnx
"""
import sys

import onnx
from onnx import TensorProto, helper

a = helper.make_tensor_value_info('A', TensorProto.FLOAT, ['M', 'K'])
b = helper.make_tensor_value_info('B', TensorProto.FLOAT, ['K', 'N'])
y = helper.make_tensor_value_info('Y', TensorProto.FLOAT, ['M', 'N'])
graph = helper.make_graph([helper.make_node('MatMul', ['A', 'B'], ['Y'])], 'matmul', [a, b], [y])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17)], producer_name='latent-sky')
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
