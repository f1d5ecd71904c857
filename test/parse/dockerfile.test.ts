/** The Dockerfile model (src/parse/dockerfile.ts). */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildInputs,
  parseDockerfile,
  splitImageReference,
  stagesNeededFor,
  type CopyInstruction,
  type DockerInstruction,
  type Dockerfile,
  type RunInstruction,
  type Stage,
} from '../../src/parse/dockerfile.js';
import { initShellParser } from '../../src/parse/shell.js';

beforeAll(async () => {
  await initShellParser();
});

function parse(...lines: string[]): Dockerfile {
  return parseDockerfile('Dockerfile', `${lines.join('\n')}\n`);
}

function at(dockerfile: Dockerfile, line: number): DockerInstruction {
  const found = dockerfile.instructions.find((instruction) => instruction.range.start.line === line);
  expect(found, `instruction at line ${line}`).toBeDefined();
  return found as DockerInstruction;
}

function runAt(dockerfile: Dockerfile, line: number): RunInstruction {
  const instruction = at(dockerfile, line);
  expect(instruction.kind).toBe('run');
  return instruction as RunInstruction;
}

function copyAt(dockerfile: Dockerfile, line: number): CopyInstruction {
  const instruction = at(dockerfile, line);
  expect(['copy', 'add']).toContain(instruction.kind);
  return instruction as CopyInstruction;
}

function stage(dockerfile: Dockerfile, label: string): Stage {
  const found = dockerfile.stages.find((entry) => entry.label === label);
  expect(found, `stage ${label}`).toBeDefined();
  return found as Stage;
}

/** `program args` of each command with its Dockerfile line:column. */
function commandsOf(run: RunInstruction): string[] {
  return (run.shell?.commands ?? []).map((command) =>
    `${command.range.start.line}:${command.range.start.column} ${[command.name ?? '<dynamic>', ...command.args.map((word) => word.value ?? word.text)].join(' ')}`);
}

function scopeOf(instruction: DockerInstruction): Record<string, string | undefined> {
  return Object.fromEntries([...instruction.scope].filter(([name]) => !/^(TARGET|BUILD)(PLATFORM|OS|ARCH|VARIANT)$/.test(name)));
}

