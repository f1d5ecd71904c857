import { readFile, stat, chmod, symlink, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { planFixes, writeFixPlan } from '../../src/fix/plan.js';
import { resolveInsideRoot, writeChanges } from '../../src/fix/write.js';
import { aptWithoutNoInstallRecommends } from '../../src/rules/dockerfile/apt-without-no-install-recommends.js';
import { defineRule, type Rule } from '../../src/rules/rule.js';
import { RULES } from '../../src/rules/registry.js';
import { tempRepo } from '../helpers.js';

const meta = { title: 'Test rule', severity: 'warning', rationale: 'r'.repeat(90), remediation: 'fix it', fixable: 'safe' } as const;

/** Replaces `echo foo` with `echo --verbose foo` (spans the word rule `foo-to-bar` wants to change). */
const addVerbose: Rule = defineRule({
  id: 'test/add-verbose',
  meta,
  hooks: {
    instruction(instruction, ctx) {
      const start = ctx.dockerfile.lines.offsetAt(instruction.range.start);
      const text = ctx.dockerfile.lines.text.slice(start, ctx.dockerfile.lines.offsetAt(instruction.range.end));
      const at = text.indexOf('echo foo');
      if (at < 0) {
        return;
      }
      ctx.report({ at: instruction.range, message: 'echo without --verbose', fix: { description: 'add --verbose', safety: 'safe', edits: [{ file: ctx.dockerfile.path, start: start + at, end: start + at + 8, newText: 'echo --verbose foo' }] } });
    },
  },
});

const fooToBar: Rule = defineRule({
  id: 'test/foo-to-bar',
  meta,
  hooks: {
    instruction(instruction, ctx) {
      const start = ctx.dockerfile.lines.offsetAt(instruction.range.start);
      const text = ctx.dockerfile.lines.text.slice(start, ctx.dockerfile.lines.offsetAt(instruction.range.end));
      const at = text.indexOf('foo');
      if (at < 0) {
        return;
      }
      ctx.report({ at: instruction.range, message: 'foo instead of bar', fix: { description: 'use bar', safety: 'safe', edits: [{ file: ctx.dockerfile.path, start: start + at, end: start + at + 3, newText: 'bar' }] } });
    },
  },
});

const APT = 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y curl\n';
const APT_FIXED = 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install --no-install-recommends -y curl\n';

describe('planFixes', () => {
  it('defers an overlapping fix to the next round and applies it there', async () => {
    const repo = await tempRepo({ Dockerfile: 'FROM alpine:3.20\nRUN echo foo\n' });
    try {
      const plan = await planFixes({ path: repo.root, rules: [fooToBar, addVerbose] });
      expect(plan.changes.map((change) => change.after)).toEqual(['FROM alpine:3.20\nRUN echo --verbose bar\n']);
      expect(plan.applied.map((fix) => [fix.ruleId, fix.round])).toEqual([['test/add-verbose', 1], ['test/foo-to-bar', 2]]);
      expect(plan.converged).toBe(true);
      expect(plan.remaining).toEqual([]);
    } finally {
      await repo.cleanup();
    }
  });

  it('is idempotent: fixing the fixed repository changes nothing', async () => {
    const repo = await tempRepo({ Dockerfile: 'FROM ubuntu:22.04 as Build\nMAINTAINER me@example.com\nRUN apt update && apt install -y curl\nENV TZ Etc/UTC\n' });
    try {
      const first = await planFixes({ path: repo.root, rules: RULES });
      // The Dockerfile, and the allow-list .dockerignore context/dockerignore-missing creates.
      expect(first.changes.map((change) => [change.path, change.created ?? false])).toEqual([['.dockerignore', true], ['Dockerfile', false]]);
      await writeFixPlan(first);
      const fixed = await readFile(join(repo.root, 'Dockerfile'), 'utf8');
      expect(fixed).toBe('FROM ubuntu:22.04 AS build\nLABEL org.opencontainers.image.authors="me@example.com"\nRUN apt-get update && apt-get install --no-install-recommends -y curl\nENV TZ=Etc/UTC\n');
      const second = await planFixes({ path: repo.root, rules: RULES });
      expect(second.changes).toEqual([]);
      expect(second.rounds).toBe(1);
    } finally {
      await repo.cleanup();
    }
  });

  it('keeps CRLF line ends, a UTF-8 BOM and the file mode', async () => {
    const repo = await tempRepo({
      'crlf/Dockerfile': APT.replace(/\n/g, '\r\n'),
      'bom/Dockerfile': new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(APT)]),
    });
    try {
      await chmod(join(repo.root, 'bom/Dockerfile'), 0o640);
      const plan = await planFixes({ path: repo.root, rules: [aptWithoutNoInstallRecommends] });
      expect(plan.changes.map((change) => change.path)).toEqual(['bom/Dockerfile', 'crlf/Dockerfile']);
      await writeFixPlan(plan);
      expect(await readFile(join(repo.root, 'crlf/Dockerfile'), 'utf8')).toBe(APT_FIXED.replace(/\n/g, '\r\n'));
      const bytes = await readFile(join(repo.root, 'bom/Dockerfile'));
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.subarray(3).toString('utf8')).toBe(APT_FIXED);
      expect((await stat(join(repo.root, 'bom/Dockerfile'))).mode & 0o777).toBe(0o640);
    } finally {
      await repo.cleanup();
    }
  });

  it('converts line ends inside new text to CRLF in a CRLF file', async () => {
    const multiLine: Rule = defineRule({
      id: 'test/multi-line',
      meta,
      hooks: {
        dockerfile(dockerfile, ctx) {
          if (!dockerfile.lines.text.includes('LABEL')) {
            ctx.report({ at: dockerfile.instructions[0]!.range, message: 'no label', fix: { description: 'add labels', safety: 'safe', edits: [{ file: dockerfile.path, start: dockerfile.lines.text.length, end: dockerfile.lines.text.length, newText: 'LABEL a=1\nLABEL b=2\n' }] } });
          }
        },
      },
    });
    const repo = await tempRepo({ Dockerfile: 'FROM alpine:3.20\r\n' });
    try {
      const plan = await planFixes({ path: repo.root, rules: [multiLine] });
      expect(plan.changes[0]?.after).toBe('FROM alpine:3.20\r\nLABEL a=1\r\nLABEL b=2\r\n');
    } finally {
      await repo.cleanup();
    }
  });
});

