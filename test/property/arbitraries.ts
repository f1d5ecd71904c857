/**
 * fast-check generators for the property tests: Dockerfiles from a small grammar of the
 * instructions heavy base images use (with random flags, quoting, continuations, heredocs,
 * unicode, CRLF and garbage lines), shell bodies from a grammar of commands and operators, and
 * line-level mutations of real Dockerfiles.
 */
import fc from 'fast-check';

const pick = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values);

/** Text that may hold anything: unicode, control characters, quotes, `$`, backslashes. */
export const noise: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  pick('\\', '`', '"', "'", '$', '${', '}', '$(', ')', '<<', '<<EOF', 'EOF', '#', '\t', '\r', '&&', '||', '|', ';', '[', ']', '"]', '\\\n', 'é', '日本', '🐳', '\u200b', '\ufeff'),
);

const image = pick(
  'nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04',
  'nvidia/cuda:12.4.1-runtime-ubuntu22.04',
  'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime',
  'python:3.12-slim',
  'ubuntu:24.04',
  'ubuntu',
  'ubuntu@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'registry.example.com:5000/team/base:1.0',
  'scratch',
  '${BASE_IMAGE}',
  '${BASE:-ubuntu:22.04}',
  '$IMAGE',
  'build',
  'base',
  '0',
);
const stageName = pick('build', 'base', 'runtime', 'Builder', 'final', 'wheels', 'ffmpeg-builder');
const path = pick('/opt/app', '/usr/local/bin/', '.', 'requirements.txt', 'scripts/', 'src', '/tmp/x.tgz', 'C:\\app', '"/with space/"', '${APP_DIR}', '/root/.cache/pip', '*.whl', '../outside');
const url = pick(
  'https://download.pytorch.org/whl/cu124',
  'https://github.com/FFmpeg/FFmpeg/archive/refs/tags/n7.1.tar.gz',
  'https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2204/x86_64/cuda-keyring_1.1-1_all.deb',
  'https://bootstrap.pypa.io/get-pip.py',
  'http://example.com/install.sh',
  '"https://example.com/a b"',
);
const pkg = pick('curl', 'ca-certificates', 'ffmpeg', 'libgl1', 'python3-pip', 'git=1:2.43.0-1', 'build-essential', '"$PKG"', 'torch==2.5.1', 'numpy<2', 'opencv-python-headless', 'tensorrt');
const varName = pick('BASE_IMAGE', 'CUDA_VERSION', 'PYTHON_VERSION', 'DEBIAN_FRONTEND', 'PATH', 'APP_DIR', 'TARGETARCH', 'HTTP_PROXY', 'PIP_NO_CACHE_DIR', 'lower_case', 'X');
const value = fc.oneof(pick('12.4.1', 'noninteractive', '/opt/venv/bin:$PATH', '"quoted value"', "'single'", '${X:-default}', '', '1', 'a\\ b', '$(id -u)'), noise);

/** One shell command line. */
export const shellCommand: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(pick('apt-get', 'apt', 'sudo apt-get', 'DEBIAN_FRONTEND=noninteractive apt-get', 'sudo -E env X=1 apt-get'), pick('update', 'install', 'upgrade', 'dist-upgrade', '-o Dpkg::Options::=--force-confold install'), fc.subarray(['-y', '-qq', '--no-install-recommends', '-qy', '--yes']), fc.array(pkg, { maxLength: 3 })).map(([tool, sub, flags, pkgs]) => [tool, sub, ...flags, ...pkgs].join(' ')) },
  { weight: 4, arbitrary: fc.tuple(pick('pip', 'pip3', 'pip3.12', 'python3 -m pip', 'uv pip', 'python -m uv pip', '/opt/venv/bin/pip', 'conda', 'mamba'), pick('install', 'uninstall -y', 'download'), fc.subarray(['--no-cache-dir', '-U', '--upgrade', '--index-url https://download.pytorch.org/whl/cu124', '-r requirements.txt', '--break-system-packages', '--system']), fc.array(pkg, { maxLength: 3 })).map(([tool, sub, flags, pkgs]) => [tool, sub, ...flags, ...pkgs].join(' ')) },
  { weight: 4, arbitrary: fc.tuple(pick('curl', 'curl -fsSL', 'curl -fsSLo /tmp/f', 'curl -O', 'wget', 'wget -qO-', 'wget -q -O /tmp/f'), url, pick('', ' | sh', ' | bash -s --', ' | tar -xz -C /opt', ' | gpg --dearmor -o /usr/share/keyrings/k.gpg', ' > /tmp/f')).map(([tool, link, tail]) => `${tool} ${link}${tail}`) },
  { weight: 3, arbitrary: pick('rm -rf /var/lib/apt/lists/*', 'apt-get clean', 'pip cache purge', 'conda clean -afy', 'ldconfig', 'make -j"$(nproc)"', 'make install', './configure --prefix=/usr/local --enable-shared', 'cd /tmp', 'chmod +x /usr/local/bin/entrypoint.sh', 'useradd -m app', 'set -euxo pipefail', 'set -o pipefail', 'echo "$(uname -m)"', 'ln -sf /usr/bin/python3 /usr/bin/python', 'git clone --depth 1 https://github.com/FFmpeg/FFmpeg.git', 'tar -xzf x.tgz', 'dpkg -i cuda-keyring_1.1-1_all.deb', 'nvidia-smi || true', 'python3 -c "import torch; print(torch.cuda.is_available())"', 'export PATH=/opt/venv/bin:$PATH', 'source /opt/venv/bin/activate', 'cd /src && git checkout v1.0', 'sudo -u app true', 'timeout 5 nice -n 5 sh -c "echo hi"', '[ -f /x ] && echo y', 'for f in a b; do echo "$f"; done', 'if command -v nvcc; then nvcc --version; fi', 'case "$TARGETARCH" in amd64) echo x;; arm64) echo y;; esac', 'f() { echo inner; }; f', '(cd /x && make)', 'X=$(curl -s https://example.com/v)', 'cat <<EOF > /etc/x\nline\nEOF', 'python3 - <<\'PY\'\nprint(1)\nPY') },
  { weight: 1, arbitrary: noise },
);