describe('stages', () => {
  it('names and indexes stages, with labels for unnamed ones', () => {
    const dockerfile = parse(
      'FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS Build',
      'RUN make',
      'FROM ubuntu:22.04',
      'COPY --from=Build /out /opt/app',
    );
    expect(dockerfile.stages.map((entry) => [entry.index, entry.name, entry.label, entry.asKeyword])).toEqual([
      [0, 'Build', 'Build', 'AS'],
      [1, null, '#1', null],
    ]);
    expect(dockerfile.stages[0]?.nameRange).toEqual({ start: { line: 1, column: 46 }, end: { line: 1, column: 51 } });
    expect(dockerfile.stages[0]?.instructions.map((instruction) => instruction.keyword)).toEqual(['RUN']);
    expect(dockerfile.stages[1]?.instructions.map((instruction) => instruction.keyword)).toEqual(['COPY']);
    expect(at(dockerfile, 2).stage).toBe(dockerfile.stages[0]);
  });

  it('keeps the AS keyword as written', () => {
    expect(parse('from alpine:3.20 as base').stages[0]).toMatchObject({ name: 'base', asKeyword: 'as' });
    expect(parse('FROM alpine:3.20').instructions[0]?.keywordText).toBe('FROM');
    expect(parse('from alpine:3.20').instructions[0]).toMatchObject({ keyword: 'FROM', keywordText: 'from' });
  });

  it('splits the base image reference', () => {
    const dockerfile = parse(
      'FROM registry.example.com:5000/team/cuda:12.4.1-runtime@sha256:0123abcd AS a',
      'FROM python:3.12-slim AS b',
      'FROM ubuntu@sha256:feedbeef AS c',
      'FROM localhost:5000/img AS d',
      'FROM scratch AS e',
      'FROM --platform=$BUILDPLATFORM golang:1.23 AS f',
    );
    expect(dockerfile.stages.map((entry) => [entry.base.name, entry.base.tag, entry.base.digest])).toEqual([
      ['registry.example.com:5000/team/cuda', '12.4.1-runtime', 'sha256:0123abcd'],
      ['python', '3.12-slim', null],
      ['ubuntu', null, 'sha256:feedbeef'],
      ['localhost:5000/img', null, null],
      ['scratch', null, null],
      ['golang', '1.23', null],
    ]);
    expect(stage(dockerfile, 'e').base.scratch).toBe(true);
    expect(stage(dockerfile, 'f').base.platform).toBe('$BUILDPLATFORM');
    expect(stage(dockerfile, 'b').base.range).toEqual({ start: { line: 2, column: 6 }, end: { line: 2, column: 22 } });
  });

  it.each([
    ['ubuntu', { name: 'ubuntu', tag: null, digest: null }],
    ['ubuntu:22.04', { name: 'ubuntu', tag: '22.04', digest: null }],
    ['host:5000/a/b', { name: 'host:5000/a/b', tag: null, digest: null }],
    ['host:5000/a/b:1', { name: 'host:5000/a/b', tag: '1', digest: null }],
    ['a/b:1@sha256:x', { name: 'a/b', tag: '1', digest: 'sha256:x' }],
  ])('splitImageReference(%s)', (reference, parts) => {
    expect(splitImageReference(reference)).toEqual(parts);
  });

  it('links a stage built FROM an earlier stage, case-insensitively', () => {
    const dockerfile = parse('FROM python:3.12 AS Base', 'FROM base AS app');
    const app = stage(dockerfile, 'app');
    expect(app.base.stage).toBe(dockerfile.stages[0]);
    expect(app.base).toMatchObject({ name: null, tag: null, digest: null });
    expect(app.dependsOn).toEqual([dockerfile.stages[0]]);
  });

  it('does not link a stage to a later one of the same name', () => {
    const dockerfile = parse('FROM later AS first', 'FROM alpine AS later');
    expect(dockerfile.stages[0]?.base.stage).toBeNull();
    expect(dockerfile.stages[0]?.base.name).toBe('later');
  });
});

