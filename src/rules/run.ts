/**
 * The rule runner: walks each model once and calls every enabled rule's hooks at their level.
 * A hook that throws does not stop the review: it becomes a `review/rule-failed` finding that
 * names the rule, so one bad rule never hides the others' findings.
 */
import { InternalError } from '../errors.js';
import type { Knowledge } from '../knowledge/index.js';
import type { Stage } from '../parse/dockerfile.js';
import type { ShellScript } from '../parse/shell.js';
import { invocations, type Invocation } from '../parse/shell-query.js';
import type { Config, RuleSetting } from '../repo/config.schema.js';
import type { Repo } from '../repo/repo.js';
import type { Finding, Severity } from './finding.js';
import type { ReportInput, Rule, RuleContext } from './rule.js';

/** A rule with its effective severity and options after config. */
export interface ActiveRule {
  rule: Rule;
  severity: Severity;
  options: Record<string, unknown>;
}

/** Applies config to the registry: drops disabled rules, sets severities and options. */
export function activeRules(rules: readonly Rule[], config: Config): ActiveRule[] {
  const active: ActiveRule[] = [];
  for (const rule of rules) {
    const setting: RuleSetting | undefined = config.rules?.[rule.id];
    let severity: Severity | 'off' = rule.meta.enabledByDefault === false ? 'off' : rule.meta.severity;
    let options: Record<string, unknown> = {};
    if (typeof setting === 'string') {
      severity = setting;
    } else if (setting) {
      severity = setting.severity ?? (severity === 'off' ? rule.meta.severity : severity);
      options = setting.options ?? {};
    }
    if (severity !== 'off') {
      active.push({ rule, severity, options });
    }
  }
  return active;
}

/** BuildKit's `# check=skip=A,B` (or `skip=all`) directive turns those checks off for one file. */
function skippedChecks(directives: { name: string; value: string }[]): Set<string> | 'all' {
  const skipped = new Set<string>();
  for (const directive of directives) {
    if (directive.name !== 'check') {
      continue;
    }
    for (const part of directive.value.split(';')) {
      const [key, value] = part.split('=');
      if (key?.trim() === 'skip' && value) {
        if (value.trim() === 'all') {
          return 'all';
        }
        for (const name of value.split(',')) {
          skipped.add(name.trim());
        }
      }
    }
  }
  return skipped;
}

const callCache = new WeakMap<ShellScript, Invocation[]>();

/** The calls of a shell body, wrappers peeled; computed once per body, shared by every rule. */
function callsOf(shell: ShellScript): Invocation[] {
  let calls = callCache.get(shell);
  if (!calls) {
    calls = invocations(shell);
    callCache.set(shell, calls);
  }
  return calls;
}

