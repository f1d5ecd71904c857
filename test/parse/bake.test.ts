/** The bake model (src/parse/bake.ts): HCL and JSON bake files, variables, inherits, groups, problems. */
import { describe, expect, it } from 'vitest';
import { bakeBuildPaths, bakeCallArgs, bakeTargets, interpolate, mergeBake, parseBake } from '../../src/parse/bake.js';
import type { ShellWord } from '../../src/parse/shell.js';
import { lineRange } from '../../src/parse/locations.js';

const HCL = `variable "IMAGE_REPO" {
  default = "naeural/edge_node"
}

variable "FLAVOR" {
  default = "gpu"
}

variable "VCS_REF" {
  default = ""
}

function "candidate" {
  params = [tag]
  result = VCS_REF != "" ? "\${IMAGE_REPO}:\${tag}-\${VCS_REF}" : "\${IMAGE_REPO}:\${tag}"
}

target "_common" {
  context   = "."
  platforms = ["linux/amd64"]
  args = {
    PYTHON_VERSION = "3.12"
  }
}

target "gpu" {
  inherits   = ["_common"]
  dockerfile = "images/\${FLAVOR}/Dockerfile"
  target     = "runtime"
  tags       = [candidate("base-gpu")]
  args = {
    CUDA_VERSION = "12.8.1"
  }
  cache-from = ["type=registry,ref=\${IMAGE_REPO}:buildcache-gpu"]
  cache-to   = ["type=registry,ref=\${IMAGE_REPO}:buildcache-gpu,mode=max"]
  contexts = {
    weights = "./weights"
  }
}

target "cpu" {
  context    = "images/cpu"
  tags       = ["\${IMAGE_REPO}:base-cpu"]
}

group "default" {
  targets = ["cpu", "gpu"]
}

group "all" {
  targets = ["default"]
}
`;

function words(...values: string[]): ShellWord[] {
  return values.map((value) => ({ text: value, value: value.startsWith('$') ? null : value, range: lineRange(1) }));
}

describe('parseBake (HCL)', () => {
  it('reads variables, groups and targets with inherits and variable defaults applied', async () => {
    const model = await parseBake('docker-bake.hcl', HCL);
    expect(model.problems).toEqual([]);
    expect(model.format).toBe('hcl');
    expect(model.variables.map((variable) => [variable.name, variable.default, variable.line])).toEqual([
      ['FLAVOR', 'gpu', 5],
      ['IMAGE_REPO', 'naeural/edge_node', 1],
      ['VCS_REF', '', 9],
    ]);
    expect(model.groups.find((group) => group.name === 'default')?.targets).toEqual(['cpu', 'gpu']);
    const gpu = model.targets.find((target) => target.name === 'gpu');
    expect(gpu).toMatchObject({
      line: 26,
      context: '.',
      dockerfile: 'images/gpu/Dockerfile',
      target: 'runtime',
      platforms: ['linux/amd64'],
      args: { PYTHON_VERSION: '3.12', CUDA_VERSION: '12.8.1' },
      contexts: { weights: './weights' },
      cacheFrom: ['type=registry,ref=naeural/edge_node:buildcache-gpu'],
      cacheTo: ['type=registry,ref=naeural/edge_node:buildcache-gpu,mode=max'],
      inherits: ['_common'],
    });
    // A function call stays as written and is marked dynamic.
    expect(gpu?.tags).toEqual(['${candidate("base-gpu")}']);
    expect(gpu?.dynamic).toEqual(['tags']);
    const cpu = model.targets.find((target) => target.name === 'cpu');
    expect(cpu).toMatchObject({ context: 'images/cpu', dockerfile: null, tags: ['naeural/edge_node:base-cpu'], dynamic: [] });
  });

  it('resolves the Dockerfile relative to the context, "." and "Dockerfile" by default', async () => {
    const model = await parseBake('docker-bake.hcl', HCL);
    const byName = (name: string) => model.targets.find((target) => target.name === name)!;
    expect(bakeBuildPaths(byName('gpu'), '')).toEqual({ context: '', dockerfile: 'images/gpu/Dockerfile' });
    expect(bakeBuildPaths(byName('cpu'), '')).toEqual({ context: 'images/cpu', dockerfile: 'images/cpu/Dockerfile' });
    expect(bakeBuildPaths(byName('cpu'), 'build')).toEqual({ context: 'build/images/cpu', dockerfile: 'build/images/cpu/Dockerfile' });
    const empty = await parseBake('docker-bake.hcl', 'target "default" {}\n');
    expect(bakeBuildPaths(empty.targets[0]!, '')).toEqual({ context: '', dockerfile: 'Dockerfile' });
    const remote = await parseBake('docker-bake.hcl', 'target "default" {\n  context = "https://github.com/org/repo.git"\n}\n');
    expect(bakeBuildPaths(remote.targets[0]!, '')).toEqual({ context: null, dockerfile: null });
  });

  it('expands groups, recursively, and builds "default" without names', async () => {
    const model = await parseBake('docker-bake.hcl', HCL);
    expect(bakeTargets(model, []).targets.map((target) => target.name)).toEqual(['cpu', 'gpu']);
    expect(bakeTargets(model, ['all']).targets.map((target) => target.name)).toEqual(['cpu', 'gpu']);
    expect(bakeTargets(model, ['gpu', 'nope'])).toMatchObject({ targets: [{ name: 'gpu' }], unknown: ['nope'] });
  });

  it('reports broken HCL as problems with lines, never throws', async () => {
    const model = await parseBake('docker-bake.hcl', 'target "gpu" {\n  context = "."\n  tags = [\n}\n');
    expect(model.problems.length).toBeGreaterThan(0);
    expect(model.problems[0]?.range.start.line).toBe(4);
    expect(model.problems[0]?.message).toMatch(/^bake file does not parse: /);
    expect(model.targets).toEqual([]);
  });

  it('reports unknown and cyclic inherits', async () => {
    const model = await parseBake('docker-bake.hcl', 'target "a" {\n  inherits = ["b"]\n}\ntarget "b" {\n  inherits = ["a", "c"]\n}\n');
    expect(model.problems.map((problem) => problem.message)).toEqual(expect.arrayContaining([
      'target "b" inherits from "c", which is not defined',
    ]));
    expect(model.problems.some((problem) => problem.message.includes('cycle'))).toBe(true);
  });

  it('merges an override file: later attributes win, maps merge', async () => {
    const base = await parseBake('docker-bake.hcl', HCL);
    const override = await parseBake('docker-bake.override.hcl', 'variable "FLAVOR" {\n  default = "gpu-dev"\n}\ntarget "gpu" {\n  args = {\n    TORCH_VERSION = "2.7.1"\n  }\n}\n');
    const merged = mergeBake([base, override]);
    const gpu = merged.targets.find((target) => target.name === 'gpu');
    expect(gpu?.dockerfile).toBe('images/gpu-dev/Dockerfile');
    expect(gpu?.args).toEqual({ PYTHON_VERSION: '3.12', CUDA_VERSION: '12.8.1', TORCH_VERSION: '2.7.1' });
  });
});