describe('ARG and ENV scope', () => {
  it('expands the base image with global ARG defaults', () => {
    const dockerfile = parse(
      'ARG CUDA=12.4.1',
      'ARG BASE=nvidia/cuda:${CUDA}-runtime-ubuntu22.04',
      'FROM ${BASE} AS runtime',
    );
    expect(dockerfile.globalArgs.map((arg) => arg.range.start.line)).toEqual([1, 2]);
    expect(dockerfile.stages[0]?.base).toMatchObject({
      raw: '${BASE}',
      expanded: 'nvidia/cuda:12.4.1-runtime-ubuntu22.04',
      resolved: true,
      name: 'nvidia/cuda',
      tag: '12.4.1-runtime-ubuntu22.04',
    });
    expect(at(dockerfile, 1).stage).toBeNull();
  });

  it('marks a base image from an ARG without a default as unresolved', () => {
    const dockerfile = parse('ARG BASE_IMAGE', 'FROM ${BASE_IMAGE}');
    expect(dockerfile.stages[0]?.base).toMatchObject({ raw: '${BASE_IMAGE}', expanded: '${BASE_IMAGE}', resolved: false });
  });

  it('hides global ARGs inside a stage until redeclared; ARG without a default takes the global default', () => {
    const dockerfile = parse(
      'ARG VERSION=1.2.3',
      'ARG FLAVOR',
      'FROM alpine:3.20',
      'RUN echo before',
      'ARG VERSION',
      'ARG FLAVOR',
      'ARG LOCAL=x-${VERSION}',
      'RUN echo after',
    );
    expect(scopeOf(at(dockerfile, 3))).toEqual({ VERSION: '1.2.3', FLAVOR: undefined });
    expect(scopeOf(at(dockerfile, 4))).toEqual({});
    expect(scopeOf(at(dockerfile, 8))).toEqual({ VERSION: '1.2.3', FLAVOR: undefined, LOCAL: 'x-1.2.3' });
    // A stage-level ARG with a default of its own overrides the global one.
    const overridden = parse('ARG V=1', 'FROM alpine', 'ARG V=2', 'RUN echo $V');
    expect(scopeOf(at(overridden, 4))).toEqual({ V: '2' });
  });

  it('declares BuildKit automatic platform ARGs in the global scope only', () => {
    const dockerfile = parse('FROM alpine', 'RUN echo $TARGETARCH', 'ARG TARGETARCH', 'RUN echo $TARGETARCH');
    expect(at(dockerfile, 1).scope.has('TARGETARCH')).toBe(true);
    expect(at(dockerfile, 2).scope.has('TARGETARCH')).toBe(false);
    expect(at(dockerfile, 4).scope.has('TARGETARCH')).toBe(true);
  });

  it('puts ENV in scope for later instructions and expands it', () => {
    const dockerfile = parse(
      'FROM ubuntu:22.04',
      'ARG PY=3.12',
      'ENV PYTHON_VERSION=${PY} VENV=/opt/venv',
      'ENV PATH=${VENV}/bin:$PATH',
      'ENV LEGACY value with spaces',
      'RUN echo',
    );
    expect(scopeOf(at(dockerfile, 6))).toEqual({
      PY: '3.12',
      PYTHON_VERSION: '3.12',
      VENV: '/opt/venv',
      PATH: '/opt/venv/bin:$PATH',
      LEGACY: 'value with spaces',
    });
    const env = at(dockerfile, 3);
    expect(env.kind === 'env' && env.pairs.map((pair) => [pair.name, pair.value, pair.legacy])).toEqual([
      ['PYTHON_VERSION', '${PY}', false],
      ['VENV', '/opt/venv', false],
    ]);
    const legacy = at(dockerfile, 5);
    expect(legacy.kind === 'env' && legacy.pairs.map((pair) => [pair.name, pair.value, pair.legacy])).toEqual([['LEGACY', 'value with spaces', true]]);
  });

  it('expands ENV pairs of one instruction with the values from before it', () => {
    // https://docs.docker.com/reference/dockerfile/#environment-replacement: def is "hello", ghi is "bye".
    const dockerfile = parse('FROM busybox', 'ENV abc=hello', 'ENV abc=bye def=$abc', 'ENV ghi=$abc', 'RUN echo');
    expect(scopeOf(at(dockerfile, 5))).toEqual({ abc: 'bye', def: 'hello', ghi: 'bye' });
  });

  it('inherits ENV (expanded), not ARG, into a stage built FROM another', () => {
    const dockerfile = parse(
      'FROM python:3.12 AS base',
      'ARG TORCH=2.5.1',
      'ENV TORCH_VERSION=${TORCH} HOME_DIR=/app',
      'FROM base AS app',
      'RUN echo',
      'FROM app AS final',
      'ENV EXTRA=1',
      'RUN echo',
    );
    expect(scopeOf(at(dockerfile, 5))).toEqual({ TORCH_VERSION: '2.5.1', HOME_DIR: '/app' });
    expect(scopeOf(at(dockerfile, 8))).toEqual({ TORCH_VERSION: '2.5.1', HOME_DIR: '/app', EXTRA: '1' });
  });

  it('starts an external-image stage with an empty scope', () => {
    const dockerfile = parse('FROM a AS one', 'ENV X=1', 'FROM b AS two', 'RUN echo');
    expect(scopeOf(at(dockerfile, 4))).toEqual({});
  });

  it('records several ARG declarations on one line', () => {
    const dockerfile = parse('ARG A=1 B', 'FROM alpine');
    const arg = at(dockerfile, 1);
    expect(arg.kind === 'arg' && arg.declarations.map((declaration) => [declaration.name, declaration.value])).toEqual([
      ['A', '1'],
      ['B', undefined],
    ]);
  });
});

