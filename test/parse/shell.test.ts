/** The shell adapter over tree-sitter-bash (src/parse/shell.ts). */
import { beforeAll, describe, expect, it } from 'vitest';
import { initShellParser, parseShell, type ShellCommand, type ShellScript } from '../../src/parse/shell.js';

beforeAll(async () => {
  await initShellParser();
});

/** name + literal argument values, the shape most assertions care about. */
function calls(script: ShellScript): string[] {
  return script.commands.map((command) => [command.name ?? '<dynamic>', ...command.args.map((word) => word.value ?? `<${word.text}>`)].join(' '));
}

/** The first command (the outer one when `$(...)` adds more). */
function first(text: string): ShellCommand {
  const command = parseShell(text).commands[0];
  expect(command).toBeDefined();
  return command as ShellCommand;
}

function only(text: string): ShellCommand {
  const script = parseShell(text);
  expect(script.commands).toHaveLength(1);
  return script.commands[0] as ShellCommand;
}

describe('parseShell: commands', () => {
  it('finds every command of a list in source order, indexed from 0', () => {
    const script = parseShell('apt-get update && apt-get install -y curl; rm -rf /var/lib/apt/lists/*');
    expect(calls(script)).toEqual(['apt-get update', 'apt-get install -y curl', 'rm -rf /var/lib/apt/lists/*']);
    expect(script.commands.map((command) => command.index)).toEqual([0, 1, 2]);
    expect(script.errors).toEqual([]);
  });

  it('gives pipeline positions and lengths', () => {
    const script = parseShell('curl -fsSL https://example.com/install.sh | bash -s -- --yes; echo done');
    expect(script.commands.map((command) => command.pipeline)).toEqual([
      { position: 0, length: 2 },
      { position: 1, length: 2 },
      null,
    ]);
    const three = parseShell('a | b | c');
    expect(three.commands.map((command) => command.pipeline?.position)).toEqual([0, 1, 2]);
    expect(three.commands.every((command) => command.pipeline?.length === 3)).toBe(true);
  });

  it('does not carry a pipeline into the next list element', () => {
    const script = parseShell('a | b && c');
    expect(script.commands.map((command) => command.pipeline?.position ?? null)).toEqual([0, 1, null]);
  });

  it('descends into subshells and groups', () => {
    expect(calls(parseShell('(cd /src && make -j8) && { make install; ldconfig; }'))).toEqual([
      'cd /src', 'make -j8', 'make install', 'ldconfig',
    ]);
  });

  it('descends into if, for, while and case bodies', () => {
    expect(calls(parseShell('if [ -f /x ]; then apt-get update; elif true; then yum makecache; else apk update; fi'))).toEqual([
      'apt-get update', 'true', 'yum makecache', 'apk update',
    ]);
    expect(calls(parseShell('for pkg in a b; do pip install "$pkg"; done'))).toEqual(['pip install <"$pkg">']);
    expect(calls(parseShell('while read -r line; do echo "$line"; done < list.txt'))).toEqual(['read -r line', 'echo <"$line">']);
    expect(calls(parseShell('case "$(uname -m)" in x86_64) ARCH=amd64 echo x;; aarch64|arm64) echo arm;; esac'))).toEqual([
      'uname -m', 'echo x', 'echo arm',
    ]);
  });

  it('descends into function bodies and sees the call', () => {
    expect(calls(parseShell('install_deps() {\n  apt-get install -y curl\n}\ninstall_deps'))).toEqual(['apt-get install -y curl', 'install_deps']);
    expect(calls(parseShell('function f { g; }'))).toEqual(['g']);
  });

  it('marks commands inside $(...) and backticks', () => {
    const script = parseShell('echo "arch: $(uname -m)" `date +%s`; ARCH=$(dpkg --print-architecture)');
    const byName = new Map(script.commands.map((command) => [command.name, command]));
    expect(byName.get('echo')?.inSubstitution).toBe(false);
    expect(byName.get('uname')?.inSubstitution).toBe(true);
    expect(byName.get('date')?.inSubstitution).toBe(true);
    expect(byName.get('dpkg')?.inSubstitution).toBe(true);
    // A pipeline inside a substitution keeps its own positions.
    const piped = parseShell('V=$(curl -s https://example.com | jq -r .tag)');
    expect(piped.commands.map((command) => [command.name, command.inSubstitution, command.pipeline?.position])).toEqual([
      ['curl', true, 0],
      ['jq', true, 1],
    ]);
  });

  it('marks commands that only run after a failure (a || b)', () => {
    const script = parseShell('apt-get install -y foo || echo "failed" && exit 1');
    expect(script.commands.map((command) => [command.name, command.afterOr])).toEqual([
      ['apt-get', false],
      ['echo', true],
      // `a || b && c` is `(a || b) && c`: c runs when either succeeded.
      ['exit', false],
    ]);
    expect(parseShell('a && b || c').commands.map((command) => command.afterOr)).toEqual([false, false, true]);
    expect(parseShell('(cd x && make) || (echo failed; exit 1)').commands.map((command) => command.afterOr)).toEqual([false, false, true, true]);
  });

  it('separates assignment prefixes from the command', () => {
    const command = only('DEBIAN_FRONTEND=noninteractive TZ="Etc/UTC" apt-get install -y tzdata');
    expect(command.name).toBe('apt-get');
    expect(command.assignments.map((assignment) => [assignment.name, assignment.value])).toEqual([
      ['DEBIAN_FRONTEND', 'noninteractive'],
      ['TZ', 'Etc/UTC'],
    ]);
    expect(command.args.map((word) => word.value)).toEqual(['install', '-y', 'tzdata']);
    expect(command.assignments[0]?.range).toEqual({ start: { line: 1, column: 1 }, end: { line: 1, column: 31 } });
    expect(first('X=$(id -u) cmd').assignments[0]?.value).toBeNull();
  });

  it('gives the program as the last path segment', () => {
    const command = only('/usr/local/bin/pip3 install x');
    expect(command.name).toBe('/usr/local/bin/pip3');
    expect(command.program).toBe('pip3');
  });

  it('gives a null name for a dynamic command', () => {
    expect(only('"$CC" -o out main.c').name).toBeNull();
    expect(only('${PYTHON}/bin/python -V').program).toBeNull();
    expect(only('"/usr/bin/make" all').name).toBe('/usr/bin/make');
  });

  it('joins line continuations and keeps the text of the command', () => {
    const command = only('apt-get install -y \\\n    curl \\\n    ca-certificates');
    expect(command.args.map((word) => word.value)).toEqual(['install', '-y', 'curl', 'ca-certificates']);
    expect(command.text).toBe('apt-get install -y \\\n    curl \\\n    ca-certificates');
    expect(command.args[3]?.range).toEqual({ start: { line: 3, column: 5 }, end: { line: 3, column: 20 } });
  });
});

