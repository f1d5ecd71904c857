#!/usr/bin/env bash
# Smoke test of the GPU edge-node base image (PLAN 2.1: "test-gpu.sh <image> passes on a
# CUDA-capable host", the TensorRT engine build and the `ffmpeg -codecs` check). Every check runs,
# failures are counted, and the exit status is non-zero when any check failed.
#
# Usage: image_testing/test-gpu.sh IMAGE
# Needs: docker with the NVIDIA container toolkit (`docker run --gpus all` must work) and an NVIDIA
#   driver >= 525.60.13 (CUDA 12 wheels) / >= 530.41.03 (NVENC). Expected versions are read from
#   this repository's Dockerfile and requirements.txt.
# Environment: ALLOW_NO_GPU=1 runs only the checks that need no GPU (imports, pins, TensorRT
#   import and version, codec list) on a host without one, e.g. a hosted CI runner; the CUDA,
#   TensorRT engine and NVENC checks are then reported as skipped, not passed.
set -Eeuo pipefail

usage() { sed -n '2,14s/^# \{0,1\}//p' "$0"; }
if [[ $# -ne 1 || $1 == -h || $1 == --help ]]; then
  usage >&2
  exit 2
fi
IMAGE=$1
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dockerfile="${repo}/base_edge_node_amd64_gpu/Dockerfile"
requirements="${repo}/base_edge_node_amd64_gpu/requirements.txt"

# shellcheck source=image_testing/lib.sh
. "${repo}/image_testing/lib.sh"
PYTHON_VERSION=$(arg PYTHON_VERSION)
TORCH_VERSION=$(arg TORCH_VERSION)
TORCHVISION_VERSION=$(arg TORCHVISION_VERSION)
TORCHAUDIO_VERSION=$(arg TORCHAUDIO_VERSION)
TORCH_CHANNEL=$(arg TORCH_CHANNEL)
FFMPEG_VERSION=$(arg FFMPEG_VERSION)
NODEJS_VERSION=$(arg NODEJS_VERSION)
PINS=$(grep -E '^[A-Za-z0-9]' "${requirements}")
TENSORRT_VERSION=$(sed -n 's/^tensorrt-cu12==//p' "${requirements}")

gpu_check() {
  if ((have_gpu)); then
    check "$@"
  else
    echo "SKIP $1 (no GPU on this host, ALLOW_NO_GPU=1)"
    skipped=$((skipped + 1))
  fi
}
py() {
  docker run --rm -i "$@" -e PINS="${PINS}" -e EXPECT_PYTHON="${PYTHON_VERSION}" \
    -e EXPECT_TORCH="${TORCH_VERSION}+${TORCH_CHANNEL}" \
    -e EXPECT_TORCHVISION="${TORCHVISION_VERSION}+${TORCH_CHANNEL}" \
    -e EXPECT_TORCHAUDIO="${TORCHAUDIO_VERSION}+${TORCH_CHANNEL}" \
    -e EXPECT_TENSORRT="${TENSORRT_VERSION}" "${IMAGE}" python3 -
}

# Prerequisite: the host exposes a GPU to containers (NVIDIA container toolkit + driver).
have_gpu=0
if in_image --gpus all "${IMAGE}" nvidia-smi -L; then
  have_gpu=1
elif [[ ${ALLOW_NO_GPU:-0} == 1 ]]; then
  echo "no GPU available to containers; running the checks that need none (ALLOW_NO_GPU=1)"
else
  echo "error: 'docker run --gpus all ${IMAGE} nvidia-smi' failed: this test needs a CUDA-capable" >&2
  echo "host with the NVIDIA container toolkit (or ALLOW_NO_GPU=1 for the GPU-free checks)" >&2
  exit 2
fi

python_stack() {
  py <<'PY'
import importlib, importlib.metadata as md, os, platform, re

assert platform.python_version() == os.environ["EXPECT_PYTHON"], platform.python_version()
for dist, env in (("torch", "EXPECT_TORCH"), ("torchvision", "EXPECT_TORCHVISION"), ("torchaudio", "EXPECT_TORCHAUDIO")):
    assert md.version(dist) == os.environ[env], (dist, md.version(dist), os.environ[env])
# Every exact pin of requirements.txt is what is installed.
for line in os.environ["PINS"].splitlines():
    name, version = re.match(r"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==(\S+)", line).groups()
    assert md.version(name) == version, (name, md.version(name), version)
# One owner of cv2 and of the onnxruntime package; cuDNN exactly as torch 2.9.1 cu128 pins it.
for absent in ("opencv-python", "onnxruntime", "onnxruntime-openvino"):
    try:
        md.version(absent)
    except md.PackageNotFoundError:
        continue
    raise AssertionError(f"{absent} must not be installed")
assert md.version("nvidia-cudnn-cu12") == "9.10.2.21", md.version("nvidia-cudnn-cu12")
for module in ("torch", "torchvision", "torchaudio", "numpy", "scipy", "pandas", "sklearn", "shapely",
               "PIL", "cv2", "onnx", "onnxruntime", "tensorrt", "pynvml", "ultralytics", "requests",
               "yaml", "dotenv", "tqdm", "psutil", "fastapi", "uvicorn", "pydantic", "paho.mqtt.client",
               "pika", "redis", "minio", "boto3", "docker", "cryptography", "Crypto", "web3",
               "eth_account", "ssl", "sqlite3", "lzma", "bz2", "ctypes", "readline", "zoneinfo"):
    importlib.import_module(module)
import onnxruntime as ort, torch
assert torch.version.cuda == "12.8", torch.version.cuda
assert "CUDAExecutionProvider" in ort.get_available_providers(), ort.get_available_providers()
print("python", platform.python_version(), "torch", torch.__version__, "cuda", torch.version.cuda)
PY
}

# TensorRT from pip only: frontend, bindings and libs carry one version, which is the pin.
tensorrt_version() {
  py <<'PY'
import importlib.metadata as md, os
import tensorrt as trt

want = os.environ["EXPECT_TENSORRT"]
versions = {d: md.version(d) for d in ("tensorrt-cu12", "tensorrt-cu12-bindings", "tensorrt-cu12-libs")}
assert set(versions.values()) == {want}, versions
assert want.startswith(trt.__version__), (trt.__version__, want)
print("tensorrt", trt.__version__, versions)
PY
}

# pip's own consistency check; the one accepted complaint is ultralytics' declared GUI
# opencv-python, which the Dockerfile replaces with the headless build on purpose.
pip_check() {
  local out status=0
  out=$(in_image "${IMAGE}" python3 -m pip check 2>&1) || status=$?
  ((status == 0)) && return 0
  local unexpected
  unexpected=$(grep -v -E '^ultralytics [^ ]+ requires opencv-python, which is not installed\.$' <<<"${out}" || true)
  if [[ -n ${unexpected} ]]; then
    printf '%s\n' "${unexpected}"
    return 1
  fi
}

cuda() {
  py --gpus all <<'PY'
import torch

assert torch.cuda.is_available(), "torch.cuda.is_available() is False"
assert torch.backends.cudnn.version() == 91002, torch.backends.cudnn.version()
a = torch.randn(256, 256, device="cuda")
torch.testing.assert_close((a @ a.T).cpu(), a.cpu() @ a.cpu().T, rtol=1e-3, atol=1e-3)
print(torch.cuda.get_device_name(0), "cudnn", torch.backends.cudnn.version())
PY
}

# Minimal TensorRT engine build and run with no model file or download (ml-stack-facts 2.4,
# option 2): Relu network through the builder API, serialized, deserialized, executed on torch
# CUDA buffers and compared with torch.relu.
tensorrt_engine() {
  py --gpus all <<'PY'
import tensorrt as trt, torch

logger = trt.Logger(trt.Logger.WARNING)
builder = trt.Builder(logger)
network = builder.create_network(0)
x = network.add_input("x", trt.float32, (1, 3, 8, 8))
relu = network.add_activation(x, trt.ActivationType.RELU)
relu.get_output(0).name = "y"
network.mark_output(relu.get_output(0))
config = builder.create_builder_config()
config.set_memory_pool_limit(trt.MemoryPoolType.WORKSPACE, 1 << 26)
plan = builder.build_serialized_network(network, config)
assert plan is not None, "TensorRT engine build failed"
engine = trt.Runtime(logger).deserialize_cuda_engine(plan)
context = engine.create_execution_context()
inp = torch.randn(1, 3, 8, 8, device="cuda")
out = torch.empty_like(inp)
context.set_tensor_address("x", inp.data_ptr())
context.set_tensor_address("y", out.data_ptr())
stream = torch.cuda.current_stream()
assert context.execute_async_v3(stream.cuda_stream), "execute_async_v3 failed"
stream.synchronize()
torch.testing.assert_close(out, torch.relu(inp))
print("tensorrt", trt.__version__, "engine bytes", plan.nbytes)
PY
}

# ONNX Runtime's CUDA provider must really run (it falls back to the CPU provider silently).
onnxruntime_cuda() {
  py --gpus all <<'PY'
import numpy as np, torch  # torch first: it loads the CUDA and cuDNN libraries onnxruntime uses
import onnxruntime as ort
from onnx import TensorProto, helper

graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "relu",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 8, 8])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
session = ort.InferenceSession(model.SerializeToString(), providers=["CUDAExecutionProvider"])
assert session.get_providers()[0] == "CUDAExecutionProvider", session.get_providers()
x = np.random.default_rng(0).standard_normal((1, 3, 8, 8), dtype=np.float32)
np.testing.assert_allclose(session.run(None, {"x": x})[0], np.maximum(x, 0), rtol=1e-6)
print("onnxruntime", ort.__version__, session.get_providers(), "torch", torch.__version__)
PY
}