describe('stage graph', () => {
  let dockerfile: Dockerfile;
  beforeAll(() => {
    dockerfile = graphDockerfile();
  });
  const graphDockerfile = (): Dockerfile => parse(
    'FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS build',
    'RUN make',
    'FROM python:3.12 AS wheels',
    'RUN pip wheel -w /wheels torch',
    'FROM build AS test',
    'RUN make test',
    'FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS runtime',
    'COPY --from=build /out /opt/app',
    'COPY --from=1 /wheels /wheels',
    'COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /usr/local/bin/uv',
    'RUN --mount=type=bind,from=test,source=/report,target=/r cat /r',
    'COPY --from=later /x /x',
    'FROM runtime AS final',
    'RUN echo done',
  );

  it('resolves COPY --from by name, index or external image', () => {
    expect(copyAt(dockerfile, 8)).toMatchObject({ from: 'build', fromStage: dockerfile.stages[0] });
    expect(copyAt(dockerfile, 9)).toMatchObject({ from: '1', fromStage: dockerfile.stages[1] });
    expect(copyAt(dockerfile, 10)).toMatchObject({ from: 'ghcr.io/astral-sh/uv:0.5', fromStage: null });
    // A name that is not an earlier stage is an image.
    expect(copyAt(dockerfile, 12).fromStage).toBeNull();
  });

  it('records dependsOn from base, COPY --from and RUN --mount=from', () => {
    expect(stage(dockerfile, 'test').dependsOn.map((entry) => entry.label)).toEqual(['build']);
    expect(stage(dockerfile, 'runtime').dependsOn.map((entry) => entry.label)).toEqual(['build', 'wheels', 'test']);
    expect(stage(dockerfile, 'final').dependsOn.map((entry) => entry.label)).toEqual(['runtime']);
  });

  it('marks the final stage and its base chain as shipped, nothing else', () => {
    expect(dockerfile.stages.map((entry) => [entry.label, entry.isFinal, entry.shipsInFinal])).toEqual([
      ['build', false, false],
      ['wheels', false, false],
      ['test', false, false],
      ['runtime', false, true],
      ['final', true, true],
    ]);
    const chain = parse('FROM a AS one', 'FROM one AS two', 'FROM two AS three');
    expect(chain.stages.map((entry) => entry.shipsInFinal)).toEqual([true, true, true]);
  });

  it('lists the stages a target needs in build order', () => {
    expect(stagesNeededFor(stage(dockerfile, 'final')).map((entry) => entry.label)).toEqual(['build', 'wheels', 'test', 'runtime', 'final']);
    expect(stagesNeededFor(stage(dockerfile, 'wheels')).map((entry) => entry.label)).toEqual(['wheels']);
  });

  it('records mounts', () => {
    const run = runAt(dockerfile, 11);
    expect(run.mounts).toEqual([
      { type: 'bind', target: '/r', source: '/report', from: 'test', id: null, range: { start: { line: 11, column: 5 }, end: { line: 11, column: 57 } } },
    ]);
    const cache = runAt(parse('FROM a', 'RUN --mount=type=cache,id=pip,dst=/root/.cache/pip --mount=type=secret,id=tok pip install x'), 2);
    expect(cache.mounts.map((mount) => [mount.type, mount.target, mount.id])).toEqual([
      ['cache', '/root/.cache/pip', 'pip'],
      ['secret', null, 'tok'],
    ]);
    expect(commandsOf(cache)).toEqual(['2:79 pip install x']);
  });
});

