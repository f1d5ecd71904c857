/** The shell query vocabulary (src/parse/shell-query.ts). */
import { beforeAll, describe, expect, it } from 'vitest';
import { initShellParser, parseShell, type ShellCommand, type ShellWord } from '../../src/parse/shell.js';
import {
  aptPackages,
  aptSubcommand,
  argValues,
  argsWithoutFlags,
  downloadOutput,
  downloadUrls,
  findFlag,
  flagValue,
  hasFlag,
  invocation,
  invocations,
  isAptInstall,
  isAptUpdate,
  isUrl,
  pipInstall,
  pipRequirements,
  setsPipefail,
  type Invocation,
} from '../../src/parse/shell-query.js';

beforeAll(async () => {
  await initShellParser();
});

function command(text: string): ShellCommand {
  const parsed = parseShell(text).commands[0];
  expect(parsed, text).toBeDefined();
  return parsed as ShellCommand;
}

function call(text: string): Invocation {
  return invocation(command(text));
}

function args(text: string): ShellWord[] {
  return command(`cmd ${text}`).args;
}

function values(words: readonly ShellWord[]): string[] {
  return argValues(words);
}

describe('invocation', () => {
  it.each([
    ['apt-get install -y curl', 'apt-get', [], ['install', '-y', 'curl']],
    ['sudo apt-get update', 'apt-get', ['sudo'], ['update']],
    ['sudo -E apt-get update', 'apt-get', ['sudo'], ['update']],
    ['sudo -u root -E apt-get update', 'apt-get', ['sudo'], ['update']],
    ['sudo -- apt-get update', 'apt-get', ['sudo'], ['update']],
    ['env X=1 Y=2 pip install torch', 'pip', ['env'], ['install', 'torch']],
    ['env -i PATH=/usr/bin make', 'make', ['env'], []],
    ['env -u HOME make', 'make', ['env'], []],
    ['timeout 5 curl -fsSL https://example.com', 'curl', ['timeout'], ['-fsSL', 'https://example.com']],
    ['timeout -s KILL 30s make', 'make', ['timeout'], []],
    ['nice -n 5 make -j8', 'make', ['nice'], ['-j8']],
    ['command -v docker', 'command', [], ['-v', 'docker']],
    ['command docker ps', 'docker', ['command'], ['ps']],
    ['nohup python3 server.py', 'python3', ['nohup'], ['server.py']],
    ['sudo -E env DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata', 'apt-get', ['sudo', 'env'], ['install', '-y', 'tzdata']],
    ['/usr/bin/sudo /usr/bin/apt-get update', 'apt-get', ['sudo'], ['update']],
    ['exec gosu app python3 main.py', 'gosu', ['exec'], ['app', 'python3', 'main.py']],
  ])('%s', (text, program, wrappers, rest) => {
    const result = call(text);
    expect(result.program).toBe(program);
    expect(result.wrappers).toEqual(wrappers);
    expect(values(result.args)).toEqual(rest);
    expect(result.command.text).toBe(text);
  });

  it('gives a null program when the wrapper runs nothing or something dynamic', () => {
    expect(call('sudo -E')).toMatchObject({ program: null, args: [], wrappers: ['sudo'] });
    expect(call('env')).toMatchObject({ program: null, wrappers: ['env'] });
    expect(call('sudo "$TOOL" install').program).toBeNull();
    expect(call('"$CMD" x').program).toBeNull();
  });

  it('walks every command of a script', () => {
    expect(invocations(parseShell('sudo apt-get update && sudo -E apt-get install -y x')).map((entry) => entry.program)).toEqual(['apt-get', 'apt-get']);
    expect(invocations(null)).toEqual([]);
  });
});

describe('hasFlag / findFlag', () => {
  it('matches exact short and long flags', () => {
    expect(hasFlag(args('install -y curl'), '-y')).toBe(true);
    expect(hasFlag(args('install --yes curl'), '-y', '--yes')).toBe(true);
    expect(hasFlag(args('install curl'), '-y', '--yes')).toBe(false);
  });

  it('finds single-letter flags inside clusters', () => {
    expect(hasFlag(args('install -qy curl'), '-y')).toBe(true);
    expect(hasFlag(args('install -qy curl'), '-q')).toBe(true);
    expect(hasFlag(args('-fsSL https://x'), '-L')).toBe(true);
    expect(hasFlag(args('-fsSL https://x'), '-o')).toBe(false);
  });

  it('matches --flag=value for long flags only', () => {
    expect(hasFlag(args('--output=/tmp/x'), '--output')).toBe(true);
    expect(hasFlag(args('--output-dir=/tmp/x'), '--output')).toBe(false);
    expect(hasFlag(args('--no-install-recommends'), '--no-install')).toBe(false);
  });

  it('stops at --', () => {
    expect(hasFlag(args('-- -y'), '-y')).toBe(false);
  });

  it('sees quoted flags through quote removal', () => {
    expect(hasFlag(args('"--no-cache-dir" x'), '--no-cache-dir')).toBe(true);
  });

  it('returns the word that carries the flag', () => {
    const words = args('install -qy curl');
    expect(findFlag(words, '-y')).toBe(words[1]);
    expect(findFlag(words, '--nope')).toBeUndefined();
  });
});

