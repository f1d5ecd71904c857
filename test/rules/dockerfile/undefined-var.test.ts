import { describe, expect, it } from 'vitest';
import { undefinedVar } from '../../../src/rules/dockerfile/undefined-var.js';
import { fixed, lint, lintLines } from './lint.js';

describe('dockerfile/undefined-var', () => {
  it('follows ARG scope across stages: a global ARG must be re-declared in every stage that uses it', async () => {
    const lines = await lintLines(undefinedVar, [
      'ARG CUDA_VERSION=12.4.1',
      'FROM nvidia/cuda:${CUDA_VERSION}-devel-ubuntu22.04 AS build',
      'ARG CUDA_VERSION',
      'RUN echo "$CUDA_VERSION"',
      'FROM nvidia/cuda:${CUDA_VERSION}-runtime-ubuntu22.04',
      'RUN echo "$CUDA_VERSION"',
      '',
    ].join('\n'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^6: "\$CUDA_VERSION" is a global ARG \(line 1\) that stage "#1" does not declare/);
  });

  it('counts ARG and ENV of local base stages as declared', async () => {
    expect(await lintLines(undefinedVar, [
      'ARG TORCH=2.3.1',
      'FROM python:3.11-slim AS base',
      'ARG TORCH',
      'ENV VENV=/opt/venv',
      'FROM base AS test',
      'RUN echo $TORCH $VENV',
      'COPY tests/ $VENV/tests/',
      '',
    ].join('\n'))).toEqual([]);
  });

  it.each([
    ['an escaped dollar', 'COPY \\$CUDA/x /y'],
    ['single quotes', "COPY '$CUDA' /y"],
    ['a RUN in exec form', 'RUN ["echo", "$CUDA"]'],
    ['single quotes in RUN', "RUN echo '$CUDA'"],
    ['an assignment in the RUN', 'RUN CUDA=12.4 && echo "$CUDA"'],
    ['an export in the RUN', 'RUN export CUDA=12.4; echo "$CUDA"'],
    ['a loop variable', 'RUN for CUDA in 12.1 12.4; do echo "$CUDA"; done'],
    ['a secret mount env', 'RUN --mount=type=secret,id=c,env=CUDA echo "$CUDA"'],
    ['a COPY here-document body', 'COPY <<EOF /etc/cuda\n$CUDA\nEOF'],
    ['a comment', 'RUN echo ok # $CUDA'],
    ['PATH and HOME', 'ENV PATH=$HOME/bin:$PATH'],
  ])('ignores %s', async (_name, line) => {
    expect(await lintLines(undefinedVar, `ARG CUDA=12.4\nFROM ubuntu:22.04\n${line}\n`)).toEqual([]);
  });

  it.each([
    ['JSON-form COPY', 'COPY ["cuda-$CUDA/lib", "/usr/local/lib/"]', 3],
    ['COPY --chown', 'COPY --chown=$CUDA:root a /b', 3],
    ['a RUN here-document', 'RUN <<EOF\nset -eu\necho "$CUDA"\nEOF', 5],
    ['a continued RUN', 'RUN set -eux; \\\n    echo "${CUDA}"', 4],
    ['a default that hides it', 'WORKDIR /opt/cuda-${CUDA:-12.1}', 3],
    ['an automatic platform ARG', 'COPY bin/${TARGETARCH}/ffmpeg /usr/local/bin/', 3],
  ])('reports the global ARG in %s', async (_name, line, at) => {
    const lines = await lintLines(undefinedVar, `ARG CUDA=12.4\nFROM ubuntu:22.04\n${line}\n`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${at}: `));
  });

  it('reports a name once per instruction', async () => {
    expect(await lintLines(undefinedVar, 'ARG CUDA=12.4\nFROM ubuntu:22.04\nRUN echo $CUDA $CUDA ${CUDA}\n')).toHaveLength(1);
  });

  it('reports any undeclared name in a stage from scratch, but only typos for external images', async () => {
    const dockerfile = [
      'FROM ubuntu:22.04 AS build',
      'ENV FFMPEG_PREFIX=/opt/ffmpeg',
      'COPY ffmpeg $FFMPEG_PREFX/bin/',
      'COPY ffprobe $FROM_BASE_IMAGE/bin/',
      'COPY x ${OPTIONAL:-/opt}/x',
      'FROM scratch',
      'COPY --from=build /opt $OUT/',
      'COPY --from=build /opt ${OPTIONAL:-/opt}/',
      '',
    ].join('\n');
    expect(await lintLines(undefinedVar, dockerfile)).toEqual([
      '3: "$FFMPEG_PREFX" is not declared by ARG or ENV in stage "build" (did you mean "$FFMPEG_PREFIX"?)',
      '7: "$OUT" is not declared by ARG or ENV in stage "#1", which starts from scratch, so it expands to an empty string',
    ]);
  });

  it('evaluates one ENV against the variables before it, as BuildKit does', async () => {
    const lines = await lintLines(undefinedVar, 'FROM scratch\nENV PREFIX=/opt LIBDIR=$PREFIX/lib\n');
    expect(lines).toEqual(['2: "$PREFIX" is not declared by ARG or ENV in stage "#0", which starts from scratch, so it expands to an empty string']);
  });

  it('skips comment lines inside continuations', async () => {
    expect(await lintLines(undefinedVar, 'FROM scratch\nENV A=1 \\\n  # was $OLD\n  B=2\n')).toEqual([]);
  });

  it('declares the ARG after FROM once per stage', async () => {
    const dockerfile = 'ARG CUDA=12.4\nFROM ubuntu:22.04\nRUN echo $CUDA\nWORKDIR /opt/$CUDA\n';
    expect(await fixed(undefinedVar, dockerfile)).toBe('ARG CUDA=12.4\nFROM ubuntu:22.04\nARG CUDA\nRUN echo $CUDA\nWORKDIR /opt/$CUDA\n');
  });

  it('honours # check=skip=UndefinedVar', async () => {
    expect(await lintLines(undefinedVar, '# check=skip=UndefinedVar\nARG CUDA=12.4\nFROM ubuntu:22.04\nRUN echo $CUDA\n')).toEqual([]);
  });
});

describe('dockerfile/undefined-var with a version-tagged base image', () => {
  it('reports at info level when the ARG also names the base image', async () => {
    const dockerfile = 'ARG PYTHON_VERSION=3.11\nFROM python:${PYTHON_VERSION}-slim AS base\nFROM base\nRUN echo "$PYTHON_VERSION"\n';
    const findings = await lint(undefinedVar, dockerfile);
    expect(findings.map((finding) => finding.severity)).toEqual(['info']);
    expect(findings[0]?.message).toContain('unless the base image sets ENV PYTHON_VERSION itself');
  });
});