describe('comments', () => {
  let dockerfile: Dockerfile;
  beforeAll(() => {
    dockerfile = commentedDockerfile();
  });
  const commentedDockerfile = (): Dockerfile => parse(
    '# Build stage for the CUDA extensions.',
    '# Needs the devel image for nvcc.',
    '',
    '# pinned by renovate',
    'FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS build',
    '# install build tools',
    'RUN apt-get update',
    '',
    '# detached comment',
    '',
    'RUN make',
  );

  it('attaches the comment block directly above an instruction', () => {
    expect(at(dockerfile, 7).comments).toEqual([{ line: 6, text: 'install build tools' }]);
    expect(at(dockerfile, 5).comments).toEqual([{ line: 4, text: 'pinned by renovate' }]);
    // A blank line separates a comment from the instruction below it.
    expect(at(dockerfile, 11).comments).toEqual([]);
  });

  it('lets a stage header span blank lines', () => {
    expect(dockerfile.stages[0]?.header.map((comment) => comment.line)).toEqual([1, 2, 4]);
  });

  it('keeps every comment line of the file', () => {
    expect(dockerfile.comments.map((comment) => comment.line)).toEqual([1, 2, 4, 6, 9]);
  });

  it('stops a header at two blank lines or an instruction', () => {
    const spaced = parse('# about the file', '', '', '# about the stage', 'FROM a');
    expect(spaced.stages[0]?.header.map((comment) => comment.text)).toEqual(['about the stage']);
    const afterRun = parse('FROM a', 'RUN x', '# about b', 'FROM b');
    expect(afterRun.stages[1]?.header.map((comment) => comment.text)).toEqual(['about b']);
  });
});