describe('parseShell: redirects and heredocs', () => {
  it('records file redirects with their operator and target', () => {
    const command = only('make > /tmp/build.log 2>&1');
    expect(command.redirects).toEqual([
      { operator: '>', target: '/tmp/build.log' },
      { operator: '>&', target: '1' },
    ]);
    expect(only('echo x >> "$HOME/.bashrc"').redirects).toEqual([{ operator: '>>', target: null }]);
  });

  it('keeps heredoc bodies', () => {
    const script = parseShell('cat <<EOF > /etc/apt/apt.conf.d/99norecommends\nAPT::Install-Recommends "false";\nEOF\necho done');
    const cat = script.commands[0];
    expect(cat?.redirects).toEqual([
      { operator: '<<', target: '/etc/apt/apt.conf.d/99norecommends', heredoc: 'APT::Install-Recommends "false";\n' },
    ]);
    expect(script.commands[1]?.range.start).toEqual({ line: 4, column: 1 });
  });

  it('keeps quoted heredoc bodies unexpanded', () => {
    expect(only("python3 - <<'PY'\nimport os; print(os.environ['HOME'])\nPY").redirects[0]?.heredoc).toBe("import os; print(os.environ['HOME'])\n");
  });

  it('strips leading tabs from <<- heredoc bodies', () => {
    expect(only('cat <<-EOF\n\tline one\n\t\tline two\n\tEOF').redirects[0]?.heredoc).toBe('line one\nline two\n');
  });

  it('records here-strings', () => {
    expect(only('grep -q x <<< "a b"').redirects).toEqual([{ operator: '<<<', target: null, heredoc: 'a b' }]);
  });
});

describe('wordValue: quote removal', () => {
  it.each([
    ['plain', 'plain'],
    ["'single quoted'", 'single quoted'],
    ['"double quoted"', 'double quoted'],
    ['""', ''],
    ["''", ''],
    ['a\'b\'"c"', 'abc'],
    ['--opt="a b"', '--opt=a b'],
    ['a\\ b', 'a b'],
    ['"a \\"b\\" c"', 'a "b" c'],
    ['"a\\\\b"', 'a\\b'],
    // Inside double quotes a backslash only escapes $ ` " \ and newline.
    ['"a\\qb"', 'a\\qb'],
    ['"\\$HOME"', '$HOME'],
    ["'$HOME'", '$HOME'],
    ["$'a\\tb'", 'a\tb'],
    ["$'it\\'s'", "it's"],
    ['"line\\\ncontinued"', 'linecontinued'],
    ['1.2.3', '1.2.3'],
    ['42', '42'],
  ])('%s -> %j', (word, value) => {
    const command = only(`echo ${word}`);
    expect(command.args[0]?.value).toBe(value);
    expect(command.args[0]?.text).toBe(word);
  });

  it.each([
    ['"a$b"'],
    ['$HOME'],
    ['${HOME}/x'],
    ['"$(uname -m)"'],
    ['`date`'],
    ['pre$(id -u)'],
    ['"${X:-y}"'],
    ['$((1 + 2))'],
  ])('%s depends on the environment -> null', (word) => {
    expect(first(`echo ${word}`).args[0]?.value ?? null).toBeNull();
  });

  it('keeps globs as written', () => {
    expect(only('rm -rf /var/lib/apt/lists/*').args[1]?.value).toBe('/var/lib/apt/lists/*');
  });
});

