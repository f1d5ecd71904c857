// Why: `pip install torch` resolves to whatever PyPI (or the index) serves on the day of the build,
// and a lower or upper bound only narrows that (hadolint DL3013). For ML images the versions of
// torch, numpy and the CUDA wheels decide whether the image works at all, so they belong in the
// Dockerfile or in a reviewed requirements/constraints file.
//
// Counted as pinned: `==` (prefix matches like `==2.3.*` included), `===`, `~=`; local paths,
// wheels and sdists; URLs and `name @ URL` direct references; VCS URLs with `@ref`. Skipped:
// `-r file` (requirements files are reviewed by their own rules), installs under a constraints file
// (`-c`, PIP_CONSTRAINT / UV_CONSTRAINT), `--no-index` installs from a local wheelhouse, and
// `pip install -U pip setuptools wheel`, the usual bootstrap step. hadolint also accepts bare
// ranges (`>=`); this rule reports them, since a range still floats.
import type { ShellWord } from '../../parse/shell.js';
import { hasFlag, pipInstall, pipRequirements } from '../../parse/shell-query.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

const BOOTSTRAP = new Set(['pip', 'setuptools', 'wheel']);
const ARCHIVE = /\.(whl|tar\.gz|tgz|tar\.bz2|tar\.xz|zip)$/i;
const VCS = /^(git|hg|svn|bzr)(\+[a-z]+)?:\/\//i;

type Verdict = 'pinned' | 'range' | 'unpinned' | 'unknown';

export const pipUnpinnedInstall = defineRule({
  id: 'dockerfile/pip-unpinned-install',
  meta: {
    title: 'pip install of a package without a pinned version',
    severity: 'warning',
    rationale:
      'pip install without an exact version installs whatever the index serves on the day of the build, so the same Dockerfile yields torch 2.3 today and 2.5 next month, with a different CUDA wheel set, different numerics, or an import error in a dependent package. A range such as "numpy<2" narrows the drift but does not stop it. For heavy ML base images, which downstream teams build on for months, the Python package set should be as reviewable as the base image tag.',
    remediation:
      'Pin each package with == (e.g. `torch==2.4.1`), install from a requirements file (`-r requirements.txt`) or under a constraints file (`-c constraints.txt`), or install wheels built in an earlier stage with --no-index.',
    hadolint: ['DL3013'],
  },
  hooks: {
    runCommand(call, ctx) {
      const install = pipInstall(call);
      if (!install) {
        return;
      }
      const constraint = ctx.run.scope.get(install.tool === 'uv' ? 'UV_CONSTRAINT' : 'PIP_CONSTRAINT');
      if (hasFlag(install.args, '-c', '--constraint', '--no-index') || (constraint !== undefined && constraint !== '')) {
        return;
      }
      const upgrading = hasFlag(install.args, '-U', '--upgrade');
      const loose: { word: ShellWord; verdict: Verdict }[] = [];
      for (const word of pipRequirements(install)) {
        const verdict = judge(word);
        if ((verdict === 'unpinned' || verdict === 'range') && !(upgrading && BOOTSTRAP.has(requirementName(word.value ?? '')))) {
          loose.push({ word, verdict });
        }
      }
      if (loose.length === 0) {
        return;
      }
      const names = loose.map((entry) => quote(entry.word.value ?? entry.word.text)).join(', ');
      const rangeNote = loose.some((entry) => entry.verdict === 'range') ? ' (a range is not a pin)' : '';
      ctx.report({
        at: call.command.range,
        message: `${install.tool === 'uv' ? 'uv pip install' : 'pip install'} in stage "${ctx.stage.label}" does not pin ${names}${rangeNote}; use name==version, a requirements file or a constraints file`,
      });
    },
  },
});

function judge(word: ShellWord): Verdict {
  if (word.value === null) {
    // `torch==${TORCH_VERSION}` is pinned whatever the value; other dynamic words cannot be judged.
    return /===?|~=/.test(word.text) ? 'pinned' : 'unknown';
  }
  const value = word.value.trim();
  if (value === '' || value === '.' || /^(\.{1,2}|~)?\//.test(value) || ARCHIVE.test(value)) {
    return 'pinned';
  }
  if (VCS.test(value)) {
    // git+https://host/org/repo.git@v1.2 pins; the `@` of `git+ssh://git@host` does not.
    const path = value.replace(/^[^:]+:\/\/[^/]*/, '');
    return path.includes('@') ? 'pinned' : 'unpinned';
  }
  if (/^(https?|file):\/\//i.test(value) || /^[A-Za-z0-9._-]+(\[[^\]]*\])?\s*@\s*\S/.test(value)) {
    return 'pinned';
  }
  if (value.includes('/')) {
    // A relative path such as `src/mypkg` (pip treats words with a slash as paths).
    return 'pinned';
  }
  const specifier = value.split(';')[0] ?? value;
  if (/===?|~=/.test(specifier)) {
    return 'pinned';
  }
  if (/[<>!]/.test(specifier)) {
    return 'range';
  }
  return 'unpinned';
}

/** The distribution name of a requirement (`torch[cuda]>=2` -> `torch`), lower-cased. */
function requirementName(requirement: string): string {
  return (/^[A-Za-z0-9._-]+/.exec(requirement)?.[0] ?? '').toLowerCase();
}
