/**
 * BuildPlan extraction: each source (build-push-action, bake-action through the bake file, `run:`
 * steps, scripts run by hand), the shell following (defaults, arrays, functions, other scripts,
 * option parsing), values left unknown, and this repository's own CI and scripts.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlans, isKnown, type BuildPlan, type PlanValue } from '../../src/repo/build-plan.js';
import { discover } from '../../src/repo/discover.js';
import type { Repo } from '../../src/repo/repo.js';
import { tempRepo } from '../helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) {
    await cleanup();
  }
});

async function repoOf(files: Record<string, string>): Promise<Repo> {
  const { root, cleanup } = await tempRepo(files);
  cleanups.push(cleanup);
  return discover(root);
}

/** The value of a plan field, or `?` when unknown. */
function value<T>(field: PlanValue<T>): T | '?' {
  return isKnown(field) ? field.value : '?';
}

function line(field: PlanValue<unknown>): number | null {
  return field.at?.range.start.line ?? null;
}

function args(plan: BuildPlan): Record<string, string> {
  return Object.fromEntries([...plan.buildArgs].map(([name, field]) => [name, isKnown(field) ? field.value : '?']));
}

function tags(plan: BuildPlan): string[] {
  return plan.tags.map((tag) => (isKnown(tag) ? tag.value : '?'));
}

const DOCKERFILE = 'FROM busybox:1.36 AS build\nRUN true\nFROM busybox:1.36 AS runtime\n';

