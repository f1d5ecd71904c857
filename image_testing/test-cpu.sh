#!/usr/bin/env bash
# Smoke test of the CPU edge-node base image (PLAN 2.1: "test-cpu.sh <image> passes" and the
# `ffmpeg -codecs` check). Every check runs, failures are counted, and the exit status is non-zero
# when any check failed.
#
# Usage: image_testing/test-cpu.sh IMAGE
# Needs: docker (the image is pulled if it is not local). Expected versions are read from this
#   repository's Dockerfile and requirements.txt, so the test fails when the image and the
#   repository disagree.
# Environment: TEST_DIND=1 also starts the in-container daemon (EE_DD=true, needs --privileged).
set -Eeuo pipefail

usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }
if [[ $# -ne 1 || $1 == -h || $1 == --help ]]; then
  usage >&2
  exit 2
fi
IMAGE=$1
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dockerfile="${repo}/base_edge_node_amd64_cpu/Dockerfile"
requirements="${repo}/base_edge_node_amd64_cpu/requirements.txt"

# shellcheck source=image_testing/lib.sh
. "${repo}/image_testing/lib.sh"
PYTHON_VERSION=$(arg PYTHON_VERSION)
TORCH_VERSION=$(arg TORCH_VERSION)
TORCHVISION_VERSION=$(arg TORCHVISION_VERSION)
TORCHAUDIO_VERSION=$(arg TORCHAUDIO_VERSION)
FFMPEG_VERSION=$(arg FFMPEG_VERSION)
NODEJS_VERSION=$(arg NODEJS_VERSION)
PINS=$(grep -E '^[A-Za-z0-9]' "${requirements}")

py() { docker run --rm -i -e PINS="${PINS}" -e EXPECT_PYTHON="${PYTHON_VERSION}" \
  -e EXPECT_TORCH="${TORCH_VERSION}+cpu" -e EXPECT_TORCHVISION="${TORCHVISION_VERSION}+cpu" \
  -e EXPECT_TORCHAUDIO="${TORCHAUDIO_VERSION}+cpu" "${IMAGE}" python3 -; }

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
# One owner of cv2 and of the onnxruntime package.
for absent in ("opencv-python", "onnxruntime", "onnxruntime-gpu"):
    try:
        md.version(absent)
    except md.PackageNotFoundError:
        continue
    raise AssertionError(f"{absent} must not be installed")
for module in ("torch", "torchvision", "torchaudio", "numpy", "scipy", "pandas", "sklearn", "shapely",
               "PIL", "cv2", "onnx", "onnxruntime", "openvino", "ultralytics", "requests", "yaml",
               "dotenv", "tqdm", "psutil", "fastapi", "uvicorn", "pydantic", "paho.mqtt.client",
               "pika", "redis", "minio", "boto3", "docker", "uvloop", "cryptography", "Crypto",
               "web3", "eth_account", "ssl", "sqlite3", "lzma", "bz2", "ctypes", "readline", "zoneinfo"):
    importlib.import_module(module)
import torch
assert not torch.cuda.is_available()
print("python", platform.python_version(), "torch", torch.__version__)
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

# OpenVINO pair and the OpenVINO execution provider, on a Relu model built in memory (no download).
# The provider "fails open" (silently falls back to the CPU provider), so the session's provider
# list is asserted, not only the available ones.
openvino_ep() {
  py <<'PY'
import numpy as np, onnx, onnxruntime as ort, openvino
from onnx import TensorProto, helper

assert openvino.__version__.startswith("2025.4.1"), openvino.__version__
assert "OpenVINOExecutionProvider" in ort.get_available_providers(), ort.get_available_providers()
graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "relu",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 8, 8])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
onnx.checker.check_model(model)
session = ort.InferenceSession(model.SerializeToString(), providers=["OpenVINOExecutionProvider"],
                               provider_options=[{"device_type": "CPU"}])
assert session.get_providers()[0] == "OpenVINOExecutionProvider", session.get_providers()
x = np.random.default_rng(0).standard_normal((1, 3, 8, 8), dtype=np.float32)
np.testing.assert_allclose(session.run(None, {"x": x})[0], np.maximum(x, 0), rtol=1e-6)
print("openvino", openvino.__version__, "onnxruntime", ort.__version__, session.get_providers())
PY
}

# The codecs the image promises: listed by `ffmpeg -codecs`, and each encoder really encodes.
ffmpeg_codecs() {
  local codecs version encoder
  version=$(in_image "${IMAGE}" ffmpeg -hide_banner -version)
  grep -q "^ffmpeg version ${FFMPEG_VERSION} " <<<"${version}" || { echo "not FFmpeg ${FFMPEG_VERSION}"; return 1; }
  codecs=$(in_image "${IMAGE}" ffmpeg -hide_banner -codecs)
  for encoder in libx264 libopenh264 libvpx libvpx-vp9 libmp3lame libopus libvorbis; do
    grep -qw -- "${encoder}" <<<"${codecs}" || { echo "missing encoder ${encoder}"; return 1; }
  done
  for encoder in libx264 libopenh264 libvpx-vp9; do
    in_image "${IMAGE}" ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc=duration=1:size=320x240:rate=10 \
      -c:v "${encoder}" -f null - || { echo "encode with ${encoder} failed"; return 1; }
  done
  in_image "${IMAGE}" ffmpeg -hide_banner -loglevel error -f lavfi -i sine=duration=1 \
    -c:a libopus -f null -
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

dind() {
  in_image --privileged -e EE_DD=true -e DOCKERD_ARGS="${DOCKERD_ARGS:-}" "${IMAGE}" \
    bash -c 'docker info --format "{{.ServerVersion}}"'
}

check "python stack and pins" python_stack
check "pip check" pip_check
check "OpenVINO execution provider" openvino_ep
check "ffmpeg codecs" ffmpeg_codecs
check "tools (node, ngrok, docker)" tools
check "entrypoint (EE_DD)" entrypoint
if [[ ${TEST_DIND:-0} == 1 ]]; then
  check "docker-in-docker" dind
fi

echo "== ${IMAGE}: ${failures} failed"
((failures == 0))
