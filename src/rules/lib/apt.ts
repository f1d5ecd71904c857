/**
 * apt facts the apt hygiene rules share: which subcommands read the package lists or ask for
 * confirmation, what removes the lists, and where the subcommand word sits (for fixes).
 */
import type { ShellWord } from '../../parse/shell.js';
import { aptSubcommand, argValues, argsWithoutFlags, type Invocation } from '../../parse/shell-query.js';

/** apt-get, apt and aptitude: the programs `aptSubcommand` recognises. */
export const APT_PROGRAMS: ReadonlySet<string> = new Set(['apt-get', 'apt', 'aptitude']);

/**
 * Subcommands that change the package set and so stop at "Do you want to continue? [Y/n]" unless
 * told yes (apt-get(8): -y, "Assume Yes to all queries"); in a build stdin is not a terminal and
 * apt-get aborts.
 */
export const APT_CONFIRMING_SUBCOMMANDS: ReadonlySet<string> = new Set([
  'install', 'reinstall', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove', 'build-dep', 'satisfy',
]);

/** Subcommands that never read the package lists `apt-get update` writes. */
const APT_LIST_FREE_SUBCOMMANDS: ReadonlySet<string> = new Set([
  'update', 'clean', 'autoclean', 'distclean', 'remove', 'purge', 'autoremove', 'check', 'edit-sources',
]);

/** True when the call is apt-get/apt/aptitude with a subcommand that reads the lists (install, upgrade, ...). */
export function readsAptLists(call: Invocation): boolean {
  if (call.program === 'apt-cache') {
    return true;
  }
  const subcommand = aptSubcommand(call);
  return subcommand !== null && !APT_LIST_FREE_SUBCOMMANDS.has(subcommand);
}

const LISTS = '/var/lib/apt/lists';

/**
 * True when the call deletes the package lists: `rm -rf /var/lib/apt/lists/*` (or the whole
 * /var/lib/apt), `find /var/lib/apt/lists ... -delete`, or `apt-get distclean` (apt >= 2.7, which
 * removes the lists as well as the .deb cache). `apt-get clean` alone is not enough: it only
 * empties /var/cache/apt/archives.
 */
export function removesAptLists(call: Invocation): boolean {
  const subcommand = aptSubcommand(call);
  if (subcommand === 'distclean' || subcommand === 'dist-clean') {
    return true;
  }
  if (call.program === 'rm') {
    return argsWithoutFlags(call.args).some((word) => coversLists(word.value ?? word.text));
  }
  if (call.program === 'find') {
    const values = argValues(call.args);
    const root = values[0] ?? '';
    return coversLists(root) && (values.includes('-delete') || values.includes('-exec'));
  }
  return false;
}

function coversLists(path: string): boolean {
  const unquoted = path.replace(/^["']|["']$/g, '');
  return unquoted.startsWith(LISTS) || /^\/var\/lib\/apt\/?(\*)?$/.test(unquoted);
}

/** The word that holds the apt subcommand (`install` in `apt-get -q install curl`), for fixes. */
export function aptSubcommandWord(call: Invocation): ShellWord | null {
  const subcommand = aptSubcommand(call);
  if (subcommand === null) {
    return null;
  }
  return call.args.find((word) => word.value === subcommand) ?? null;
}