describe('docker/build-push-action', () => {
  it('reads every input, each with its line', async () => {
    const repo = await repoOf({
      'app/Dockerfile': DOCKERFILE,
      '.github/workflows/build.yaml': [
        'on: push',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        '      - uses: docker/setup-buildx-action@v3',
        '        id: cloud',
        '        with:',
        '          driver: cloud',
        '          endpoint: org/builder',
        '      - uses: docker/build-push-action@v6',
        '        with:',
        '          context: .',
        '          file: ./app/Dockerfile',
        '          target: runtime',
        '          platforms: linux/amd64,linux/arm64',
        '          push: true',
        '          pull: true',
        '          no-cache: false',
        '          builder: ${{ steps.cloud.outputs.name }}',
        '          tags: |',
        '            example/app:latest',
        '            example/app:${{ github.sha }}',
        '          build-args: |',
        '            VERSION=1.2.3',
        '            BUILD_DATE=${{ steps.meta.outputs.date }}',
        '          cache-from: type=registry,ref=example/app:cache',
        '          cache-to: type=registry,ref=example/app:cache,mode=max',
        '',
      ].join('\n'),
    });
    const [plan] = buildPlans(repo).all;
    expect(plan?.kind).toBe('build-push-action');
    if (!plan) {
      return;
    }
    expect(plan.side).toBe('ci');
    expect(value(plan.context)).toBe('');
    expect(value(plan.dockerfile)).toBe('app/Dockerfile');
    expect(line(plan.dockerfile)).toBe(14);
    expect(value(plan.target)).toBe('runtime');
    expect(value(plan.platforms)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(value(plan.push)).toBe(true);
    expect(value(plan.pull)).toBe(true);
    expect(value(plan.noCache)).toBe(false);
    expect(value(plan.builder)).toBe('cloud driver (org/builder)');
    expect(tags(plan)).toEqual(['example/app:latest', 'example/app:<commit>']);
    expect(plan.tags.map(line)).toEqual([22, 23]);
    expect(args(plan)).toEqual({ VERSION: '1.2.3', BUILD_DATE: '?' });
    expect(line(plan.buildArgs.get('BUILD_DATE') as PlanValue<string>)).toBe(26);
    expect(value(plan.cacheFrom)).toEqual(['type=registry,ref=example/app:cache']);
    expect(value(plan.cacheTo)).toEqual(['type=registry,ref=example/app:cache,mode=max']);
    expect(buildPlans(repo).families[0]?.ci).toEqual([plan]);
  });

  it('defaults: context is the repository root, push off, the Docker engine without setup-buildx', async () => {
    const repo = await repoOf({
      'Dockerfile': DOCKERFILE,
      '.github/workflows/build.yaml': 'on: push\njobs:\n  b:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: docker/build-push-action@v6\n',
    });
    const [plan] = buildPlans(repo).all;
    expect(plan && value(plan.dockerfile)).toBe('Dockerfile');
    expect(plan && value(plan.push)).toBe(false);
    expect(plan && value(plan.builder)).toBe('docker engine');
  });
});

const BAKE = `
variable "REPO" {
  default = "example/app"
}
variable "TAG" {
  default = "latest"
}
target "_common" {
  context   = "."
  platforms = ["linux/amd64"]
}
target "app" {
  inherits   = ["_common"]
  dockerfile = "app/Dockerfile"
  target     = "runtime"
  tags       = ["\${REPO}:\${TAG}"]
  args = {
    VERSION = "1.2.3"
  }
}
`;

describe('bake', () => {
  it('resolves docker/bake-action through the bake file: inherits, variables from env, set overrides', async () => {
    const repo = await repoOf({
      'app/Dockerfile': DOCKERFILE,
      'docker-bake.hcl': BAKE,
      '.github/workflows/build.yaml': [
        'on: push',
        'env:',
        '  TAG: stable',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        '      - uses: docker/bake-action@v6',
        '        with:',
        '          files: docker-bake.hcl',
        '          targets: app',
        '          push: true',
        '          set: |',
        '            *.args.EXTRA=1',
        '',
      ].join('\n'),
    });
    const [plan] = buildPlans(repo).all;
    expect(plan?.kind).toBe('bake-action');
    if (!plan) {
      return;
    }
    expect(plan.bakeTarget).toBe('app');
    expect(value(plan.context)).toBe('');
    expect(plan.context.at?.file).toBe('docker-bake.hcl');
    expect(line(plan.context)).toBe(9);
    expect(value(plan.platforms)).toEqual(['linux/amd64']);
    expect(value(plan.dockerfile)).toBe('app/Dockerfile');
    expect(line(plan.dockerfile)).toBe(14);
    expect(value(plan.target)).toBe('runtime');
    expect(tags(plan)).toEqual(['example/app:stable']);
    expect(args(plan)).toEqual({ VERSION: '1.2.3', EXTRA: '1' });
    expect(value(plan.push)).toBe(true);
  });

  it('resolves `docker buildx bake` in a script, with variables the script exports', async () => {
    const repo = await repoOf({
      'app/Dockerfile': DOCKERFILE,
      'docker-bake.hcl': BAKE,
      'build.sh': '#!/usr/bin/env bash\nexport TAG=${TAG:-manual}\ndocker buildx bake --pull app\n',
    });
    const [plan] = buildPlans(repo).all;
    expect(plan?.kind).toBe('buildx-bake');
    expect(plan && tags(plan)).toEqual(['example/app:manual']);
    expect(plan && value(plan.pull)).toBe(true);
    expect(plan && value(plan.builder)).toBe('?');
  });

  it('keeps a bake expression it does not evaluate unknown', async () => {
    const repo = await repoOf({
      'app/Dockerfile': DOCKERFILE,
      'docker-bake.hcl': 'function "t" {\n  params = [x]\n  result = "example/app:${x}"\n}\ntarget "app" {\n  dockerfile = "app/Dockerfile"\n  tags = [t("1")]\n}\n',
      'build.sh': '#!/usr/bin/env bash\ndocker buildx bake app\n',
    });
    const [plan] = buildPlans(repo).all;
    expect(plan && tags(plan)).toEqual(['?']);
    expect(plan?.tags[0] && !isKnown(plan.tags[0]) ? plan.tags[0].unknown : '').toContain('expression');
  });
});

describe('scripts run by hand', () => {
  it('follows defaults, arrays, a wrapper function and options', async () => {
    const repo = await repoOf({
      'app/Dockerfile': DOCKERFILE,
      'build.sh': [
        '#!/usr/bin/env bash',
        'set -euo pipefail',
        'IMAGE_REPO=${IMAGE_REPO:-example/app}',
        ': "${VERSION:=1.2.3}"',
        'PUSH=${PUSH:-0}',
        'while [[ $# -gt 0 ]]; do',
        '  case $1 in',
        '    --push) PUSH=1 ;;',
        '    *) exit 2 ;;',
        '  esac',
        '  shift',
        'done',
        'run() { echo "+ $*"; "$@"; }',
        'cmd=(docker buildx build -f app/Dockerfile --platform linux/amd64)',
        'cmd+=(--build-arg "VERSION=${VERSION}")',
        '[[ ${PUSH} != 1 ]] || cmd+=(--push)',
        'run "${cmd[@]}" -t "${IMAGE_REPO}:$(git rev-parse --short HEAD)" .',
        '',
      ].join('\n'),
    });
    const [plan] = buildPlans(repo).all;
    expect(plan?.side).toBe('script');
    if (!plan) {
      return;
    }
    expect(line({ value: 0, at: plan.at, soft: false })).toBe(17);
    expect(value(plan.dockerfile)).toBe('app/Dockerfile');
    expect(line(plan.dockerfile)).toBe(14);
    expect(args(plan)).toEqual({ VERSION: '1.2.3' });
    expect(value(plan.platforms)).toEqual(['linux/amd64']);
    expect(tags(plan)).toEqual(['example/app:<commit>']);
    // Pushing is an option: off by default, and marked as one the caller can change.
    expect(value(plan.push)).toBe(false);
    expect(isKnown(plan.push) && plan.push.soft).toBe(true);
  });

  it('follows a wrapper that execs a shared script with arguments, and the retag script it calls', async () => {
    const repo = await repoOf({
      'app/Dockerfile': DOCKERFILE,
      'build-app.sh': '#!/usr/bin/env bash\nexec "$(dirname "$0")/scripts/build.sh" app "$@"\n',
      'scripts/build.sh': [
        '#!/usr/bin/env bash',
        'NAME=${1:?name}',
        'shift',
        'cd "$(dirname "${BASH_SOURCE[0]}")/.."',
        'docker build -t "example/${NAME}:latest" -f "${NAME}/Dockerfile" .',
        'docker push "example/${NAME}:latest"',
        './retag.sh "example/${NAME}:latest" "example/${NAME}:$(date +%Y%m%d)"',
        '',
      ].join('\n'),
      'retag.sh': '#!/usr/bin/env bash\nSRC=$1\nshift\nfor dst in "$@"; do\n  docker tag "$SRC" "$dst"\n  docker push "$dst"\ndone\n',
    });
    const plans = buildPlans(repo).all;
    expect(plans).toHaveLength(1);
    const [plan] = plans;
    if (!plan) {
      return;
    }
    expect(plan.file).toBe('build-app.sh');
    expect(plan.via).toEqual(['build-app.sh']);
    expect(value(plan.dockerfile)).toBe('app/Dockerfile');
    expect(value(plan.context)).toBe('');
    expect(tags(plan)).toEqual(['example/app:latest']);
    expect(value(plan.push)).toBe(true);
    expect(value(plan.builder)).toBe('docker engine');
    expect(plan.retags.map((retag) => [retag.tool, value(retag.source), retag.targets.map(value)])).toEqual([
      ['docker tag', 'example/app:latest', ['example/app:<date>']],
    ]);
    // The retag is reported where the script calls the retag script.
    expect(plan.retags[0]?.at.file).toBe('scripts/build.sh');
    expect(plan.retags[0]?.at.range.start.line).toBe(7);
  });

  it('leaves what only the run decides unknown, with the reason', async () => {
    const repo = await repoOf({
      'app/Dockerfile': DOCKERFILE,
      'build.sh': '#!/usr/bin/env bash\ndocker build -t "$REGISTRY/app" --build-arg "V=$(cat VERSION)" -f app/Dockerfile .\n',
    });
    const [plan] = buildPlans(repo).all;
    expect(plan && tags(plan)).toEqual(['?']);
    const tag = plan?.tags[0];
    expect(tag && !isKnown(tag) ? tag.unknown : '').toContain('$REGISTRY is not set by the script');
    const arg = plan?.buildArgs.get('V');
    expect(arg && !isKnown(arg) ? arg.unknown : '').toContain('cat VERSION');
  });

  it('takes the branch a known value decides and merges branches an unknown one does not', async () => {
    const repo = await repoOf({
      'app/Dockerfile': DOCKERFILE,
      'build.sh': [
        '#!/usr/bin/env bash',
        'MODE=release',
        'if [[ $MODE == release ]]; then TAG=stable; else TAG=dev; fi',
        'if git diff --quiet; then SUFFIX=; else SUFFIX=-dirty; fi',
        'docker build -t "example/app:${TAG}" -t "example/app:x${SUFFIX}" -f app/Dockerfile .',
        '',
      ].join('\n'),
    });
    const [plan] = buildPlans(repo).all;
    expect(plan && tags(plan)).toEqual(['example/app:stable', '?']);
  });
});

describe('workflow run: steps', () => {
  it('builds in a run step and retags through a repository script', async () => {
    const repo = await repoOf({
      'app/Dockerfile': DOCKERFILE,
      'retag.sh': '#!/usr/bin/env bash\ndocker buildx imagetools create --tag "$2" "$1"\n',
      '.github/workflows/build.yaml': [
        'on: push',
        'env:',
        '  REPO: ${{ vars.REPO || \'example/app\' }}',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        '      - run: docker build -t "$REPO:${{ github.sha }}" -f app/Dockerfile .',
        '      - run: ./retag.sh "$REPO:${{ github.sha }}" "$REPO:latest"',
        '',
      ].join('\n'),
    });
    const plans = buildPlans(repo).all.filter((plan) => plan.side === 'ci');
    expect(plans).toHaveLength(1);
    const [plan] = plans;
    expect(plan && tags(plan)).toEqual(['example/app:<commit>']);
    expect(plan?.retags.map((retag) => [retag.tool, value(retag.source), retag.targets.map(value)])).toEqual([
      ['imagetools create', 'example/app:<commit>', ['example/app:latest']],
    ]);
  });
});

describe('this repository', () => {
  const root = join(import.meta.dirname, '..', '..');

  it('builds each image by hand exactly as its docker-bake.hcl target and CI do', async () => {
    const repo = await discover(root);
    const { families } = buildPlans(repo);
    for (const name of ['cpu', 'gpu']) {
      const family = families.find((group) => group.family === `base_edge_node_amd64_${name}`);
      expect(family?.script, name).toHaveLength(1);
      expect(family?.ci, name).toHaveLength(1);
      const script = family?.script[0];
      const ci = family?.ci[0];
      if (!script || !ci) {
        return;
      }
      expect(script.file).toBe(`build-and-push-amd64-${name}.sh`);
      expect(script.via).toEqual([`build-and-push-amd64-${name}.sh`]);
      expect(script.kind).toBe('buildx-bake');
      for (const plan of [script, ci]) {
        expect(plan.bakeTarget).toBe(name);
        expect(value(plan.context)).toBe('');
        expect(value(plan.dockerfile)).toBe(`base_edge_node_amd64_${name}/Dockerfile`);
        expect(plan.dockerfile.at?.file).toBe('docker-bake.hcl');
        expect(value(plan.target)).toBe(null);
        expect(value(plan.platforms)).toEqual(['linux/amd64']);
        expect(value(plan.pull)).toBe(true);
        expect(args(plan)).toEqual({});
      }
      // Both promote the tested image to the moving and the dated tag through retag_and_push.sh.
      const promoted = (plan: BuildPlan): string[] => [...new Set(plan.retags.filter((retag) => retag.tool === 'imagetools create').flatMap((retag) => retag.targets.map(value)))].sort() as string[];
      expect(promoted(script)).toEqual([`naeural/edge_node:base-amd64-${name}`, `naeural/edge_node:base-amd64-${name}-<date>`]);
      expect(promoted(ci)).toEqual(promoted(script));
      // Pushing is the script's --push option, so it is soft there.
      expect(isKnown(script.push) && script.push.soft).toBe(true);
    }
  });

  it('finds the plan-shaped fixture\'s CI and manual builds', async () => {
    const repo = await discover(join(root, 'test', 'fixtures', 'repos', 'plan-edge-node'));
    const cpu = buildPlans(repo).families.find((group) => group.family === 'base_edge_node_amd64_cpu');
    const ci = cpu?.ci[0];
    const script = cpu?.script[0];
    expect(ci && args(ci)).toEqual({ BUILD_DATE: '?', VCS_REF: '?' });
    expect(script && args(script)).toEqual({ PYTHON_VERSION: '3.13.11', FFMPEG_VERSION: '6.1.1' });
    expect(ci && tags(ci)).toEqual(['naeural/edge_node:base-amd64-cpu', 'naeural/edge_node:base-amd64-cpu-<commit>']);
    expect(script && tags(script)).toEqual(['naeural/edge_node:base-amd64-cpu']);
    expect(script?.retags.map((retag) => retag.targets.map(value))).toEqual([['naeural/edge_node:base-amd64-cpu-<date>']]);
    expect(ci && value(ci.builder)).toBe('cloud driver (naeural/naeural-builder)');
    expect(script && value(script.push)).toBe(true);
  });
});