/** Runs every active rule over the repository and returns their findings (unsorted, unsuppressed). */
export function runRules(repo: Repo, rules: readonly ActiveRule[], knowledge: Knowledge): Finding[] {
  const findings: Finding[] = [];

  const makeContext = (active: ActiveRule, file: string): RuleContext => ({
    repo,
    knowledge,
    options: active.options,
    file,
    report(input: ReportInput) {
      findings.push(buildFinding(active, file, input));
    },
  });

  // One failure per rule and file is enough to act on; a rule that throws on every instruction
  // would otherwise bury the report, so after its first failure it skips the rest of that file.
  const failed = new Set<string>();
  const guarded = (active: ActiveRule, file: string, line: number, call: () => void): void => {
    const key = `${active.rule.id}\0${file}`;
    if (failed.has(key)) {
      return;
    }
    try {
      call();
    } catch (error) {
      failed.add(key);
      findings.push({
        ruleId: 'review/rule-failed',
        severity: 'error',
        message: `rule ${active.rule.id} failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]?.replace(/\.$/, '')}`,
        file: file || '.',
        range: { start: { line: Math.max(line, 1), column: 1 }, end: { line: Math.max(line, 1), column: 1 } },
      });
    }
  };

  for (const active of rules) {
    const { hooks } = active.rule;
    if (hooks.repo) {
      const ctx = makeContext(active, '');
      guarded(active, '', 1, () => hooks.repo?.(repo, ctx));
    }
    if (hooks.family) {
      for (const family of repo.families) {
        const ctx = { ...makeContext(active, family.dockerfile), family };
        guarded(active, family.dockerfile, 1, () => hooks.family?.(family, ctx));
      }
    }
    if (hooks.script) {
      for (const script of repo.scripts) {
        const ctx = { ...makeContext(active, script.path), script };
        guarded(active, script.path, 1, () => hooks.script?.(script, ctx));
      }
    }
    if (hooks.workflow) {
      for (const workflow of repo.workflows) {
        const ctx = { ...makeContext(active, workflow.path), workflow };
        guarded(active, workflow.path, 1, () => hooks.workflow?.(workflow, ctx));
      }
    }
    if (hooks.requirements) {
      for (const file of repo.requirements) {
        const ctx = { ...makeContext(active, file.path), requirements: file };
        guarded(active, file.path, 1, () => hooks.requirements?.(file, ctx));
      }
    }
    if (!hooks.dockerfile && !hooks.stage && !hooks.instruction && !hooks.runCommand) {
      continue;
    }
    for (const entry of repo.dockerfiles) {
      const dockerfile = entry.dockerfile;
      const skipped = skippedChecks(dockerfile.directives);
      const check = active.rule.meta.buildkitCheck;
      if (check && (skipped === 'all' || skipped.has(check))) {
        continue;
      }
      const base = { ...makeContext(active, dockerfile.path), dockerfile, entry };
      if (hooks.dockerfile) {
        guarded(active, dockerfile.path, 1, () => hooks.dockerfile?.(dockerfile, base));
      }
      if (hooks.stage) {
        for (const stage of dockerfile.stages) {
          guarded(active, dockerfile.path, stage.from.range.start.line, () => hooks.stage?.(stage, { ...base, stage }));
        }
      }
      if (hooks.instruction) {
        // One context per rule and file, its stage updated per instruction: hooks are synchronous
        // and must not keep the context, and a fresh object per instruction and rule was a
        // measurable share of a large review.
        const ctx = { ...base, stage: null as Stage | null };
        for (const instruction of dockerfile.instructions) {
          ctx.stage = instruction.stage;
          guarded(active, dockerfile.path, instruction.range.start.line, () => hooks.instruction?.(instruction, ctx));
        }
      }
      if (hooks.runCommand) {
        for (const instruction of dockerfile.instructions) {
          if (instruction.kind !== 'run' || !instruction.stage || !instruction.shell) {
            continue;
          }
          const calls = callsOf(instruction.shell);
          const ctx = { ...base, stage: instruction.stage, run: instruction, calls };
          for (const call of calls) {
            guarded(active, dockerfile.path, call.command.range.start.line, () => hooks.runCommand?.(call, ctx));
          }
        }
      }
    }
  }
  return findings;
}

function buildFinding(active: ActiveRule, file: string, input: ReportInput): Finding {
  const target = input.file ?? file;
  if (!target) {
    throw new InternalError(`rule ${active.rule.id} reported a finding without a file`);
  }
  if (!(input.at.start.line >= 1) || !(input.at.start.column >= 1)) {
    throw new InternalError(`rule ${active.rule.id} reported a finding at line ${input.at.start.line}, column ${input.at.start.column}`);
  }
  const finding: Finding = {
    ruleId: active.rule.id,
    severity: input.severity && active.severity === active.rule.meta.severity ? input.severity : active.severity,
    message: input.message,
    file: target,
    range: input.at,
  };
  if (input.code) {
    finding.code = input.code;
  }
  if (input.fix) {
    finding.fix = input.fix;
  }
  if (input.related) {
    finding.related = input.related;
  }
  return finding;
}
