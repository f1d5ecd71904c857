/**
 * The proof on the plan's own case: the plan-shaped repository (test/fixtures/repos/plan-edge-node,
 * its planted problems listed in HOTSPOTS.md) must yield every hotspot of PLAN.md section 1.3 and
 * the supply-chain patterns of A4, and its whole review must match a golden reviewed by eye.
 * BASEIMG_UPDATE_GOLDENS=1 rewrites the golden.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../src/report/text.js';
import { review, type ReviewResult } from '../../src/review.js';
import { detect } from '../../src/tools/shellcheck.js';

const repo = join(import.meta.dirname, '..', 'fixtures', 'repos', 'plan-edge-node');
const golden = join(import.meta.dirname, '..', 'fixtures', 'repos', 'plan-edge-node.expected');
const withShellcheck = (await detect()) !== null || process.env.BASEIMG_REQUIRE_SHELLCHECK === '1';

const GPU = 'base_edge_node_amd64_gpu/Dockerfile';
const CPU = 'base_edge_node_amd64_cpu/Dockerfile';
const CPU_WORKFLOW = '.github/workflows/base_edge_node_amd64_cpu.yaml.paused';
const GPU_WORKFLOW = '.github/workflows/base_edge_node_amd64_gpu.yaml.paused';

/** Each hotspot: the rule that must report it, where, and what the message must say. */
const HOTSPOTS: { what: string; rule: string; file: string; line: number; says?: string }[] = [
  // PLAN.md 1.3
  { what: 'CPU workflow disabled by extension', rule: 'workflow/disabled-by-extension', file: CPU_WORKFLOW, line: 1 },
  { what: 'GPU workflow disabled by extension', rule: 'workflow/disabled-by-extension', file: GPU_WORKFLOW, line: 1 },
  { what: 'CPU workflow paths miss scripts/*', rule: 'workflow/trigger-paths-miss-build-inputs', file: CPU_WORKFLOW, line: 8, says: 'scripts/entrypoint.sh' },
  { what: 'GPU workflow paths miss scripts/*', rule: 'workflow/trigger-paths-miss-build-inputs', file: GPU_WORKFLOW, line: 8, says: 'scripts/install_ffmpeg_deps.sh' },
  { what: 'actions/checkout@v4 outdated', rule: 'workflow/outdated-action-major', file: CPU_WORKFLOW, line: 15, says: 'actions/checkout@v4' },
  { what: 'docker/build-push-action@v5 outdated', rule: 'workflow/outdated-action-major', file: GPU_WORKFLOW, line: 34, says: 'docker/build-push-action@v5' },
  { what: 'cloud driver without readiness check', rule: 'workflow/cloud-builder-not-ready', file: CPU_WORKFLOW, line: 26, says: 'readiness' },
  { what: 'cloud driver without readiness check', rule: 'workflow/cloud-builder-not-ready', file: GPU_WORKFLOW, line: 26, says: 'readiness' },
  { what: 'CPU workflow without top-level permissions', rule: 'workflow/missing-permissions', file: CPU_WORKFLOW, line: 10, says: 'contents: read' },
  { what: 'GPU workflow without top-level permissions', rule: 'workflow/missing-permissions', file: GPU_WORKFLOW, line: 10, says: 'contents: read' },
  { what: 'CPU workflow without a concurrency group', rule: 'workflow/missing-concurrency', file: CPU_WORKFLOW, line: 3, says: 'github.ref' },
  { what: 'GPU workflow without a concurrency group', rule: 'workflow/missing-concurrency', file: GPU_WORKFLOW, line: 3, says: 'github.ref' },
  { what: 'CPU workflow without workflow_dispatch', rule: 'workflow/missing-workflow-dispatch', file: CPU_WORKFLOW, line: 3, says: 'workflow_dispatch' },
  { what: 'CPU build without cache-from/cache-to', rule: 'workflow/build-without-cache', file: CPU_WORKFLOW, line: 34, says: 'scope=base_edge_node_amd64_cpu' },
  { what: 'GPU build without cache-from/cache-to', rule: 'workflow/build-without-cache', file: GPU_WORKFLOW, line: 34, says: 'scope=base_edge_node_amd64_gpu' },
  { what: 'setup-buildx-action@v3 runs on the removed node20 runtime', rule: 'workflow/outdated-action-major', file: GPU_WORKFLOW, line: 24, says: 'node20' },
  { what: 'no root .dockerignore with context "."', rule: 'context/dockerignore-missing', file: CPU, line: 7, says: '.dockerignore' },
  { what: 'TensorRT apt libraries unpinned against pinned bindings', rule: 'compat/tensorrt-apt-unpinned-against-bindings', file: GPU, line: 190, says: '10.14.1.48.post1' },
  { what: 'unpinned CPU requirements', rule: 'deps/unpinned-requirement', file: 'base_edge_node_amd64_cpu/requirements.txt', line: 9 },
  { what: 'unpinned GPU requirements', rule: 'deps/unpinned-requirement', file: 'base_edge_node_amd64_gpu/requirements.txt', line: 9 },
  // PLAN.md A4
  { what: 'NodeSource setup script piped to bash (GPU)', rule: 'supply-chain/curl-pipe-shell', file: GPU, line: 202, says: 'setup_20.x' },
  { what: 'NodeSource setup script piped to bash (CPU)', rule: 'supply-chain/curl-pipe-shell', file: CPU, line: 172, says: 'setup_20.x' },
  { what: 'CPython tarball unverified', rule: 'supply-chain/unverified-download', file: GPU, line: 23, says: 'Python-3.13.11.tgz' },
  { what: 'FFmpeg tarball unverified', rule: 'supply-chain/unverified-download', file: CPU, line: 87, says: 'ffmpeg-6.1.1.tar.xz' },
  { what: 'ngrok tarball unverified', rule: 'supply-chain/unverified-download', file: GPU, line: 206, says: 'ngrok' },
  { what: 'cuda-keyring .deb installed unverified', rule: 'supply-chain/unverified-download', file: GPU, line: 172, says: 'cuda-keyring' },
  { what: 'Docker apt key without fingerprint (GPU)', rule: 'supply-chain/apt-key-without-fingerprint', file: GPU, line: 194 },
  { what: 'Docker apt key without fingerprint (CPU)', rule: 'supply-chain/apt-key-without-fingerprint', file: CPU, line: 164 },
  // Size, build time and the documentation gate (PLAN.md A3, 2.4, 6)
  { what: 'whole /usr/local copied from ffmpeg-builder', rule: 'size/whole-prefix-copy', file: GPU, line: 145 },
  { what: 'compilers in the runtime stage', rule: 'size/build-packages-in-final-stage', file: CPU, line: 137, says: 'build-essential' },
  { what: 'ngrok tarball deleted in a later layer', rule: 'size/file-removed-in-later-layer', file: GPU, line: 231, says: '/tmp/ngrok.tgz' },
  { what: 'installs without BuildKit cache mounts', rule: 'cache/install-without-cache-mount', file: GPU, line: 212 },
  { what: 'pipe without pipefail', rule: 'dockerfile/pipe-without-pipefail', file: GPU, line: 194 },
  { what: 'apt-get install without --no-install-recommends', rule: 'dockerfile/apt-without-no-install-recommends', file: GPU, line: 149 },
  { what: 'stage without header', rule: 'docs/stage-header-missing', file: GPU, line: 41 },
  { what: 'partial stage header', rule: 'docs/stage-header-missing', file: CPU, line: 41, says: 'Inputs' },
  { what: 'comment restating its command', rule: 'docs/comment-restates-command', file: GPU, line: 148, says: 'install packages' },
  { what: 'non-trivial RUN without intent comment', rule: 'docs/run-without-intent-comment', file: GPU, line: 96 },
  { what: 'Node.js without rationale', rule: 'docs/dependency-group-without-rationale', file: CPU, line: 172, says: 'Node.js' },
  { what: 'Node.js 20 past end of life', rule: 'compat/eol-runtime-installed', file: GPU, line: 202, says: '2026-04-30' },
  // CI/manual parity (PLAN.md 1.3, C4, workstream D)
  { what: 'CI passes BUILD_DATE, the script does not', rule: 'parity/ci-script-build-args-differ', file: CPU_WORKFLOW, line: 43, says: 'BUILD_DATE' },
  { what: 'CI passes VCS_REF, the script does not', rule: 'parity/ci-script-build-args-differ', file: GPU_WORKFLOW, line: 44, says: 'VCS_REF' },
  { what: 'script passes PYTHON_VERSION, CI does not', rule: 'parity/ci-script-build-args-differ', file: 'build-and-push-amd64-cpu.sh', line: 11, says: 'PYTHON_VERSION' },
  { what: 'script lacks the CI build args', rule: 'parity/ci-script-build-args-differ', file: 'build-and-push-amd64-gpu.sh', line: 10, says: 'VCS_REF' },
  { what: '-<sha> tag only in CI', rule: 'parity/ci-script-tags-differ', file: CPU_WORKFLOW, line: 41, says: 'base-amd64-cpu-<commit>' },
  { what: 'script does not make the -<sha> tag', rule: 'parity/ci-script-tags-differ', file: 'build-and-push-amd64-cpu.sh', line: 10, says: '<commit>' },
  { what: 'cloud builder in CI, plain docker build by hand', rule: 'parity/ci-script-builder-differs', file: 'build-and-push-amd64-gpu.sh', line: 10, says: 'cloud driver' },
  // Dependencies and compatibility (issue items 1-4, 7)
  { what: 'openvino pinned apart from the OpenVINO onnxruntime-openvino bundles', rule: 'compat/onnxruntime-openvino-mismatch', file: 'base_edge_node_amd64_cpu/requirements.txt', line: 15, says: '2025.3' },
  { what: 'onnxruntime beside onnxruntime-openvino', rule: 'compat/onnxruntime-openvino-mismatch', file: 'base_edge_node_amd64_cpu/requirements.txt', line: 14, says: 'onnxruntime package' },
  { what: 'cryptography 42.0.7 advisories (CPU)', rule: 'compat/known-advisory', file: 'base_edge_node_amd64_cpu/requirements.txt', line: 34, says: 'CVE-2026-26007' },
  { what: 'cryptography 42.0.7 advisories (GPU)', rule: 'compat/known-advisory', file: 'base_edge_node_amd64_gpu/requirements.txt', line: 33, says: 'CVE-2026-69247' },
  { what: 'FFmpeg 6.1.1 advisory', rule: 'compat/known-advisory', file: GPU, line: 43, says: 'CVE-2026-8461' },
  { what: 'openh264 2.4.1 advisory', rule: 'compat/known-advisory', file: CPU, line: 44, says: 'CVE-2025-27091' },
  { what: 'FFmpeg 6.1.1 behind its branch', rule: 'compat/outdated-version', file: CPU, line: 43, says: '6.1.6' },
  { what: 'openh264 2.4.1 behind upstream', rule: 'compat/outdated-version', file: GPU, line: 44, says: '2.6.0' },
  { what: 'torchvision 0.23.0 with torch 2.9.1', rule: 'compat/torch-companion-mismatch', file: GPU, line: 127, says: '0.24.1' },
  { what: 'security-sensitive requirement unpinned', rule: 'deps/pin-policy-violation', file: 'base_edge_node_amd64_gpu/requirements.txt', line: 35, says: 'web3' },
  { what: 'ML-stack requirement unpinned', rule: 'deps/pin-policy-violation', file: 'base_edge_node_amd64_gpu/requirements.txt', line: 14, says: 'onnxruntime-gpu' },
  // Build scripts (issue item 5, PLAN.md workstream D)
  { what: 'CPU build script with only set -e', rule: 'script/missing-strict-mode', file: 'build-and-push-amd64-cpu.sh', line: 4, says: 'lacks -u and -o pipefail' },
  { what: 'retag script without strict mode', rule: 'script/missing-strict-mode', file: 'retag_and_push.sh', line: 1, says: 'without strict mode' },
  { what: 'CPU test script without set -e', rule: 'script/missing-strict-mode', file: 'image_testing/test-cpu.sh', line: 1 },
  { what: 'CPU build script without usage text', rule: 'script/missing-usage', file: 'build-and-push-amd64-cpu.sh', line: 1, says: 'IMAGE_REPO, IMAGE_TAG' },
  { what: 'GPU build script without usage text', rule: 'script/missing-usage', file: 'build-and-push-amd64-gpu.sh', line: 1, says: 'IMAGE_REPO, IMAGE_TAG' },
  { what: 'CPU build script without dry run', rule: 'script/missing-dry-run', file: 'build-and-push-amd64-cpu.sh', line: 10 },
  { what: 'CPU build script without prerequisite checks', rule: 'script/prerequisites-not-checked', file: 'build-and-push-amd64-cpu.sh', line: 10, says: 'registry login' },
  { what: 'GPU build script without prerequisite checks', rule: 'script/prerequisites-not-checked', file: 'build-and-push-amd64-gpu.sh', line: 10, says: 'command -v docker' },
  { what: 'CPU manual build without --pull', rule: 'script/build-without-pull', file: 'build-and-push-amd64-cpu.sh', line: 10 },
  { what: 'GPU manual build without --pull', rule: 'script/build-without-pull', file: 'build-and-push-amd64-gpu.sh', line: 10 },
  { what: 'push without retry', rule: 'script/push-without-retry', file: 'build-and-push-amd64-cpu.sh', line: 16 },
];