# The codecs the image promises, listed by `ffmpeg -codecs` (NVIDIA ones included: they are
# compiled in and need the GPU only to run), and the software encoders really encode.
ffmpeg_codecs() {
  local codecs version encoder
  version=$(in_image "${IMAGE}" ffmpeg -hide_banner -version)
  grep -q "^ffmpeg version ${FFMPEG_VERSION} " <<<"${version}" || { echo "not FFmpeg ${FFMPEG_VERSION}"; return 1; }
  codecs=$(in_image "${IMAGE}" ffmpeg -hide_banner -codecs)
  for encoder in libx264 libopenh264 libvpx libvpx-vp9 libmp3lame libopus libvorbis \
    h264_nvenc hevc_nvenc h264_cuvid; do
    grep -qw -- "${encoder}" <<<"${codecs}" || { echo "missing codec ${encoder}"; return 1; }
  done
  for encoder in libx264 libopenh264 libvpx-vp9; do
    in_image "${IMAGE}" ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc=duration=1:size=320x240:rate=10 \
      -c:v "${encoder}" -f null - || { echo "encode with ${encoder} failed"; return 1; }
  done
}

nvenc() {
  in_image --gpus all "${IMAGE}" ffmpeg -hide_banner -loglevel error \
    -f lavfi -i testsrc=duration=1:size=320x240:rate=10 -c:v h264_nvenc -f null -
}