describe('flagValue', () => {
  it.each([
    ['-o out.tar.gz https://x', ['-o', '--output'], 'out.tar.gz'],
    ['--output out.tar.gz https://x', ['-o', '--output'], 'out.tar.gz'],
    ['--output=out.tar.gz https://x', ['-o', '--output'], 'out.tar.gz'],
    ['-oout.tar.gz https://x', ['-o'], 'out.tar.gz'],
    // Clusters: the value flag last takes the next word; with text after it, that text is the value.
    ['-fsSLo /tmp/cuda.run https://x', ['-o'], '/tmp/cuda.run'],
    ['-qO- https://x', ['-O'], '-'],
    ['-qO /tmp/x https://x', ['-O'], '/tmp/x'],
    ['-O - https://x', ['-O'], '-'],
    ['-fsSL https://x', ['-o', '--output'], null],
    ['-o', ['-o'], null],
    ['"--index-url=https://pypi.example.com/simple" torch', ['--index-url'], 'https://pypi.example.com/simple'],
  ])('%s %j -> %j', (text, flags, value) => {
    expect(flagValue(args(text), ...flags)).toBe(value);
  });

  it('gives a dynamic value as written', () => {
    expect(flagValue(args('-o "$DEST" https://x'), '-o')).toBe('"$DEST"');
  });

  it('does not read a long flag as a cluster', () => {
    expect(flagValue(args('--only-binary :all:'), '-o')).toBeNull();
  });
});

describe('argsWithoutFlags', () => {
  it('drops flags and keeps positional words', () => {
    expect(values(argsWithoutFlags(args('install -y --no-install-recommends curl git')))).toEqual(['install', 'curl', 'git']);
  });

  it('skips the values of flags that take one', () => {
    expect(values(argsWithoutFlags(args('-o Dpkg::Options::=--force-confold install -y x'), ['-o']))).toEqual(['install', 'x']);
    expect(values(argsWithoutFlags(args('-o Dpkg::Options::=--force-confold install -y x')))).toEqual(['Dpkg::Options::=--force-confold', 'install', 'x']);
  });

  it('treats everything after -- as positional and keeps a lone -', () => {
    expect(values(argsWithoutFlags(args('-x -- -y z')))).toEqual(['-y', 'z']);
    expect(values(argsWithoutFlags(args('-xzf - -C /opt')))).toEqual(['-', '/opt']);
  });
});

describe('apt', () => {
  it.each([
    ['apt-get install -y curl', 'install'],
    ['apt install curl', 'install'],
    ['aptitude install curl', 'install'],
    ['apt-get -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install -y x', 'install'],
    ['apt-get -oDpkg::Use-Pty=0 -qq install x', 'install'],
    ['apt-get --option=Acquire::Retries=3 update', 'update'],
    ['apt-get -t bookworm-backports install x', 'install'],
    ['sudo -E apt-get -y upgrade', 'upgrade'],
    ['apt-get', null],
    ['apt-cache policy x', null],
    ['dpkg -i x.deb', null],
  ])('%s -> %s', (text, subcommand) => {
    expect(aptSubcommand(call(text))).toBe(subcommand);
  });

  it('tells install from update', () => {
    expect(isAptInstall(call('DEBIAN_FRONTEND=noninteractive apt-get install -qy x'))).toBe(true);
    expect(isAptUpdate(call('apt-get update'))).toBe(true);
    expect(isAptUpdate(call('apt-get install update'))).toBe(false);
  });

  it('lists packages without flags or option values', () => {
    expect(values(aptPackages(call('apt-get -o Acquire::Retries=3 install -y --no-install-recommends curl=8.5.0-2 ca-certificates')))).toEqual([
      'curl=8.5.0-2',
      'ca-certificates',
    ]);
  });
});