describe('parseShell: positions', () => {
  it('uses 1-based lines and columns with an exclusive end', () => {
    const script = parseShell('echo a\n  apt-get update');
    expect(script.commands[1]?.range).toEqual({ start: { line: 2, column: 3 }, end: { line: 2, column: 17 } });
    expect(script.commands[0]?.args[0]?.range).toEqual({ start: { line: 1, column: 6 }, end: { line: 1, column: 7 } });
  });

  it('maps every position through the PositionMap', () => {
    // A RUN body that starts at line 10, column 5 of a Dockerfile.
    const map = (position: { line: number; column: number }) => position.line === 1
      ? { line: 10, column: position.column + 4 }
      : { line: position.line + 9, column: position.column };
    const script = parseShell('apt-get update && \\\n    apt-get install -y curl', { map });
    expect(script.map).toBe(map);
    expect(script.commands[0]?.range.start).toEqual({ line: 10, column: 5 });
    expect(script.commands[1]?.range.start).toEqual({ line: 11, column: 5 });
    expect(script.commands[1]?.args[2]?.range).toEqual({ start: { line: 11, column: 24 }, end: { line: 11, column: 28 } });
    expect(script.commands[0]?.args[0]?.range.start).toEqual({ line: 10, column: 13 });
  });

  it('records the dialect and the text', () => {
    expect(parseShell('echo', { dialect: 'sh' })).toMatchObject({ dialect: 'sh', text: 'echo' });
    expect(parseShell('echo').dialect).toBe('bash');
  });
});

describe('parseShell: syntax errors', () => {
  it.each([
    'echo "unterminated',
    'if true; then echo x',
    'for x in; do',
    'a && && b',
    'echo $(',
    'case x in',
    '))) ;; fi',
  ])('%j becomes errors with positions, never an exception', (text) => {
    const script = parseShell(text);
    expect(script.errors.length).toBeGreaterThan(0);
    for (const error of script.errors) {
      expect(error.message.length).toBeGreaterThan(0);
      expect(error.range.start.line).toBeGreaterThanOrEqual(1);
      expect(error.range.start.column).toBeGreaterThanOrEqual(1);
    }
  });

  it('maps error positions too', () => {
    const script = parseShell('echo ok\necho "unterminated', { map: (position) => ({ line: position.line + 4, column: position.column }) });
    expect(script.errors[0]?.range.start.line).toBe(6);
  });

  it('still finds the commands it can recover', () => {
    const script = parseShell('apt-get update\nif then fi )))\napt-get install -y curl');
    expect(script.errors.length).toBeGreaterThan(0);
    expect(script.commands.some((command) => command.name === 'apt-get' && command.args[0]?.value === 'update')).toBe(true);
  });

  it('parses empty and comment-only text to nothing', () => {
    expect(parseShell('')).toMatchObject({ commands: [], errors: [] });
    expect(parseShell('# just a comment\n\n')).toMatchObject({ commands: [], errors: [] });
  });
});

describe('parseShell: trailing redirects', () => {
  beforeAll(async () => {
    await initShellParser();
  });

  const redirectsOf = (text: string): string[] =>
    parseShell(text).commands.map((command) => `${command.program}[${command.redirects.map((redirect) => `${redirect.operator}${redirect.target}`).join(',')}]`);

  it('gives a redirect after an and-or list to its last command only', () => {
    // The Docker apt-key pattern: the sources-list redirect must not make curl look like it writes the list.
    expect(redirectsOf('curl -fsSL u | gpg --dearmor -o k.gpg && echo "deb x" > /etc/apt/sources.list.d/d.list'))
      .toEqual(['curl[]', 'gpg[]', 'echo[>/etc/apt/sources.list.d/d.list]']);
    expect(redirectsOf('a || b > f')).toEqual(['a[]', 'b[>f]']);
  });

  it('gives a redirect after a group to every command in it', () => {
    expect(redirectsOf('{ a; b; } > f')).toEqual(['a[>f]', 'b[>f]']);
  });
});

describe('parseShell: pipelines followed by && (tree-sitter-bash nests them wrongly)', () => {
  beforeAll(async () => {
    await initShellParser();
  });

  it('keeps `a | b | c && d` as a three-stage pipeline followed by d', () => {
    const commands = parseShell('a | b | c && d || e').commands;
    expect(commands.map((command) => [command.program, command.pipeline, command.afterOr])).toEqual([
      ['a', { position: 0, length: 3 }, false],
      ['b', { position: 1, length: 3 }, false],
      ['c', { position: 2, length: 3 }, false],
      ['d', null, false],
      ['e', null, true],
    ]);
  });
});
