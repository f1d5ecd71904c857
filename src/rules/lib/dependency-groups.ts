/**
 * Dependency groups whose presence in a base image is not obvious and so needs a written reason
 * (PLAN section 6.3: "For non-obvious dependencies (e.g., DIND, web3, crypto, media codecs),
 * include short rationale comments tied to supported workloads/tests"). Each group says how a
 * RUN installs it (apt packages, pip requirements, download URLs) and which words in a comment
 * name it. Used by docs/dependency-group-without-rationale.
 */

/** One non-obvious dependency group. */
export interface DependencyGroup {
  /** Short id, for tests. */
  id: string;
  /** How messages name the group. */
  label: string;
  /** apt package names (exact, or patterns) that install the group. */
  apt: readonly (string | RegExp)[];
  /** pip/uv requirement names (normalised: lower case, `_` -> `-`) that install the group. */
  pip: readonly (string | RegExp)[];
  /** Substrings of a curl/wget URL that fetch the group (an installer script or a tarball). */
  urls: readonly string[];
  /**
   * Words that name the group in a comment (compared with whole words and their `-`/`.` parts).
   * Deliberately no bare `node` or `engine`: "edge node" and "TensorRT engine" are everyday words
   * in these images and would count as a rationale for Node.js or Docker Engine.
   */
  keywords: readonly string[];
}

/** The groups, in the order messages list them. */
export const DEPENDENCY_GROUPS: readonly DependencyGroup[] = [
  {
    id: 'docker',
    label: 'Docker Engine (docker-in-docker)',
    apt: ['docker-ce', 'docker-ce-cli', 'containerd.io', 'docker-buildx-plugin', 'docker-compose-plugin', 'docker.io', 'containerd', 'runc'],
    pip: [],
    // get.docker.com is Docker's convenience script (Docker docs, "Install Docker Engine on Ubuntu").
    urls: ['get.docker.com', 'download.docker.com/linux/static'],
    keywords: ['docker', 'dind', 'docker-in-docker', 'dockerd', 'containerd'],
  },
  {
    id: 'web3-crypto',
    label: 'web3/crypto',
    apt: [],
    pip: ['web3', /^eth-/, /^eth$/, 'cryptography', 'pycryptodome', 'pycryptodomex', 'pynacl', 'coincurve', 'ecdsa', 'py-ecc', 'bip-utils', 'solana', 'solders'],
    urls: [],
    keywords: ['web3', 'crypto', 'cryptography', 'cryptographic', 'wallet', 'wallets', 'blockchain', 'ethereum', 'eth', 'encryption'],
  },
  {
    id: 'media',
    label: 'media codecs',
    apt: [
      /^libx26[45](-|$)/, /^libvpx/, /^libopus/, /^libmp3lame/, /^libfdk-aac/, /^(lib)?openh264/, /^gstreamer/, /^libgstreamer/,
      /^libav(codec|format|filter|device|util)/, /^libsw(scale|resample)/, /^libdav1d/, /^libaom/, /^libsvtav1/, /^libvorbis/,
      /^libtheora/, /^libass/, 'ffmpeg',
    ],
    pip: ['av', 'ffmpeg-python', 'imageio-ffmpeg', 'pydub'],
    // Static FFmpeg builds (johnvansickle.com, BtbN/FFmpeg-Builds) and the FFmpeg source tarball.
    urls: ['ffmpeg.org/releases', 'johnvansickle.com/ffmpeg', 'btbn/ffmpeg-builds'],
    keywords: ['codec', 'codecs', 'media', 'ffmpeg', 'video', 'audio', 'gstreamer', 'h264', 'h.264', 'h265', 'hevc', 'x264', 'x265', 'vp9', 'av1', 'opus', 'mp3', 'aac', 'transcoding', 'streaming'],
  },
  {
    id: 'nodejs',
    label: 'Node.js',
    apt: ['nodejs', 'npm'],
    pip: [],
    // NodeSource's setup scripts (deb.nodesource.com/setup_XX.x) and the official tarballs.
    urls: ['nodesource.com', 'nodejs.org/dist', 'nvm-sh/nvm'],
    keywords: ['nodejs', 'node.js', 'npm', 'npx', 'javascript', 'js'],
  },
  {
    id: 'ngrok',
    label: 'ngrok',
    apt: ['ngrok'],
    pip: ['pyngrok'],
    urls: ['ngrok'],
    keywords: ['ngrok', 'tunnel', 'tunnels', 'tunnelling', 'tunneling'],
  },
];

/** True when `name` equals one of `entries` or matches one of its patterns. */
export function matchesName(name: string, entries: readonly (string | RegExp)[]): boolean {
  return entries.some((entry) => (typeof entry === 'string' ? entry === name : entry.test(name)));
}

/** The requirement name of a pip argument: `web3==6.20.1` -> `web3`, `Eth_Account[x]>=1` -> `eth-account`. */
export function pipRequirementName(requirement: string): string | null {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement.trim());
  if (!match || /^(https?|git\+|file:)/.test(requirement) || requirement.includes('/')) {
    return null;
  }
  return (match[1] ?? '').toLowerCase().replace(/[._]+/g, '-');
}