describe('writing', () => {
  it('refuses a path that resolves outside the repository root, naming it', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'baseimg-outside-'));
    const repo = await tempRepo({ Dockerfile: APT });
    try {
      await writeFile(join(outside, 'Dockerfile'), APT);
      await symlink(join(outside, 'Dockerfile'), join(repo.root, 'linked.Dockerfile'));
      await expect(resolveInsideRoot(repo.root, '../escape/Dockerfile')).rejects.toThrow(/refusing to write \.\.\/escape\/Dockerfile/);
      const refused = writeChanges(repo.root, [
        { path: 'Dockerfile', before: APT, after: APT_FIXED, bom: false },
        { path: 'linked.Dockerfile', before: APT, after: APT_FIXED, bom: false },
      ]);
      await expect(refused).rejects.toBeInstanceOf(InputError);
      await expect(refused).rejects.toThrow(/linked\.Dockerfile.*outside the repository root/);
      // Nothing is written when one path is refused.
      expect(await readFile(join(repo.root, 'Dockerfile'), 'utf8')).toBe(APT);
      expect(await readFile(join(outside, 'Dockerfile'), 'utf8')).toBe(APT);
    } finally {
      await repo.cleanup();
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('refuses to write a file that changed since planning', async () => {
    const repo = await tempRepo({ Dockerfile: APT });
    try {
      const plan = await planFixes({ path: repo.root, rules: [aptWithoutNoInstallRecommends] });
      await writeFile(join(repo.root, 'Dockerfile'), `${APT}# edited\n`);
      await expect(writeFixPlan(plan)).rejects.toThrow(/changed on disk/);
    } finally {
      await repo.cleanup();
    }
  });

  it('renames through the root check and refuses to overwrite an existing target', async () => {
    const repo = await tempRepo({ 'ci.yaml.paused': 'on: push\n', 'ci.yaml': 'on: pull_request\n' });
    try {
      await expect(writeChanges(repo.root, [{ path: 'ci.yaml.paused', newPath: 'ci.yaml', before: 'on: push\n', after: 'on: push\n', bom: false }]))
        .rejects.toThrow(/refusing to rename ci\.yaml\.paused to ci\.yaml: ci\.yaml already exists/);
      await writeChanges(repo.root, [{ path: 'ci.yaml.paused', newPath: 'ci-2.yaml', before: 'on: push\n', after: 'on: push\n', bom: false }]);
      expect(await readFile(join(repo.root, 'ci-2.yaml'), 'utf8')).toBe('on: push\n');
    } finally {
      await repo.cleanup();
    }
  });
});