describe('RUN bodies', () => {
  it('parses continuation lines to commands at their Dockerfile positions', () => {
    const dockerfile = parse(
      'FROM ubuntu:22.04',
      'RUN apt-get update && \\',
      '    apt-get install -y --no-install-recommends \\',
      '        curl ca-certificates && \\',
      '    rm -rf /var/lib/apt/lists/*',
    );
    const run = runAt(dockerfile, 2);
    expect(commandsOf(run)).toEqual([
      '2:5 apt-get update',
      '3:5 apt-get install -y --no-install-recommends curl ca-certificates',
      '5:5 rm -rf /var/lib/apt/lists/*',
    ]);
    const curl = run.shell?.commands[1]?.args.find((word) => word.value === 'curl');
    expect(curl?.range).toEqual({ start: { line: 4, column: 9 }, end: { line: 4, column: 13 } });
    expect(run.range).toEqual({ start: { line: 2, column: 1 }, end: { line: 5, column: 32 } });
    expect(run.shellCommand).toEqual(['/bin/sh', '-c']);
    expect(run.shell?.dialect).toBe('sh');
  });

  it('drops comment and blank lines inside continuations, keeping positions', () => {
    const dockerfile = parse(
      'FROM ubuntu:22.04',
      'RUN apt-get update && \\',
      '    # the toolchain',
      '    apt-get install -y build-essential \\',
      '',
      '  # and git',
      '    git && \\',
      '    rm -rf /var/lib/apt/lists/*',
    );
    const run = runAt(dockerfile, 2);
    expect(run.embeddedComments).toEqual([
      { line: 3, text: 'the toolchain' },
      { line: 6, text: 'and git' },
    ]);
    expect(commandsOf(run)).toEqual([
      '2:5 apt-get update',
      '4:5 apt-get install -y build-essential git',
      '8:5 rm -rf /var/lib/apt/lists/*',
    ]);
    expect(run.shell?.errors).toEqual([]);
    const git = run.shell?.commands[1]?.args.find((word) => word.value === 'git');
    expect(git?.range.start).toEqual({ line: 7, column: 5 });
    // Embedded comments are not "comments above" of the next instruction.
    expect(run.comments).toEqual([]);
  });

  it('follows SHELL for the dialect and the shell command, per stage', () => {
    const dockerfile = parse(
      'FROM ubuntu:22.04 AS a',
      'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
      'RUN echo a',
      'FROM a AS b',
      'RUN echo b',
      'FROM ubuntu:22.04 AS c',
      'RUN echo c',
    );
    expect(runAt(dockerfile, 3)).toMatchObject({ shellCommand: ['/bin/bash', '-o', 'pipefail', '-c'] });
    expect(runAt(dockerfile, 3).shell?.dialect).toBe('bash');
    expect(runAt(dockerfile, 5).shellCommand).toEqual(['/bin/bash', '-o', 'pipefail', '-c']);
    expect(runAt(dockerfile, 7).shellCommand).toEqual(['/bin/sh', '-c']);
  });

  it('parses the exec form as the words it runs', () => {
    const dockerfile = parse(
      'FROM a',
      'RUN ["apt-get", "install", "-y", "curl"]',
      'RUN ["/bin/sh", "-c", "echo \\"hello world\\" && ls"]',
      'RUN [ "pip", "install", "torch==2.5.1" ]',
    );
    const run = runAt(dockerfile, 2);
    expect(run.jsonForm).toBe(true);
    expect(run.jsonArgs).toEqual(['apt-get', 'install', '-y', 'curl']);
    expect(commandsOf(run)).toEqual(['2:5 apt-get install -y curl']);
    expect(runAt(dockerfile, 3).jsonArgs).toEqual(['/bin/sh', '-c', 'echo "hello world" && ls']);
    expect(runAt(dockerfile, 4).jsonArgs).toEqual(['pip', 'install', 'torch==2.5.1']);
    expect(runAt(dockerfile, 4).shell?.commands[0]?.args.map((word) => word.value)).toEqual(['install', 'torch==2.5.1']);
  });

  it('keeps spaces inside exec-form strings', () => {
    const run = runAt(parse('FROM a', 'RUN ["echo", "a b", "c\\td"]'), 2);
    expect(run.jsonArgs).toEqual(['echo', 'a b', 'c\td']);
    expect(run.shell?.commands[0]?.args.map((word) => word.value)).toEqual(['a b', 'c\td']);
  });

  it('treats a JSON-looking body that is not a string array as shell', () => {
    const run = runAt(parse('FROM a', 'RUN [ -f /etc/os-release ] && cat /etc/os-release'), 2);
    expect(run.jsonForm).toBe(false);
    expect(commandsOf(run)).toEqual(['2:31 cat /etc/os-release']);
  });

  it('parses `RUN <<EOF` heredocs as the script, at their own lines', () => {
    const dockerfile = parse(
      '# syntax=docker/dockerfile:1.7',
      'FROM ubuntu:22.04',
      'RUN <<EOF',
      'set -eux',
      'apt-get update',
      '  apt-get install -y curl',
      'EOF',
      'RUN echo after',
    );
    const run = runAt(dockerfile, 3);
    expect(run.heredocs).toEqual([
      { name: 'EOF', content: 'set -eux\napt-get update\n  apt-get install -y curl', contentRange: { start: { line: 4, column: 1 }, end: { line: 6, column: 26 } } },
    ]);
    expect(commandsOf(run)).toEqual(['4:1 set -eux', '5:1 apt-get update', '6:3 apt-get install -y curl']);
    expect(run.embeddedComments).toEqual([]);
    expect(commandsOf(runAt(dockerfile, 8))).toEqual(['8:5 echo after']);
    expect(dockerfile.usesBuildKit).toBe(true);
  });

  it('keeps `#` lines inside a heredoc script as shell comments, not embedded comments', () => {
    const run = runAt(parse('FROM a', 'RUN <<EOF', '# a shell comment', 'echo hi', 'EOF'), 2);
    expect(run.embeddedComments).toEqual([]);
    expect(commandsOf(run)).toEqual(['4:1 echo hi']);
  });

  it('parses `RUN python3 <<EOF` as python3 reading the heredoc on stdin', () => {
    const run = runAt(parse('FROM python:3.12', 'RUN python3 <<EOF', 'import sys', 'print(sys.version)', 'EOF'), 2);
    expect(commandsOf(run)).toEqual(['2:5 python3']);
    expect(run.shell?.commands[0]?.redirects).toEqual([{ operator: '<<', target: null, heredoc: 'import sys\nprint(sys.version)\n' }]);
  });

  it('parses a heredoc written to a file', () => {
    const run = runAt(parse('FROM a', 'RUN cat <<EOF > /etc/pip.conf', '[global]', 'no-cache-dir = true', 'EOF'), 2);
    expect(commandsOf(run)).toEqual(['2:5 cat']);
    expect(run.shell?.commands[0]?.redirects[0]).toMatchObject({ target: '/etc/pip.conf', heredoc: '[global]\nno-cache-dir = true\n' });
  });

  it('gives a RUN without a body no shell', () => {
    const dockerfile = parse('FROM a', 'RUN');
    expect(runAt(dockerfile, 2).shell).toBeNull();
  });

  it('parses CRLF files to the same commands and positions', () => {
    const dockerfile = parseDockerfile('Dockerfile', 'FROM ubuntu:22.04\r\nRUN apt-get update && \\\r\n    apt-get install -y curl\r\nRUN echo x\r\n');
    expect(commandsOf(runAt(dockerfile, 2))).toEqual(['2:5 apt-get update', '3:5 apt-get install -y curl']);
    expect(runAt(dockerfile, 2).shell?.commands[1]?.args.map((word) => word.value)).toEqual(['install', '-y', 'curl']);
    expect(commandsOf(runAt(dockerfile, 4))).toEqual(['4:5 echo x']);
  });
});

