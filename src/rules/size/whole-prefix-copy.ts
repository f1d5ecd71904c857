// Why: `COPY --from=builder /usr/local /usr/local` moves everything a `make install` wrote into the
// image that ships: headers (include/), static libraries (*.a), pkg-config files, man pages and
// share/doc, plus whatever else the builder left under the prefix. Docker docs, "Multi-stage
// builds" (copy only the artifacts you need); PLAN A3 ("copy only required FFmpeg runtime files
// instead of full /usr/local").
//
// /usr/local, /usr and / are always a whole install prefix. A directory under /opt is one only
// when the source stage builds software into it (`./configure --prefix=/opt/x`, CMake's
// CMAKE_INSTALL_PREFIX, meson --prefix, `make install PREFIX=`): copying a virtualenv such as
// /opt/venv is the recommended multi-stage pattern and is not reported.
import { posix } from 'node:path';
import type { CopyInstruction, Stage } from '../../parse/dockerfile.js';
import { expand } from '../../parse/expand.js';
import { argValues, flagValue, invocations } from '../../parse/shell-query.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

const ALWAYS_PREFIXES = new Set(['/', '/usr', '/usr/local']);

export const wholePrefixCopy = defineRule({
  id: 'size/whole-prefix-copy',
  meta: {
    title: 'Whole install prefix copied from another stage',
    severity: 'warning',
    rationale:
      'Multi-stage builds only save space when the final stage takes the artifacts and leaves the toolchain behind. Copying a whole prefix such as /usr/local from a stage that built CPython or FFmpeg from source also copies its headers, static libraries (.a files of tens of megabytes each for libavcodec or libpython), pkg-config files, man pages, docs and test suites, and every later change in the builder invalidates the layer. It also hides which files the runtime really needs, which makes the image hard to audit.',
    remediation:
      'Copy only what runs: the binaries from bin/ and the shared libraries from lib/ (e.g. `COPY --from=ffmpeg-builder /usr/local/bin/ffmpeg /usr/local/bin/` and the `lib*.so*` it links), or `make install DESTDIR=/staging` in the builder, prune include/, lib/*.a, lib/pkgconfig and share/ there, and copy the staging directory.',
  },
  hooks: {
    instruction(instruction, ctx) {
      if (instruction.kind !== 'copy' || instruction.from === null || !instruction.stage?.shipsInFinal) {
        return;
      }
      for (const source of instruction.sources) {
        const path = normalize(source.value);
        if (path === null || !isWholePrefix(path, instruction)) {
          continue;
        }
        const origin = instruction.fromStage ? `stage "${instruction.fromStage.label}"` : `image ${quote(instruction.from)}`;
        ctx.report({
          at: source.range,
          message: `COPY --from=${instruction.from} copies the whole prefix ${quote(path)} from ${origin} into stage "${instruction.stage.label}", headers, static libraries, pkg-config files and docs included; copy the bin/ and lib/ files the runtime needs, or install into a DESTDIR staging directory and prune it`,
        });
      }
    },
  },
});

/** `/usr/local/` -> `/usr/local`; null for relative or dynamic sources. */
function normalize(source: string): string | null {
  if (!source.startsWith('/') || source.includes('$') || /[*?[]/.test(source)) {
    return null;
  }
  const cleaned = posix.normalize(source).replace(/\/\.?$/, '');
  return cleaned === '' ? '/' : cleaned;
}

function isWholePrefix(path: string, instruction: CopyInstruction): boolean {
  if (ALWAYS_PREFIXES.has(path)) {
    return true;
  }
  if (!/^\/opt\/[^/]+$/.test(path) || !instruction.fromStage) {
    return false;
  }
  return installPrefixes(instruction.fromStage).has(path);
}

/** Install prefixes a stage's RUNs build into (configure, CMake, meson, make). */
function installPrefixes(stage: Stage): Set<string> {
  const prefixes = new Set<string>();
  for (const instruction of stage.instructions) {
    if (instruction.kind !== 'run') {
      continue;
    }
    for (const call of invocations(instruction.shell)) {
      const program = call.program ?? '';
      let prefix: string | null = null;
      if (program === 'configure' || program === 'meson') {
        prefix = flagValue(call.args, '--prefix');
      } else if (program === 'cmake') {
        const define = argValues(call.args).find((value) => /^-DCMAKE_INSTALL_PREFIX(:[A-Z]+)?=/.test(value));
        prefix = define ? define.slice(define.indexOf('=') + 1) : null;
      } else if (program === 'make') {
        const assignment = argValues(call.args).find((value) => /^(PREFIX|prefix)=/.test(value));
        prefix = assignment ? assignment.slice(assignment.indexOf('=') + 1) : null;
      }
      // `--prefix=${PREFIX}` names an ARG or ENV of the stage more often than a shell variable.
      const normalized = prefix === null ? null : normalize(expand(prefix.replace(/"/g, ''), instruction.scope).value);
      if (normalized !== null) {
        prefixes.add(normalized);
      }
    }
  }
  return prefixes;
}