describe('parseBake (JSON)', () => {
  it('reads a JSON bake file directly', async () => {
    const text = JSON.stringify({
      variable: { TAG: { default: 'latest' } },
      group: { default: { targets: ['webapp'] } },
      target: {
        base: { context: 'app' },
        webapp: { inherits: ['base'], dockerfile: 'docker/Dockerfile', tags: ['docker.io/username/webapp:${TAG}'], 'cache-from': ['type=gha'] },
      },
    }, null, 2);
    const model = await parseBake('docker-bake.json', text);
    expect(model.problems).toEqual([]);
    expect(model.format).toBe('json');
    const webapp = model.targets.find((target) => target.name === 'webapp')!;
    expect(webapp).toMatchObject({ context: 'app', dockerfile: 'docker/Dockerfile', tags: ['docker.io/username/webapp:latest'], cacheFrom: ['type=gha'], dynamic: [] });
    expect(webapp.line).toBe(text.split('\n').findIndex((line) => line.includes('"webapp": {')) + 1);
    expect(bakeBuildPaths(webapp, '')).toEqual({ context: 'app', dockerfile: 'app/docker/Dockerfile' });
  });

  it('reports invalid JSON with a line', async () => {
    const model = await parseBake('docker-bake.json', '{\n  "target": {\n    "a": {,}\n  }\n}\n');
    expect(model.problems).toHaveLength(1);
    expect(model.problems[0]?.range.start.line).toBe(3);
  });
});

describe('interpolate and bakeCallArgs', () => {
  it('substitutes plain variables and keeps the rest marked', () => {
    const defaults = new Map<string, string | null>([['A', 'x'], ['B', null]]);
    expect(interpolate('${A}/y', defaults)).toEqual({ value: 'x/y', resolved: true });
    expect(interpolate('${B}-${A}', defaults)).toEqual({ value: '${B}-x', resolved: false });
    expect(interpolate('${upper(A)}', defaults)).toEqual({ value: '${upper(A)}', resolved: false });
  });

  it('reads files and targets of a bake command line', () => {
    expect(bakeCallArgs(words('--file', 'docker-bake.hcl', '--progress', 'plain', '--set', '*.platform=linux/amd64', '--push', 'gpu', 'cpu'))).toEqual({ files: ['docker-bake.hcl'], targets: ['gpu', 'cpu'] });
    expect(bakeCallArgs(words('-f', 'a.hcl', '--file=b.hcl', '--load', '$TARGET'))).toEqual({ files: ['a.hcl', 'b.hcl'], targets: [null] });
  });
});