describe('parser directives', () => {
  it('reads syntax, escape and check directives from the top only', () => {
    const dockerfile = parse(
      '# syntax=docker/dockerfile:1.7',
      '# check=skip=StageNameCasing,JSONArgsRecommended;error=true',
      '# escape=\\',
      'FROM a',
      '# syntax=ignored',
    );
    expect(dockerfile.directives).toEqual([
      { name: 'syntax', value: 'docker/dockerfile:1.7', line: 1 },
      { name: 'check', value: 'skip=StageNameCasing,JSONArgsRecommended;error=true', line: 2 },
      { name: 'escape', value: '\\', line: 3 },
    ]);
    // Directive lines are not comments; the late "syntax" line is.
    expect(dockerfile.comments.map((comment) => comment.line)).toEqual([5]);
    expect(dockerfile.usesBuildKit).toBe(true);
  });

  it('ends directives at the first other line', () => {
    expect(parse('# a comment', '# syntax=docker/dockerfile:1', 'FROM a').directives).toEqual([]);
    expect(parse('FROM a', '# syntax=docker/dockerfile:1').directives).toEqual([]);
  });

  it('uses the backtick escape of `# escape=`` files for continuations', () => {
    const dockerfile = parse(
      '# escape=`',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
      'RUN echo one && `',
      '    # a note',
      '    echo two',
      'COPY app `',
      '     C:\\app\\',
    );
    expect(dockerfile.escape).toBe('`');
    const run = runAt(dockerfile, 3);
    expect(commandsOf(run)).toEqual(['3:5 echo one', '5:5 echo two']);
    expect(run.embeddedComments).toEqual([{ line: 4, text: 'a note' }]);
    expect(copyAt(dockerfile, 6)).toMatchObject({ sources: [{ value: 'app' }], destination: { value: 'C:\\app\\' } });
  });
});

describe('COPY and ADD', () => {
  it('splits sources and destination and expands ARGs in scope', () => {
    const dockerfile = parse(
      'FROM python:3.12',
      'ARG APP=/opt/app',
      'ARG REQS=requirements',
      'COPY --chown=app:app ${REQS}.txt constraints.txt ${APP}/',
      'ADD https://example.com/model.bin /models/',
      'COPY $MISSING/x /y',
    );
    const copy = copyAt(dockerfile, 4);
    expect(copy.sources.map((source) => source.value)).toEqual(['requirements.txt', 'constraints.txt']);
    expect(copy.destination?.value).toBe('/opt/app/');
    expect(copy.sources[0]?.range).toEqual({ start: { line: 4, column: 22 }, end: { line: 4, column: 33 } });
    expect(copy.flags.map((flag) => [flag.name, flag.value])).toEqual([['chown', 'app:app']]);
    expect(copy.from).toBeNull();
    expect(copyAt(dockerfile, 5)).toMatchObject({ kind: 'add', sources: [{ value: 'https://example.com/model.bin' }], destination: { value: '/models/' } });
    expect(copyAt(dockerfile, 6).sources[0]?.value).toBe('$MISSING/x');
  });

  it('reads the JSON form, spaces included', () => {
    const copy = copyAt(parse('FROM a', 'ARG DIR=app', 'COPY ["my dir/", "requirements.txt", "/opt/${DIR}/"]'), 3);
    expect(copy.jsonForm).toBe(true);
    expect(copy.sources.map((source) => source.value)).toEqual(['my dir/', 'requirements.txt']);
    expect(copy.destination?.value).toBe('/opt/app/');
  });

  it('expands --from with ARGs in scope', () => {
    const dockerfile = parse('FROM a AS builder', 'FROM b', 'ARG SRC=builder', 'COPY --from=${SRC} /out /out');
    expect(copyAt(dockerfile, 4)).toMatchObject({ from: 'builder', fromStage: dockerfile.stages[0] });
  });

  it('does not count heredoc bodies as sources', () => {
    const dockerfile = parse('FROM a', 'COPY <<EOF /etc/app.conf', 'key=value', 'EOF');
    const copy = copyAt(dockerfile, 2);
    expect(copy.sources).toEqual([]);
    expect(copy.destination?.value).toBe('/etc/app.conf');
    expect(copy.heredocs.map((heredoc) => heredoc.content)).toEqual(['key=value']);
    expect(dockerfile.usesBuildKit).toBe(true);
  });
});