/** A shell body: commands joined by operators, sometimes over continuation lines. */
export const shellBody: fc.Arbitrary<string> = fc.tuple(
  fc.array(fc.tuple(shellCommand, pick(' && ', '; ', ' || ', ' | ', ' && \\\n    ', ' \\\n  && ', ';\\\n', ' & ', '\n')), { minLength: 1, maxLength: 5 }),
  fc.boolean(),
).map(([parts, trailing]) => {
  let text = '';
  parts.forEach(([command, operator], index) => {
    text += command;
    if (index < parts.length - 1 || trailing) {
      text += operator;
    }
  });
  return text;
});

/** A RUN body with Dockerfile continuations: newlines become `\` continuations, sometimes with comment lines between. */
const runBody: fc.Arbitrary<string> = fc.tuple(shellBody, fc.boolean()).map(([body, comments]) => {
  const lines = body.split('\n');
  return lines.map((line, index) => (index < lines.length - 1 && !line.endsWith('\\') ? `${line} \\` : line))
    .join(comments ? '\n    # a comment inside the continuation\n' : '\n');
});

const runFlag = pick(
  '--mount=type=cache,target=/root/.cache/pip',
  '--mount=type=cache,id=apt,target=/var/cache/apt,sharing=locked',
  '--mount=type=bind,from=build,source=/out,target=/in',
  '--mount=type=bind,source=scripts,target=/s',
  '--mount=type=secret,id=token,env=TOKEN',
  '--mount=type=tmpfs,target=/tmp',
  '--network=none',
  '--security=insecure',
  '--mount=',
  '--mount=type=cache',
  '--unknown-flag=x',
);
const copyFlag = pick('--from=build', '--from=0', '--from=${STAGE}', '--from=ghcr.io/astral-sh/uv:0.5', '--chown=app:app', '--chmod=755', '--link', '--parents', '--exclude=*.pyc', '--checksum=sha256:abc', '--from=');

const fromInstruction: fc.Arbitrary<string> = fc.tuple(pick('FROM', 'from', 'From'), fc.option(pick('--platform=$BUILDPLATFORM', '--platform=linux/amd64')), image, fc.option(fc.tuple(pick('AS', 'as'), stageName)))
  .map(([keyword, platform, base, as]) => [keyword, platform, base, as ? `${as[0]} ${as[1]}` : null].filter((part) => part !== null).join(' '));