let cached: ReviewResult | null = null;
async function planReview(): Promise<ReviewResult> {
  cached ??= await review({ path: repo, today: '2026-11-29', cache: false, shellcheck: withShellcheck ? 'require' : 'off' });
  return cached;
}

describe('review of the plan-shaped repository', () => {
  it.each(HOTSPOTS.map((hotspot) => [hotspot.what, hotspot] as const))('finds %s', async (_, hotspot) => {
    const { findings } = await planReview();
    const there = findings.filter((finding) => finding.ruleId === hotspot.rule && finding.file === hotspot.file && finding.range.start.line === hotspot.line);
    expect(there.length, `${hotspot.rule} at ${hotspot.file}:${hotspot.line}`).toBeGreaterThan(0);
    if (hotspot.says) {
      expect(there.map((finding) => finding.message).join('\n')).toContain(hotspot.says);
    }
  });

  it('matches the golden review (plan-edge-node.expected)', async () => {
    const lines = (await planReview()).findings.map(formatFinding);
    if (process.env.BASEIMG_UPDATE_GOLDENS === '1') {
      expect(withShellcheck, 'update the golden with ShellCheck installed').toBe(true);
      writeFileSync(golden, `${lines.join('\n')}\n`);
    }
    expect(existsSync(golden)).toBe(true);
    let expected = readFileSync(golden, 'utf8').split('\n').filter((line) => line !== '');
    if (!withShellcheck) {
      // Without ShellCheck its findings are missing and parse errors are not cross-checked.
      expected = expected.filter((line) => !line.endsWith('[shell/shellcheck]'));
    }
    expect(lines).toEqual(expected);
  });
});
