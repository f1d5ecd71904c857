import { describe, expect, it } from 'vitest';
import { triggerPathsMissBuildInputs } from '../../../src/rules/workflow/trigger-paths-miss-build-inputs.js';
import { reviewFiles } from '../../helpers.js';

async function messages(files: Record<string, string>): Promise<string[]> {
  const result = await reviewFiles(files, { rules: [triggerPathsMissBuildInputs] });
  return result.findings.filter((finding) => finding.ruleId === triggerPathsMissBuildInputs.id).map((finding) => `${finding.range.start.line}: ${finding.message}`);
}

function workflow(on: string, steps: string): string {
  return `on:\n${on}\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v7\n${steps}`;
}

const DOCKERFILE = 'FROM ubuntu:24.04\nCOPY scripts/*.sh /opt/\nCOPY app/ /app/\n';
const FILES = {
  'img/Dockerfile': DOCKERFILE,
  'scripts/a.sh': '#!/bin/sh\n',
  'scripts/b.sh': '#!/bin/sh\n',
  'scripts/README.md': 'docs\n',
  'app/main.py': 'print(1)\n',
  'app/util.py': 'print(2)\n',
};
const BUILD = '      - uses: docker/build-push-action@v7\n        with:\n          file: img/Dockerfile\n';

describe('workflow/trigger-paths-miss-build-inputs', () => {
  it('expands COPY globs and folders to the files in the repository', async () => {
    const on = "  push:\n    paths: ['img/**', 'app/main.py', '.github/workflows/b.yml']";
    expect(await messages({ ...FILES, '.github/workflows/b.yml': workflow(on, BUILD) })).toEqual([
      '3: push paths filter does not cover build inputs: scripts/*.sh (2 files), app/util.py; add "scripts/**", "app/**" to on.push.paths',
    ]);
  });

  it('summarises a folder none of whose files is covered', async () => {
    const on = "  push:\n    paths: ['img/**', 'scripts/**', '.github/workflows/b.yml']";
    expect(await messages({ ...FILES, '.github/workflows/b.yml': workflow(on, BUILD) })).toEqual([
      '3: push paths filter does not cover build inputs: app/ (2 files); add "app/**" to on.push.paths',
    ]);
  });

  it('leaves out files the .dockerignore keeps out of the context', async () => {
    const on = "  push:\n    paths: ['img/**', 'scripts/**', '.github/workflows/b.yml', '.dockerignore', 'app/main.py']";
    const files = { ...FILES, '.dockerignore': 'app/util.py\n', '.github/workflows/b.yml': workflow(on, BUILD) };
    expect(await messages(files)).toEqual([]);
  });

  it('checks pull_request_target and each filtered event separately', async () => {
    const on = "  push:\n    paths: ['**']\n  pull_request_target:\n    paths: ['img/**']";
    const result = await messages({ ...FILES, '.github/workflows/b.yml': workflow(on, BUILD) });
    expect(result).toHaveLength(1);
    expect(result[0]).toMatch(/^5: pull_request_target paths filter/);
  });

  it('follows docker build in run steps, relative to working-directory, and the scripts they run', async () => {
    const steps = [
      '      - working-directory: img',
      '        run: |',
      '          ../scripts/a.sh',
      '          docker build -f Dockerfile ..',
      '      - run: bash tools/push.sh',
    ].join('\n');
    const on = "  push:\n    paths: ['img/**', 'app/**', '.github/workflows/b.yml']";
    const files = { ...FILES, 'tools/push.sh': '#!/bin/sh\n', '.github/workflows/b.yml': workflow(on, steps) };
    expect(await messages(files)).toEqual([
      '3: push paths filter does not cover build inputs: scripts/*.sh (2 files), tools/push.sh; add "scripts/**", "tools/**" to on.push.paths',
    ]);
  });

  it('checks only the workflow file when an expression hides the Dockerfile, nothing when no image is built', async () => {
    const on = "  push:\n    paths: ['img/**']";
    const dynamic = '      - uses: docker/build-push-action@v7\n        with:\n          file: ${{ matrix.dockerfile }}\n';
    expect(await messages({ ...FILES, '.github/workflows/b.yml': workflow(on, dynamic) })).toEqual([
      '3: push paths filter does not cover build inputs: .github/workflows/b.yml; add ".github/workflows/b.yml" to on.push.paths',
    ]);
    expect(await messages({ ...FILES, '.github/workflows/b.yml': workflow(on, '      - run: make test\n') })).toEqual([]);
  });
});

describe('workflow/trigger-paths-miss-build-inputs fix', () => {
  async function fixed(files: Record<string, string>, path: string): Promise<{ text: string; newPath: string | undefined }> {
    const { tempRepo } = await import('../../helpers.js');
    const { planFixes } = await import('../../../src/fix/plan.js');
    const repo = await tempRepo(files);
    try {
      const plan = await planFixes({ path: repo.root, rules: [triggerPathsMissBuildInputs], today: '2026-11-29' });
      const change = plan.changes.find((entry) => entry.path === path);
      return { text: change?.after ?? files[path] ?? '', newPath: change?.newPath };
    } finally {
      await repo.cleanup();
    }
  }

  it('appends to a flow list in its quoting, and to each event separately', async () => {
    const on = "  push:\n    paths: [\"img/**\", \"app/**\"] # image inputs\n  pull_request:\n    paths:\n      - img/**\n      - app/**\n      - .github/workflows/b.yml";
    const { text } = await fixed({ ...FILES, '.github/workflows/b.yml': workflow(on, BUILD) }, '.github/workflows/b.yml');
    expect(text).toBe(workflow(
      "  push:\n    paths: [\"img/**\", \"app/**\", \"scripts/**\", \".github/workflows/b.yml\"] # image inputs\n  pull_request:\n    paths:\n      - img/**\n      - app/**\n      - .github/workflows/b.yml\n      - scripts/**",
      BUILD,
    ));
  });

  it('names a paused workflow by the file it runs as once re-enabled', async () => {
    const on = "  push:\n    paths:\n      - 'img/**'\n      - 'app/**'\n      - 'scripts/**'";
    const files = { ...FILES, '.github/workflows/b.yaml.paused': workflow(on, BUILD) };
    expect(await messages(files)).toEqual(['4: push paths filter does not cover build inputs: .github/workflows/b.yaml; add ".github/workflows/b.yaml" to on.push.paths']);
    const { text } = await fixed(files, '.github/workflows/b.yaml.paused');
    expect(text).toContain("      - 'scripts/**'\n      - '.github/workflows/b.yaml'\njobs:");
  });

  it('leaves paths-ignore filters to a person', async () => {
    const on = "  push:\n    paths-ignore:\n      - 'scripts/**'";
    const files = { ...FILES, '.github/workflows/b.yml': workflow(on, BUILD) };
    expect(await messages(files)).toHaveLength(1);
    expect((await fixed(files, '.github/workflows/b.yml')).text).toBe(files['.github/workflows/b.yml']);
  });
});