describe('buildInputs', () => {
  it('lists context paths: COPY/ADD sources without --from and bind mounts from the context', () => {
    const dockerfile = parse(
      'FROM a AS build',
      'COPY requirements.txt /tmp/',
      'ADD https://example.com/x.tgz /x/',
      'ADD git@github.com:org/repo.git /src',
      'ADD vendor.tar.gz /opt/',
      'RUN --mount=type=bind,source=scripts,target=/s /s/build.sh',
      'RUN --mount=type=bind,target=/ctx ls /ctx',
      'RUN --mount=type=cache,target=/root/.cache pip install x',
      'FROM b',
      'COPY --from=build /out /out',
    );
    expect(buildInputs(dockerfile).map((input) => [input.path, input.instruction.keyword, input.range.start.line])).toEqual([
      ['requirements.txt', 'COPY', 2],
      ['vendor.tar.gz', 'ADD', 5],
      ['scripts', 'RUN', 6],
      ['.', 'RUN', 7],
    ]);
  });
});

describe('usesBuildKit', () => {
  it.each([
    [['FROM a', 'RUN echo'], false],
    [['# syntax=docker/dockerfile:1', 'FROM a'], true],
    [['FROM a', 'RUN --mount=type=cache,target=/x echo'], true],
    [['FROM a', 'COPY --link a /b'], true],
    [['FROM a', 'COPY --parents a/b /c'], true],
    [['FROM a', 'ADD --checksum=sha256:abc https://x/y /y'], true],
    [['FROM a', 'RUN <<EOF', 'echo', 'EOF'], true],
    [['FROM a', 'COPY <<EOF /x', 'y', 'EOF'], true],
    [['FROM a', 'COPY --chown=1:1 a /b'], false],
  ])('%j -> %s', (lines, expected) => {
    expect(parse(...lines).usesBuildKit).toBe(expected);
  });
});

describe('malformed input', () => {
  it.each([
    [''],
    ['\n\n'],
    ['# only a comment'],
    ['RUN echo before any FROM'],
    ['FROM'],
    ['FROM a AS'],
    ['NOTAKEYWORD something'],
    ['FROM a\nRUN \\'],
    ['FROM a\nRUN <<EOF\nnever closed'],
    ['FROM a\nCOPY'],
    ['FROM a\nCOPY --from= x y'],
    ['FROM a\nRUN ["unterminated'],
    ['ARG\nFROM ${'],
    ['\uFEFFFROM a'],
  ])('%j parses without throwing', (text) => {
    const dockerfile = parseDockerfile('Dockerfile', text);
    for (const instruction of dockerfile.instructions) {
      expect(instruction.range.start.line).toBeGreaterThanOrEqual(1);
    }
  });

  it('gives instructions before the first FROM no stage', () => {
    const dockerfile = parse('RUN echo', 'FROM a');
    expect(at(dockerfile, 1).stage).toBeNull();
    expect(dockerfile.stages).toHaveLength(1);
  });
});