tools() {
  local node
  node=$(in_image "${IMAGE}" node --version)
  [[ ${node} == "v${NODEJS_VERSION}" ]] || { echo "node ${node}, want v${NODEJS_VERSION}"; return 1; }
  in_image "${IMAGE}" ngrok version
  in_image "${IMAGE}" docker --version
  in_image "${IMAGE}" dockerd --version
}

# EE_DD defaults to false (no daemon), and an invalid value is refused.
entrypoint() {
  local ee_dd
  ee_dd=$(in_image "${IMAGE}" printenv EE_DD)
  [[ ${ee_dd} == false ]] || { echo "EE_DD defaults to '${ee_dd}'"; return 1; }
  in_image "${IMAGE}" test ! -S /var/run/docker.sock
  if in_image -e EE_DD=maybe "${IMAGE}" true 2>/dev/null; then
    echo "EE_DD=maybe was accepted"
    return 1
  fi
}

check "python stack and pins" python_stack
check "TensorRT import and version" tensorrt_version
check "pip check" pip_check
gpu_check "CUDA through torch" cuda
gpu_check "TensorRT engine build and run" tensorrt_engine
gpu_check "ONNX Runtime CUDA provider" onnxruntime_cuda
check "ffmpeg codecs" ffmpeg_codecs
gpu_check "NVENC encode" nvenc
check "tools (node, ngrok, docker)" tools
check "entrypoint (EE_DD)" entrypoint

echo "== ${IMAGE}: ${failures} failed, ${skipped} skipped"
((failures == 0))
