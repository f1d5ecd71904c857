/** The necessity audit on small repositories: each class with its evidence, profiles, sizes from a run record. */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo, tempRepo } from '../helpers.js';

const DOCKERFILE = `FROM ubuntu:24.04 AS builder
RUN apt-get update && apt-get install -y --no-install-recommends cmake && rm -rf /var/lib/apt/lists/*
RUN python3 -m pip install --prefix /opt/venv onnx==1.17.0

FROM ubuntu:24.04 AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends \\
    ca-certificates curl ffmpeg gcc libgl1 libssl-dev ngrok python3-pip vim \\
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://example.com/x.tgz -o /tmp/x.tgz
COPY requirements.txt /tmp/requirements.txt
RUN python3 -m pip install -r /tmp/requirements.txt
COPY scripts/entrypoint.sh /usr/local/bin/entrypoint.sh
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
`;

const FILES = {
  'img/Dockerfile': DOCKERFILE,
  'img/requirements.txt': 'numpy==2.1.3\nopencv-python-headless==4.10.0.84\npyyaml==6.0.2\nminio==7.2.9\n',
  'img/scripts/entrypoint.sh': '#!/bin/sh\nset -eu\nexec python3 -m app "$@"\n',
  'image_testing/test.sh': '#!/usr/bin/env bash\nset -euo pipefail\ndocker run --rm "$1" ffmpeg -hide_banner -codecs >/dev/null\ndocker run --rm -i "$1" python3 - <<\'PY\'\nimport numpy, cv2\nPY\n',
  'app/worker.py': 'import yaml\nfrom numpy import array\n',
  'baseimg.config.json': JSON.stringify({
    families: { edge: { dockerfile: 'img/Dockerfile', context: 'img', test: './image_testing/test.sh IMAGE' } },
    audit: { workloads: ['app/**/*.py'], profiles: { dev: ['vim', 'ngrok'] } },
  }),
};

async function audit(files: Record<string, string>, args: string[] = []): Promise<{ families: { name: string; entries: { name: string; ecosystem: string; class: string; evidence: string[]; sizeBytes: number | null; heavy: string | null; version: string | null }[]; sizesFrom: string | null }[]; skippedRecords: string[] }> {
  const { root, cleanup } = await tempRepo(files);
  try {
    const io = captureIo();
    expect(await main(['audit', root, '--format', 'json', ...args], io)).toBe(0);
    return JSON.parse(io.out);
  } finally {
    await cleanup();
  }
}

describe('baseimg audit', () => {
  it('classifies every package of the image with its evidence', async () => {
    const result = await audit(FILES);
    const entries = new Map(result.families[0]!.entries.map((entry) => [`${entry.ecosystem}:${entry.name}`, entry]));
    const cls = (key: string): string | undefined => entries.get(key)?.class;
    // Used by the image test, the entrypoint or a workload.
    expect(entries.get('apt:ffmpeg')?.evidence[0]).toBe('"ffmpeg" is used in image_testing/test.sh:3 (image test)');
    expect(entries.get('pypi:opencv-python-headless')?.evidence[0]).toBe('"cv2" is used in image_testing/test.sh:5 (image test)');
    expect(entries.get('pypi:pyyaml')?.evidence[0]).toBe('"yaml" is used in app/worker.py:1 (workload)');
    expect(cls('pypi:numpy')).toBe('required-runtime');
    expect(entries.get('apt:python3-pip')?.evidence[0]).toBe('python -m pip runs while building (RUN at line 11)');
    // Build-only: a compiler and headers in the final image, and a tool only RUN steps call.
    expect(cls('apt:gcc')).toBe('build-only');
    expect(entries.get('apt:libssl-dev')?.evidence[0]).toContain('development files');
    expect(entries.get('apt:curl')?.evidence[0]).toBe('curl is called while building (RUN at line 9)');
    // Data and shared libraries.
    expect(entries.get('apt:ca-certificates')?.evidence[0]).toContain('runtime data');
    expect(cls('apt:libgl1')).toBe('required-runtime');
    // Profiles from the config, heavy inclusions named.
    expect(cls('apt:vim')).toBe('optional-by-profile');
    expect(entries.get('apt:ngrok')?.heavy).toContain('ngrok');
    // Nothing uses minio.
    expect(cls('pypi:minio')).toBe('unused');
    // The builder stage's packages do not ship: cmake is not in the image, onnx is not copied.
    expect(entries.has('apt:cmake')).toBe(false);
    expect(entries.has('pypi:onnx')).toBe(false);
    expect(result.families[0]!.sizesFrom).toBeNull();
  });

  it('ships what a builder stage installs when the image copies it', async () => {
    const files = { ...FILES, 'img/Dockerfile': DOCKERFILE.replace('COPY requirements.txt', 'COPY --from=builder /opt/venv /opt/venv\nCOPY requirements.txt') };
    const result = await audit(files);
    const onnx = result.families[0]!.entries.find((entry) => entry.name === 'onnx');
    expect(onnx).toMatchObject({ class: 'unused', version: '1.17.0' });
  });

  it('takes sizes from the newest finished run record of the family, skipping unreadable ones', async () => {
    const record = (status: string, size: number): string => JSON.stringify({ family: 'edge', status, image: { analysis: { packages: [{ ecosystem: 'deb', name: 'ffmpeg', version: '7:6.1', sizeBytes: size }, { ecosystem: 'pypi', name: 'OpenCV_Python_Headless', version: '4.10.0.84', sizeBytes: 99 }] } } });
    const result = await audit({
      ...FILES,
      '.baseimg/runs/2026-11-01-edge-before.json': record('ok', 1000),
      '.baseimg/runs/2026-11-02-edge-after.json': record('failed', 5),
      '.baseimg/runs/2026-11-03-edge-broken.json': '{ not json',
    });
    const family = result.families[0]!;
    expect(family.sizesFrom).toBe('.baseimg/runs/2026-11-01-edge-before.json');
    expect(family.entries.find((entry) => entry.name === 'ffmpeg')?.sizeBytes).toBe(1000);
    expect(family.entries.find((entry) => entry.name === 'opencv-python-headless')?.sizeBytes).toBe(99);
    expect(result.skippedRecords).toHaveLength(1);
    expect(result.skippedRecords[0]).toContain('2026-11-03-edge-broken.json');
  });

  it('says when there is no use site at all, and rejects unknown families', async () => {
    const result = await audit({ 'img/Dockerfile': 'FROM debian:12\nRUN apt-get update && apt-get install -y jq\n' });
    expect(result.families[0]!.entries[0]).toMatchObject({ name: 'jq', class: 'unused' });
    expect(result.families[0]!.entries[0]!.evidence[0]).toContain('none found: add image tests or audit.workloads');
    const { root, cleanup } = await tempRepo(FILES);
    try {
      const io = captureIo();
      expect(await main(['audit', root, '--family', 'nope'], io)).toBe(2);
      expect(io.err).toContain('unknown family "nope" (families: edge)');
      const md = captureIo();
      expect(await main(['audit', root, '--format', 'md'], md)).toBe(0);
      expect(md.out).toContain('| `minio` | pypi | 7.2.9 | unused |');
      expect(md.out).toContain('- `ngrok`: ngrok tunnel agent');
    } finally {
      await cleanup();
    }
  });
});