describe('pipInstall', () => {
  it.each([
    ['pip install torch', 'pip', ['torch']],
    ['pip3 install torch', 'pip', ['torch']],
    ['pip3.12 install --no-cache-dir torch', 'pip', ['--no-cache-dir', 'torch']],
    ['/opt/venv/bin/pip install -r requirements.txt', 'pip', ['-r', 'requirements.txt']],
    ['python -m pip install torch', 'pip', ['torch']],
    ['python3 -m pip install -U pip', 'pip', ['-U', 'pip']],
    ['python3.11 -m pip install torch', 'pip', ['torch']],
    ['uv pip install --system torch', 'uv', ['--system', 'torch']],
    ['python -m uv pip install torch', 'uv', ['torch']],
    ['sudo -H pip install torch', 'pip', ['torch']],
    // General options may come before the subcommand.
    ['pip --no-cache-dir install torch', 'pip', ['torch']],
    ['pip --disable-pip-version-check --cache-dir /tmp/pip install torch', 'pip', ['torch']],
    ['python3 -m pip --no-input install torch', 'pip', ['torch']],
    ['uv --no-cache pip install torch', 'uv', ['torch']],
  ])('%s', (text, tool, rest) => {
    const install = pipInstall(call(text));
    expect(install?.tool).toBe(tool);
    expect(values(install?.args ?? [])).toEqual(rest);
  });

  it.each([
    'pip list',
    'pip download torch',
    'python3 -m venv /opt/venv',
    'python3 setup.py install',
    'uv sync',
    'uv pip compile requirements.in',
    'pipx install black',
    'conda install pytorch',
  ])('%s is not a pip install', (text) => {
    expect(pipInstall(call(text))).toBeNull();
  });

  it('lists requirements without flags or flag values', () => {
    const install = pipInstall(call('pip install --index-url https://download.pytorch.org/whl/cu124 -c constraints.txt torch==2.5.1 "numpy<2" -e ./pkg'));
    expect(install).not.toBeNull();
    expect(values(pipRequirements(install as NonNullable<typeof install>))).toEqual(['torch==2.5.1', 'numpy<2']);
  });
});

describe('setsPipefail', () => {
  function pipefailBefore(text: string, program: string): boolean {
    const script = parseShell(text);
    const target = script.commands.find((entry) => entry.program === program);
    expect(target).toBeDefined();
    return setsPipefail(script, target as ShellCommand);
  }

  it.each([
    ['set -o pipefail; curl -fsSL https://x | sh', true],
    ['set -euo pipefail\ncurl -fsSL https://x | sh', true],
    ['set -eux -o pipefail && curl -fsSL https://x | sh', true],
    ['set -o errexit -o pipefail; curl -fsSL https://x | sh', true],
    ['set -o nounset -o errexit -o pipefail; curl -fsSL https://x | sh', true],
    ['set -e; curl -fsSL https://x | sh', false],
    ['set +o pipefail; curl -fsSL https://x | sh', false],
    ['curl -fsSL https://x | sh; set -o pipefail', false],
  ])('%j -> %s', (text, expected) => {
    expect(pipefailBefore(text, 'curl')).toBe(expected);
  });
});

describe('downloads', () => {
  it('recognises URLs', () => {
    expect(isUrl('https://example.com/a')).toBe(true);
    expect(isUrl('HTTP://example.com')).toBe(true);
    expect(isUrl('ftp://ftp.example.com/x')).toBe(true);
    expect(isUrl('git@github.com:a/b')).toBe(false);
    expect(isUrl('example.com')).toBe(false);
  });

  it('lists the URLs of curl and wget only', () => {
    expect(values(downloadUrls(call('curl -fsSL -H "Accept: x" https://a.example/x.tar.gz https://b.example/y')))).toEqual([
      'https://a.example/x.tar.gz',
      'https://b.example/y',
    ]);
    expect(values(downloadUrls(call('wget -q "https://a.example/x?y=1"')))).toEqual(['https://a.example/x?y=1']);
    expect(downloadUrls(call('git clone https://github.com/a/b'))).toEqual([]);
    expect(values(downloadUrls(call('sudo curl -O https://a.example/f')))).toEqual(['https://a.example/f']);
  });

  it.each([
    ['curl -fsSL https://a.example/install.sh', '-'],
    ['curl -o /tmp/x.tgz https://a.example/x.tgz', '/tmp/x.tgz'],
    ['curl --output /tmp/x.tgz https://a.example/x.tgz', '/tmp/x.tgz'],
    ['curl --output=/tmp/x.tgz https://a.example/x.tgz', '/tmp/x.tgz'],
    ['curl -fsSLo /tmp/cuda.run https://a.example/cuda.run', '/tmp/cuda.run'],
    ['curl -O https://a.example/dir/file.tar.gz?sig=abc', 'file.tar.gz'],
    ['curl -fsSLO https://a.example/dir/file.tar.gz', 'file.tar.gz'],
    ['curl --remote-name https://a.example/f.zip', 'f.zip'],
    ['wget https://a.example/dir/file.tar.gz', 'file.tar.gz'],
    ['wget -O /tmp/x https://a.example/x', '/tmp/x'],
    ['wget -O- https://a.example/key.asc', '-'],
    ['wget -qO- https://a.example/key.asc', '-'],
    ['wget -q -O - https://a.example/key.asc', '-'],
    ['wget --output-document=/tmp/y https://a.example/x', '/tmp/y'],
    ['git clone https://github.com/a/b', null],
  ])('%s writes to %j', (text, output) => {
    expect(downloadOutput(call(text))).toBe(output);
  });
});
