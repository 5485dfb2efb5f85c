#!/usr/bin/env bash
# GPU measurements for Latent Sky (not part of npm test): CUDA vs CPU encoder throughput
# (batch 64/256, fp32 and int8) and deck.gl scatter frames/s at 1M/10M points in Chromium on
# the GPU. Time-boxed to 5 minutes; writes a JSON results file.
#   tests/gpu/run.sh [OUT.json]
# Install first with CUDA: ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci (CUDA 12 + cuDNN 9 on the machine).
set -uo pipefail
cd "$(dirname "$0")/../.."
out="${1:-${OUT:-tests/gpu}/gpu-results-$(date -u +%Y%m%dT%H%M%SZ).json}"
mkdir -p "$(dirname "$out")"
nvidia-smi || echo "no nvidia-smi: the encoder part will record that CUDA is unavailable"
LATENT_SKY_GPU_BUDGET_S=270 timeout 300 npx tsx tests/gpu/gpu-bench.ts "$out"
echo "exit $? -> $out"
