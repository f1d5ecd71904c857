/**
 * Which apt packages are only needed to build software, not to run it. This is a classification,
 * not a fact that ages (gcc is a compiler in every release), so it lives here as a documented list
 * rather than in src/knowledge/.
 *
 * Sources for the names: Debian and Ubuntu package pages (packages.debian.org,
 * packages.ubuntu.com) for the toolchain packages, and the Debian Policy Manual 8.4
 * ("Development files": headers and static libraries go in a `-dev` package) for the `-dev` rule.
 * NVIDIA's CUDA repository names its compiler and toolkit packages `cuda-nvcc-<ver>`,
 * `cuda-compiler-<ver>` and `cuda-toolkit-<ver>` (CUDA Installation Guide for Linux, "Meta
 * Packages").
 */

/** Why a package counts as build-only. */
export type BuildPackageKind = 'toolchain' | 'headers' | 'vcs';

/** Compilers, build systems and code generators, by exact Debian/Ubuntu package name. */
const TOOLCHAIN = new Set([
  'build-essential', 'gcc', 'g++', 'cpp', 'gfortran', 'clang', 'lld', 'llvm', 'make', 'cmake', 'ninja-build', 'meson',
  'autoconf', 'automake', 'autotools-dev', 'libtool', 'libtool-bin', 'pkg-config', 'pkgconf', 'nasm', 'yasm',
  'bison', 'flex', 'swig', 'scons', 'cargo', 'rustc', 'golang', 'golang-go', 'dpkg-dev', 'patchelf', 'ccache',
]);

/** Versioned toolchain packages: `gcc-13`, `g++-12`, `clang-18`, `golang-1.22-go`, `cuda-nvcc-12-8`. */
const TOOLCHAIN_PATTERNS: readonly RegExp[] = [
  /^(gcc|g\+\+|cpp|gfortran)-\d+$/,
  /^(clang|lld|llvm)-\d+$/,
  /^golang-\d+(\.\d+)*(-go)?$/,
  /^cuda-(nvcc|compiler|toolkit)(-\d+(-\d+)*)?$/,
];

/**
 * Development files: `libssl-dev`, `python3-dev`, `libcudnn9-dev-cuda-12`, `libglib2.0-dev-bin`
 * (Debian), `openssl-devel` (RPM). The `dev` must be its own dash-separated part, so `udev` and
 * `libdevmapper1.02.1` do not count.
 */
const HEADERS = /(^|-)dev(el)?(-|$)/;

/** Version control: build-only as a rule, but `pip install git+https://...` at run time needs it. */
const VCS = new Set(['git', 'git-lfs', 'mercurial', 'subversion']);

/** The package name of an apt argument: `gcc=4:13.2.0-7ubuntu1` -> `gcc`, `libssl-dev:amd64` -> `libssl-dev`. */
export function aptPackageName(argument: string): string {
  return (argument.split('=')[0] ?? '').split('/')[0]?.split(':')[0]?.toLowerCase() ?? '';
}

/** Why `name` (an apt package name) is build-only, or null when it is not known to be. */
export function buildPackageKind(name: string): BuildPackageKind | null {
  if (TOOLCHAIN.has(name) || TOOLCHAIN_PATTERNS.some((pattern) => pattern.test(name))) {
    return 'toolchain';
  }
  if (HEADERS.test(name)) {
    return 'headers';
  }
  if (VCS.has(name)) {
    return 'vcs';
  }
  return null;
}
