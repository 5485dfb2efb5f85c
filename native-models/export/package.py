"""Writing a Latent Sky model package (model.onnx + manifest.json, app/encoder/manifest.ts)."""
import json
import os

import onnx
import torch

INPUT = 'image'


def export_package(module: torch.nn.Module, out_dir: str, side: int, manifest: dict, example: torch.Tensor = None) -> str:
    """Export `module` (x [B,3,side,side] -> (embedding [B,D], patch_tokens [B,N,D'])) with a
    dynamic batch axis, check it, and write the manifest next to it."""
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, 'model.onnx')
    x = example if example is not None else torch.zeros(2, 3, side, side)
    module.eval()
    torch.onnx.export(module, x, path, input_names=[INPUT], output_names=['embedding', 'patch_tokens'],
                      dynamic_axes={INPUT: {0: 'batch'}, 'embedding': {0: 'batch'}, 'patch_tokens': {0: 'batch'}},
                      opset_version=17, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    manifest = dict(manifest)
    manifest.setdefault('file', 'model.onnx')
    manifest['input'] = {'name': INPUT, 'shape': ['batch', 3, side, side], 'dtype': 'float32'}
    with open(os.path.join(out_dir, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=2)
        f.write('\n')
    return path


def count_params(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