const instruction: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fromInstruction },
  { weight: 6, arbitrary: fc.tuple(pick('RUN', 'run'), fc.array(runFlag, { maxLength: 2 }), runBody).map(([keyword, flags, body]) => [keyword, ...flags, body].join(' ')) },
  { weight: 1, arbitrary: fc.tuple(fc.array(runFlag, { maxLength: 1 }), fc.option(pick('bash', 'python3', 'sh -e')), fc.array(shellCommand, { maxLength: 3 }), pick('EOF', 'SCRIPT'), fc.boolean()).map(([flags, program, body, delimiter, closed]) => `RUN ${flags.join(' ')} <<${delimiter}${program ? ` ${program}` : ''}\n${body.join('\n')}${closed ? `\n${delimiter}` : ''}`) },
  { weight: 1, arbitrary: fc.array(fc.oneof(pkg, noise), { maxLength: 4 }).map((words) => `RUN [${words.map((word) => JSON.stringify(word)).join(', ')}]`) },
  { weight: 3, arbitrary: fc.tuple(pick('COPY', 'ADD', 'copy'), fc.array(copyFlag, { maxLength: 2 }), fc.array(fc.oneof(path, url), { minLength: 0, maxLength: 3 }), path).map(([keyword, flags, sources, destination]) => [keyword, ...flags, ...sources, destination].join(' ')) },
  { weight: 1, arbitrary: fc.tuple(fc.array(path, { maxLength: 2 }), path).map(([sources, destination]) => `COPY [${[...sources, destination].map((entry) => JSON.stringify(entry)).join(', ')}]`) },
  { weight: 1, arbitrary: fc.tuple(path, fc.array(noise, { maxLength: 2 })).map(([destination, lines]) => `COPY <<EOF ${destination}\n${lines.join('\n')}\nEOF`) },
  { weight: 2, arbitrary: fc.tuple(varName, fc.option(value)).map(([name, defaultValue]) => (defaultValue === null ? `ARG ${name}` : `ARG ${name}=${defaultValue}`)) },
  { weight: 2, arbitrary: fc.tuple(varName, value, fc.boolean()).map(([name, envValue, legacy]) => (legacy ? `ENV ${name} ${envValue}` : `ENV ${name}=${envValue}`)) },
  { weight: 2, arbitrary: fc.tuple(pick('WORKDIR', 'USER', 'LABEL', 'EXPOSE', 'VOLUME', 'STOPSIGNAL', 'MAINTAINER', 'ONBUILD RUN', 'HEALTHCHECK CMD', 'CMD', 'ENTRYPOINT', 'SHELL'), fc.oneof(path, value, pick('["/bin/bash", "-o", "pipefail", "-c"]', '["python3", "-m", "app"]', 'root', '1000:1000', '8080/tcp', 'org.opencontainers.image.source=https://github.com/a/b', 'NONE'))).map(([keyword, rest]) => `${keyword} ${rest}`) },
  { weight: 1, arbitrary: fc.oneof(noise.map((text) => `# ${text}`), pick('# baseimg-ignore dockerfile/apt-without-no-install-recommends -- pinned upstream', '# baseimg-ignore', '# hadolint ignore=DL3008', '#', '# syntax=docker/dockerfile:1')) },
  { weight: 1, arbitrary: pick('', '   ', '\t', '\\') },
  { weight: 1, arbitrary: noise },
);

/** A whole Dockerfile: optional parser directives, instructions, LF or CRLF, optional BOM and final newline. */
export const dockerfileText: fc.Arbitrary<string> = fc.tuple(
  fc.subarray(['# syntax=docker/dockerfile:1.7', '# escape=`', '# check=skip=StageNameCasing', '# escape=\\']),
  // Global ARGs and whatever else may stand before the first FROM.
  fc.array(instruction, { maxLength: 3 }),
  // Stages: a FROM and its instructions (the instruction grammar may start more stages).
  fc.array(fc.tuple(fromInstruction, fc.array(instruction, { maxLength: 8 })), { maxLength: 3 }),
  pick('\n', '\r\n'),
  fc.boolean(),
  fc.boolean(),
).map(([directives, preamble, stages, newline, finalNewline, bom]) => {
  const body = stages.flatMap(([from, instructions]) => [from, ...instructions]);
  const text = [...directives, ...preamble, ...body].join('\n').replace(/\n/g, newline);
  return `${bom ? '\ufeff' : ''}${text}${finalNewline ? newline : ''}`;
});

/** A line-level edit of an existing file. */
export type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'insert-text'; at: number; column: number; text: string }
  | { kind: 'insert-line'; at: number; text: string }
  | { kind: 'truncate'; at: number; column: number };

/** Line edits; positions are fractions so they fit any file. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
    fc.record({ kind: fc.constant('insert-text' as const), at: fc.nat(), column: fc.nat(), text: noise }),
    fc.record({ kind: fc.constant('insert-line' as const), at: fc.nat(), text: fc.oneof(instruction, noise) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), column: fc.nat() }),
  ),
  { minLength: 1, maxLength: 6 },
);

/** Applies `edits` to the lines of `text`. */
export function mutate(text: string, edits: readonly Mutation[]): string {
  const lines = text.split('\n');
  for (const edit of edits) {
    if (lines.length === 0) {
      lines.push('');
    }
    const at = edit.at % lines.length;
    const line = lines[at] ?? '';
    switch (edit.kind) {
      case 'delete':
        lines.splice(at, 1);
        break;
      case 'duplicate':
        lines.splice(at, 0, line);
        break;
      case 'swap': {
        const other = edit.with % lines.length;
        lines[at] = lines[other] ?? '';
        lines[other] = line;
        break;
      }
      case 'insert-text': {
        const column = edit.column % (line.length + 1);
        lines[at] = line.slice(0, column) + edit.text + line.slice(column);
        break;
      }
      case 'insert-line':
        lines.splice(at, 0, ...edit.text.split('\n'));
        break;
      case 'truncate':
        lines[at] = line.slice(0, edit.column % (line.length + 1));
        break;
    }
  }
  return lines.join('\n');
}
