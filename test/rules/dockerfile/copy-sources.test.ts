import { describe, expect, it } from 'vitest';
import { copyFromUnknownStage } from '../../../src/rules/dockerfile/copy-from-unknown-stage.js';
import { copyIgnoredFile } from '../../../src/rules/dockerfile/copy-ignored-file.js';
import { copySourceMissing } from '../../../src/rules/dockerfile/copy-source-missing.js';
import { lintLines } from './lint.js';

const from = 'FROM python:3.11-slim\n';

describe('dockerfile/copy-source-missing', () => {
  it.each([
    ['a variable it cannot resolve', 'COPY ${SRC}/app /app'],
    ['a resolved ARG', 'ARG DIR=src\nCOPY ${DIR}/main.py /app/'],
    ['a path above the context', 'COPY ../shared /shared'],
    ['an absolute path in the context', 'COPY /src/main.py /app/'],
    ['the whole context', 'COPY . /app'],
    ['a COPY --from', 'COPY --from=python:3.11 /usr/local /usr/local'],
    ['a here-document', 'COPY <<EOF /etc/app.conf\nmode=prod\nEOF'],
    ['an ADD of a URL', 'ADD https://example.com/tool.tar.gz /tmp/'],
    ['an ADD of a git repository', 'ADD git@github.com:moby/buildkit.git /src'],
    ['a glob that matches', 'COPY src/*.py /app/'],
    ['a --parents globstar', 'COPY --parents src/**/*.py /app/'],
    ['a folder review skipped', 'COPY node_modules/.bin/tool /usr/local/bin/'],
    ['a JSON-form source with a blank', 'COPY ["docs/read me.txt", "/app/"]'],
  ])('accepts %s', async (_name, line) => {
    const files = { Dockerfile: `${from}${line}\n`, 'src/main.py': 'print(1)\n', 'docs/read me.txt': 'x\n', 'node_modules/tool/index.js': 'x\n' };
    expect(await lintLines(copySourceMissing, files)).toEqual([]);
  });

  it('matches globs without --parents the way Go does: ** does not cross folders', async () => {
    const files = { Dockerfile: `${from}COPY src/**.py /app/\n`, 'src/app/main.py': 'print(1)\n' };
    expect(await lintLines(copySourceMissing, files)).toHaveLength(1);
  });

  it('resolves sources against the context a workflow builds with', async () => {
    const files = {
      'docker/cuda/Dockerfile': `${from}COPY requirements.txt /tmp/\nCOPY docker/cuda/requirements.txt /tmp/\n`,
      'docker/cuda/requirements.txt': 'torch==2.3.1\n',
      '.github/workflows/build.yml': 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: .\n          file: docker/cuda/Dockerfile\n',
    };
    expect(await lintLines(copySourceMissing, files)).toEqual([
      '2: COPY source "requirements.txt" is not in the build context (the repository root), so the build fails with "not found"',
    ]);
  });

  it('leaves a path .dockerignore excludes to dockerfile/copy-ignored-file', async () => {
    const files = { Dockerfile: `${from}COPY build/app.whl /tmp/\n`, '.dockerignore': 'build\n' };
    expect(await lintLines(copySourceMissing, files)).toEqual([]);
  });
});

describe('dockerfile/copy-ignored-file', () => {
  it('uses the Dockerfile-specific ignore file first', async () => {
    const files = {
      'app.Dockerfile': `${from}COPY models/model.onnx /models/\n`,
      'app.Dockerfile.dockerignore': 'models\n',
      '.dockerignore': '.git\n',
      'models/model.onnx': 'x\n',
    };
    expect(await lintLines(copyIgnoredFile, files)).toEqual([
      '2: COPY source "models/model.onnx" is excluded by "app.Dockerfile.dockerignore", so it is not in the build context and the build fails with "not found"',
    ]);
  });

  it.each([
    ['an exception re-includes the file', 'models\n!models/model.onnx\n', 'COPY models/model.onnx /models/'],
    ['an exception re-includes a file of the folder', 'models\n!models/model.onnx\n', 'COPY models /models'],
    ['only the folder contents are excluded', 'models/*\n', 'COPY models /models'],
    ['a glob keeps one file', '*.onnx\n!keep.onnx\n', 'COPY *.onnx /models/'],
    ['nothing is excluded', '.git\n', 'COPY models /models'],
  ])('accepts it when %s', async (_name, ignore, line) => {
    const files = { Dockerfile: `${from}${line}\n`, '.dockerignore': ignore, 'models/model.onnx': 'x\n', 'keep.onnx': 'x\n', 'drop.onnx': 'x\n' };
    expect(await lintLines(copyIgnoredFile, files)).toEqual([]);
  });

  it('honours # check=skip=CopyIgnoredFile', async () => {
    const files = { Dockerfile: `# check=skip=CopyIgnoredFile\n${from}COPY models /models\n`, '.dockerignore': 'models\n', 'models/a.onnx': 'x\n' };
    expect(await lintLines(copyIgnoredFile, files)).toEqual([]);
  });
});

describe('dockerfile/copy-from-unknown-stage', () => {
  it.each([
    ['a stage by index', 'FROM a:1 AS one\nFROM b:1\nCOPY --from=0 /x /y'],
    ['a stage in another casing', 'FROM a:1 AS Build\nFROM b:1\nCOPY --from=build /x /y'],
    ['an image with a tag', 'FROM b:1\nCOPY --from=ghcr.io/astral-sh/uv:0.4.18 /uv /bin/'],
    ['an official image', 'FROM b:1\nCOPY --from=busybox /bin/busybox /bin/'],
    ['an ARG it cannot resolve', 'FROM b:1\nCOPY --from=$TOOLS /x /y'],
    ['a global ARG naming a stage', 'ARG SRC=build\nFROM a:1 AS build\nFROM b:1\nARG SRC\nCOPY --from=${SRC} /x /y'],
    ['a cache mount from a stage', 'FROM a:1 AS deps\nFROM b:1\nRUN --mount=type=cache,from=deps,target=/root/.cache pip --version'],
  ])('accepts %s', async (_name, text) => {
    expect(await lintLines(copyFromUnknownStage, `${text}\n`)).toEqual([]);
  });

  it('accepts a named context declared in docker-bake.hcl', async () => {
    const files = {
      Dockerfile: 'FROM b:1\nCOPY --from=weights /model.onnx /models/\n',
      'docker-bake.hcl': 'target "default" {\n  contexts = {\n    weights = "./weights"\n  }\n}\n',
    };
    expect(await lintLines(copyFromUnknownStage, files)).toEqual([]);
  });

  it('reports a stage index on the first stage', async () => {
    expect(await lintLines(copyFromUnknownStage, 'FROM b:1\nCOPY --from=1 /x /y\n')).toEqual([
      '2: COPY --from=1 points at stage 1, but no stage comes before it, so the build fails',
    ]);
  });
});
