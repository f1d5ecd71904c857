/**
 * BuildPlan: what one image build does (context, Dockerfile, target, build args, tags, platforms,
 * push, pull, cache, builder, post-build retags), extracted from a workflow (build-push-action,
 * bake-action, `docker` commands in `run:` steps and the scripts they run) or from a build script
 * run by hand (followed through variables, arrays, functions and other scripts by
 * plan/shell-eval.ts), with bake targets resolved through the bake file. Every field keeps where it
 * was set, so a parity finding can point at both places; a value review cannot know is
 * `{ unknown: reason }`, never a guess.
 */
import { posix } from 'node:path';
import { bakeBuildPaths, bakeTargets, bakeWithVariables, DEFAULT_BAKE_FILES, type BakeModel, type BakeTarget } from '../parse/bake.js';
import { LineIndex, type Range } from '../parse/locations.js';
import type { WorkflowEntry, WorkflowJob, WorkflowStep } from '../parse/workflow.js';
import { normalize } from './paths.js';
import {
  evaluateShell, isComparableTemplate, knownWord, unknownLabel,
  type EvalWord, type EventMode, type PlanSite, type ShellEvent,
} from './plan/shell-eval.js';
import type { Repo, WorkflowFile } from './repo.js';
import { usesAction } from './workflow-builds.js';

export type { EvalWord, PlanSite } from './plan/shell-eval.js';

/** A value with the place that set it. */
export interface Known<T> {
  value: T;
  at: PlanSite;
  /** True when it is a default the caller can override (an environment variable, a script option). */
  soft: boolean;
}

/** A value review cannot know, with the reason. */
export interface Unknown {
  unknown: string;
  at: PlanSite | null;
}

export type PlanValue<T> = Known<T> | Unknown;

/** True for a known value. */
export function isKnown<T>(value: PlanValue<T>): value is Known<T> {
  return !('unknown' in value);
}

/** A post-build retag: `docker tag`, `docker buildx imagetools create`, `skopeo copy`. */
export interface Retag {
  tool: 'docker tag' | 'imagetools create' | 'skopeo copy';
  source: PlanValue<string>;
  /** Target references as templates (`repo:tag-<date>`). */
  targets: PlanValue<string>[];
  at: PlanSite;
  mode: EventMode;
}

/** Which side of a parity comparison a plan is on. */
export type PlanSide = 'ci' | 'script';

/** What one build does. */
export interface BuildPlan {
  side: PlanSide;
  kind: 'build-push-action' | 'bake-action' | 'docker-build' | 'buildx-build' | 'buildx-bake';
  /** The workflow, or the script run by hand. */
  file: string;
  /** The build: the step or command that runs it. */
  at: PlanSite;
  /** For workflows: the job id. */
  job: string | null;
  /** Scripts the run went through, outermost first. */
  via: string[];
  /** `conditional` when it runs only on a path review cannot decide. */
  mode: EventMode;
  bakeTarget: string | null;
  context: PlanValue<string>;
  dockerfile: PlanValue<string>;
  /** The stage built; `null` builds the last stage. */
  target: PlanValue<string | null>;
  buildArgs: Map<string, PlanValue<string>>;
  /** Set when some build args cannot be listed (an unevaluated bake expression). */
  buildArgsUnknown: Unknown | null;
  /** Tags as templates: unknown parts named (`repo:tag-<commit>`); `unknown` when not comparable. */
  tags: PlanValue<string>[];
  platforms: PlanValue<string[]>;
  push: PlanValue<boolean>;
  pull: PlanValue<boolean>;
  noCache: PlanValue<boolean>;
  cacheFrom: PlanValue<string[]>;
  cacheTo: PlanValue<string[]>;
  /** The builder: `docker engine`, `docker-container driver`, `cloud driver (org/name)`, or a builder name; unknown for the machine's current buildx builder. */
  builder: PlanValue<string>;
  retags: Retag[];
}

/** The CI and script plans of one image family. */
export interface FamilyPlans {
  family: string;
  ci: BuildPlan[];
  script: BuildPlan[];
}

/** Every plan of the repository, and the plans grouped by family. */
export interface RepoPlans {
  all: BuildPlan[];
  families: FamilyPlans[];
}

const memo = new WeakMap<Repo, RepoPlans>();

/** The build plans of a repository, computed once per Repo (several rules read them). */
export function buildPlans(repo: Repo): RepoPlans {
  const known = memo.get(repo);
  if (known) {
    return known;
  }
  const all = [...workflowPlans(repo), ...scriptPlans(repo)];
  const families: FamilyPlans[] = repo.families.map((family) => ({ family: family.name, ci: [], script: [] }));
  for (const plan of all) {
    const dockerfile = isKnown(plan.dockerfile) ? plan.dockerfile.value : null;
    const target = isKnown(plan.target) ? plan.target.value : undefined;
    const index = repo.families.findIndex((family) => family.dockerfile === dockerfile && (family.target === null || target === undefined || family.target === target));
    const group = families[index];
    if (group) {
      group[plan.side].push(plan);
    }
  }
  const result = { all, families };
  memo.set(repo, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Scripts run by hand

/**
 * Plans of the scripts a person runs: every script no other script runs (a wrapper's callee is
 * reached through the wrapper, with the wrapper's arguments).
 */
function scriptPlans(repo: Repo): BuildPlan[] {
  const runs = repo.scripts.map((script) => ({
    script,
    events: evaluateShell(repo, { file: script.path, script: script.shell, scriptPath: script.path, extraArgs: true }),
  }));
  const called = new Set<string>();
  for (const { script, events } of runs) {
    for (const event of events) {
      for (const path of event.via.slice(1)) {
        called.add(path);
      }
      if (event.at.file !== script.path) {
        called.add(event.at.file);
      }
    }
  }
  const plans: BuildPlan[] = [];
  for (const { script, events } of runs) {
    if (!called.has(script.path)) {
      plans.push(...plansFromEvents(repo, events, { side: 'script', file: script.path, job: null }));
    }
  }
  return plans;
}

interface Origin {
  side: PlanSide;
  file: string;
  job: string | null;
}

/** Build plans from the container-tool commands of one run, post-build commands attached to the build before them. */
function plansFromEvents(repo: Repo, events: ShellEvent[], origin: Origin, into: BuildPlan[] = []): BuildPlan[] {
  for (const event of events) {
    const words = event.argv.slice(1).map((word) => word.value);
    const tool = event.argv[0]?.value ? posix.basename(event.argv[0].value) : '';
    // Post-build commands belong to the build before them: in a workflow job, also one an earlier step ran.
    const last = into[into.length - 1] ?? null;
    if (tool === 'skopeo') {
      const args = event.argv.slice(1).filter((word) => !(word.value ?? '').startsWith('-'));
      if (words[0] === 'copy' && last) {
        const [, source, target] = args;
        if (source && target) {
          last.retags.push({ tool: 'skopeo copy', source: reference(source), targets: [reference(target)], at: event.origin, mode: event.mode });
        }
      }
      continue;
    }
    if (event.mode === 'alternative' && !(words[0] === 'tag' || words[0] === 'push' || (words[0] === 'buildx' && words[1] === 'imagetools'))) {
      continue;
    }
    if (words[0] === 'build' || (words[0] === 'image' && words[1] === 'build') || (words[0] === 'buildx' && words[1] === 'build') || (words[0] === 'builder' && words[1] === 'build')) {
      const skip = words[0] === 'build' ? 1 : 2;
      into.push(buildCommandPlan(event, skip, words[0] === 'buildx' ? 'buildx-build' : 'docker-build', origin));
    } else if (words[0] === 'buildx' && words[1] === 'bake') {
      into.push(...bakeCommandPlans(repo, event, origin));
    } else if (words[0] === 'tag' && last) {
      const [source, target] = event.argv.slice(2);
      if (source && target) {
        last.retags.push({ tool: 'docker tag', source: reference(source), targets: [reference(target)], at: event.origin, mode: event.mode });
      }
    } else if (words[0] === 'push' && last) {
      const image = event.argv.slice(2).find((word) => !(word.value ?? '').startsWith('-'));
      const pushed = image ? templateOf(image) : null;
      if (pushed !== null && last.tags.some((tag) => isKnown(tag) && tag.value === pushed) && event.mode !== 'alternative') {
        last.push = { value: true, at: event.at, soft: false };
      }
    } else if (words[0] === 'buildx' && words[1] === 'imagetools' && words[2] === 'create' && last) {
      const args = event.argv.slice(4);
      const targets: PlanValue<string>[] = [];
      let source: EvalWord | null = null;
      for (let i = 0; i < args.length; i++) {
        const value = args[i]?.value ?? '';
        if (value === '-t' || value === '--tag') {
          const next = args[i + 1];
          if (next) {
            targets.push(reference(next));
          }
          i += 1;
        } else if (value.startsWith('--tag=')) {
          const word = args[i];
          if (word) {
            targets.push(reference({ ...word, value: value.slice(6), template: word.template.replace(/^--tag=/, '') }));
          }
        } else if (value === '-f' || value === '--file' || value === '--annotation' || value === '--builder') {
          i += 1;
        } else if (!value.startsWith('-') || args[i]?.value === null) {
          source ??= args[i] ?? null;
        }
      }
      if (source) {
        last.retags.push({ tool: 'imagetools create', source: reference(source), targets, at: event.origin, mode: event.mode });
      }
    }
  }
  return into;
}

/** An image reference as a template (`docker://` of skopeo removed); unknown when a part is of no known kind. */
function reference(word: EvalWord): PlanValue<string> {
  const template = templateOf(word);
  return template === null ? { unknown: word.why ?? 'the reference is computed at run time', at: word.at } : { value: template, at: word.at, soft: word.soft };
}

function templateOf(word: EvalWord): string | null {
  const template = word.template.replace(/^docker:\/\//, '');
  return isComparableTemplate(template) ? template : null;
}

// `docker build` / `buildx build` flags that take a value as the next word (buildx_build.md).
const BUILD_FLAGS_WITH_VALUE = new Set([
  '-f', '--file', '-t', '--tag', '--build-arg', '--target', '--platform', '--cache-from', '--cache-to', '--label',
  '--network', '--secret', '--ssh', '--output', '-o', '--progress', '--builder', '--iidfile', '--metadata-file',
  '--build-context', '--add-host', '--shm-size', '--ulimit', '--attest', '--annotation', '--call', '--allow',
  '--cgroup-parent', '--isolation', '--memory', '--memory-swap', '--cpu-shares', '--cpuset-cpus',
]);

/** A flag's words: `--flag value`, `--flag=value`, `-tvalue`. */
interface FlagUse {
  flag: string;
  value: EvalWord | null;
  at: PlanSite;
}

function readFlags(args: readonly EvalWord[], withValue: ReadonlySet<string>): { flags: FlagUse[]; positional: EvalWord[] } {
  const flags: FlagUse[] = [];
  const positional: EvalWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (!word) {
      continue;
    }
    const value = word.value ?? word.template;
    if (!value.startsWith('-') || value === '-') {
      positional.push(word);
      continue;
    }
    const eq = value.indexOf('=');
    if (value.startsWith('--') && eq > 0) {
      const flag = value.slice(0, eq);
      const prefix = value.slice(0, eq + 1);
      flags.push({ flag, value: { ...word, value: word.value === null ? null : word.value.slice(eq + 1), template: word.template.startsWith(prefix) ? word.template.slice(prefix.length) : word.template }, at: word.at });
      continue;
    }
    if (withValue.has(value)) {
      const next = args[i + 1] ?? null;
      flags.push({ flag: value, value: next, at: word.at });
      i += 1;
      continue;
    }
    flags.push({ flag: value, value: null, at: word.at });
  }
  return { flags, positional };
}

function wordValue(word: EvalWord, fallback = 'the value is computed at run time'): PlanValue<string> {
  return word.value === null ? { unknown: word.why ?? fallback, at: word.at } : { value: word.value, at: word.at, soft: word.soft };
}

/** buildx without `--builder` uses whatever builder is current on the machine: not knowable from the repository. */
function currentBuilder(at: PlanSite): Unknown {
  return { unknown: 'the current buildx builder of the machine that runs the script', at };
}

function emptyPlan(origin: Origin, kind: BuildPlan['kind'], at: PlanSite, via: string[], mode: EventMode): BuildPlan {
  const none = { unknown: 'not set', at: null };
  return {
    side: origin.side,
    kind,
    file: origin.file,
    at,
    job: origin.job,
    via,
    mode: mode === 'alternative' ? 'conditional' : mode,
    bakeTarget: null,
    context: none,
    dockerfile: none,
    target: { value: null, at, soft: false },
    buildArgs: new Map(),
    buildArgsUnknown: null,
    tags: [],
    platforms: { value: [], at, soft: false },
    push: { value: false, at, soft: false },
    pull: { value: false, at, soft: false },
    noCache: { value: false, at, soft: false },
    cacheFrom: { value: [], at, soft: false },
    cacheTo: { value: [], at, soft: false },
    builder: currentBuilder(at),
    retags: [],
  };
}

/** `docker build` / `docker buildx build`. */
function buildCommandPlan(event: ShellEvent, skip: number, kind: 'docker-build' | 'buildx-build', origin: Origin): BuildPlan {
  const plan = emptyPlan(origin, kind, event.at, event.via, event.mode);
  const args = event.argv.slice(1 + skip);
  // A flag that an option of the script adds or leaves out is soft (the array that holds it was
  // changed on a path a non-default option takes); values such as a defaulted tag are not flags.
  const soft = args.some((word) => word.soft && (word.value ?? '').startsWith('-'));
  const { flags, positional } = readFlags(args, BUILD_FLAGS_WITH_VALUE);
  const contextWord = positional[positional.length - 1];
  const cwd = event.cwd;
  plan.context = contextWord ? pathValue(contextWord, cwd) : { unknown: 'the command names no build context', at: event.at };
  const file = flags.find((use) => use.flag === '-f' || use.flag === '--file');
  if (file?.value) {
    plan.dockerfile = pathValue(file.value, cwd);
  } else if (isKnown(plan.context)) {
    plan.dockerfile = { value: normalize(posix.join(plan.context.value || '.', 'Dockerfile')), at: plan.context.at, soft: plan.context.soft };
  }
  const target = flags.find((use) => use.flag === '--target');
  if (target?.value) {
    plan.target = wordValue(target.value);
  }
  for (const use of flags) {
    if (use.flag === '--build-arg' && use.value) {
      const text = use.value.value ?? use.value.template;
      const eq = text.indexOf('=');
      const name = eq < 0 ? text : text.slice(0, eq);
      if (eq < 0) {
        // `--build-arg NAME` passes the caller's environment variable of that name.
        const fromEnv = event.env.get(name);
        plan.buildArgs.set(name, fromEnv ? wordValue({ ...fromEnv, at: use.value.at }) : { unknown: `"${name}" comes from the environment of the build`, at: use.value.at });
      } else {
        plan.buildArgs.set(name, use.value.value === null
          ? { unknown: use.value.why ?? 'computed at run time', at: use.value.at }
          : { value: use.value.value.slice(eq + 1), at: use.value.at, soft: use.value.soft });
      }
    } else if ((use.flag === '-t' || use.flag === '--tag') && use.value) {
      plan.tags.push(reference(use.value));
    } else if (use.flag === '--platform' && use.value) {
      plan.platforms = listValue(use.value);
    } else if (use.flag === '--cache-from' && use.value) {
      plan.cacheFrom = appendList(plan.cacheFrom, use.value);
    } else if (use.flag === '--cache-to' && use.value) {
      plan.cacheTo = appendList(plan.cacheTo, use.value);
    } else if (use.flag === '--pull') {
      plan.pull = { value: true, at: use.at, soft };
    } else if (use.flag === '--no-cache') {
      plan.noCache = { value: true, at: use.at, soft };
    } else if (use.flag === '--push') {
      plan.push = { value: true, at: use.at, soft };
    } else if ((use.flag === '--output' || use.flag === '-o') && use.value) {
      const output = use.value.value;
      if (output === null) {
        plan.push = { unknown: use.value.why ?? 'the output is computed at run time', at: use.at };
      } else if (/type=registry|push=true/.test(output)) {
        plan.push = { value: true, at: use.at, soft };
      }
    } else if (use.flag === '--builder' && use.value) {
      plan.builder = wordValue(use.value);
    }
  }
  if (!plan.push || (isKnown(plan.push) && !plan.push.value)) {
    plan.push = { value: false, at: event.at, soft };
  }
  if (kind === 'docker-build' && !flags.some((use) => use.flag === '--builder')) {
    plan.builder = { value: 'docker engine', at: event.at, soft: false };
  }
  if (kind === 'buildx-build' && !flags.some((use) => use.flag === '--builder')) {
    plan.builder = currentBuilder(event.at);
  }
  return plan;
}

function pathValue(word: EvalWord, cwd: string): PlanValue<string> {
  if (word.value === null) {
    return { unknown: word.why ?? 'the path is computed at run time', at: word.at };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(word.value) || word.value === '-') {
    return { unknown: `${JSON.stringify(word.value)} is not a path in the repository`, at: word.at };
  }
  return { value: normalize(posix.join(cwd || '.', word.value)), at: word.at, soft: word.soft };
}

function listValue(word: EvalWord): PlanValue<string[]> {
  if (word.value === null) {
    return { unknown: word.why ?? 'computed at run time', at: word.at };
  }
  return { value: word.value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''), at: word.at, soft: word.soft };
}

function appendList(current: PlanValue<string[]>, word: EvalWord): PlanValue<string[]> {
  if (!isKnown(current)) {
    return current;
  }
  if (word.value === null) {
    return { unknown: word.why ?? 'computed at run time', at: word.at };
  }
  return { value: [...current.value, word.value], at: current.value.length === 0 ? word.at : current.at, soft: current.soft || word.soft };
}

// ---------------------------------------------------------------------------------------------
// Bake

/** What a bake invocation says beyond the bake file. */
interface BakeCall {
  files: string[];
  targets: string[];
  /** `--set` overrides, `target.key=value`. */
  overrides: { key: string; value: EvalWord }[];
  push: PlanValue<boolean> | null;
  pull: PlanValue<boolean> | null;
  noCache: PlanValue<boolean> | null;
  builder: PlanValue<string> | null;
  variables: Map<string, EvalWord>;
  cwd: string;
  at: PlanSite;
  via: string[];
  mode: EventMode;
  kind: 'bake-action' | 'buildx-bake';
}

const BAKE_FLAGS_WITH_VALUE = new Set(['-f', '--file', '--set', '--builder', '--progress', '--metadata-file', '--allow', '--call', '--list', '--provenance', '--sbom']);

function bakeCommandPlans(repo: Repo, event: ShellEvent, origin: Origin): BuildPlan[] {
  const args = event.argv.slice(3);
  const soft = args.some((word) => word.soft && (word.value ?? '').startsWith('-'));
  const { flags, positional } = readFlags(args, BAKE_FLAGS_WITH_VALUE);
  const fileFlags = flags.filter((use) => use.flag === '-f' || use.flag === '--file');
  if (fileFlags.some((use) => use.value?.value === null)) {
    // A bake file named only at run time: nothing to resolve the targets through.
    return [];
  }
  const files = fileFlags.map((use) => use.value?.value).filter((file): file is string => !!file);
  const targets = positional.map((word) => word.value);
  if (targets.some((target) => target === null)) {
    return [];
  }
  const flag = (name: string): FlagUse | undefined => flags.find((use) => use.flag === name);
  const push = flag('--push');
  const pull = flag('--pull');
  const noCache = flag('--no-cache');
  const builder = flag('--builder');
  return bakePlans(repo, {
    files: files.map((file) => normalize(posix.join(event.cwd || '.', file))),
    targets: targets.filter((target): target is string => target !== null),
    overrides: flags.filter((use) => use.flag === '--set' && use.value?.value).map((use) => {
      const value = use.value as EvalWord;
      const text = value.value ?? '';
      const eq = text.indexOf('=');
      return { key: text.slice(0, eq), value: { ...value, value: text.slice(eq + 1), template: text.slice(eq + 1) } };
    }),
    push: push ? { value: true, at: push.at, soft } : { value: false, at: event.at, soft },
    pull: pull ? { value: true, at: pull.at, soft } : null,
    noCache: noCache ? { value: true, at: noCache.at, soft } : null,
    builder: builder?.value ? wordValue(builder.value) : currentBuilder(event.at),
    variables: event.env,
    cwd: event.cwd,
    at: event.at,
    via: event.via,
    mode: event.mode,
    kind: 'buildx-bake',
  }, origin);
}

/** The plans of a bake invocation: one per target, fields from the bake file unless overridden. */
function bakePlans(repo: Repo, call: BakeCall, origin: Origin): BuildPlan[] {
  const paths = call.files.length > 0
    ? call.files
    : DEFAULT_BAKE_FILES.map((name) => normalize(posix.join(call.cwd || '.', name))).filter((path) => repo.bakeFiles.some((file) => file.path === path));
  const files = paths.flatMap((path) => repo.bakeFiles.filter((file) => file.path === path));
  if (files.length === 0) {
    return [];
  }
  const values = new Map<string, string | null>();
  for (const [name, word] of call.variables) {
    values.set(name, word.value);
  }
  const model = bakeWithVariables(files.map((file) => file.model), values);
  const plans: BuildPlan[] = [];
  for (const target of bakeTargets(model, call.targets).targets) {
    plans.push(bakeTargetPlan(repo, model, files.map((file) => file.path), target, call, origin));
  }
  return plans;
}

function bakeTargetPlan(repo: Repo, model: BakeModel, paths: string[], target: BakeTarget, call: BakeCall, origin: Origin): BuildPlan {
  const plan = emptyPlan(origin, call.kind, call.at, call.via, call.mode);
  plan.bakeTarget = target.name;
  const site = (attribute: string): PlanSite => bakeAttributeSite(repo, model, paths, target.name, attribute);
  const dynamic = (attribute: string): Unknown => ({ unknown: `"${attribute}" of bake target "${target.name}" is an expression review does not evaluate`, at: site(attribute) });
  const paths2 = bakeBuildPaths(target, call.cwd);
  plan.context = paths2.context === null ? dynamic('context') : { value: paths2.context, at: site('context'), soft: false };
  plan.dockerfile = paths2.dockerfile === null ? dynamic('dockerfile') : { value: paths2.dockerfile, at: site('dockerfile'), soft: false };
  plan.target = target.dynamic.includes('target') ? dynamic('target') : { value: target.target, at: site('target'), soft: false };
  for (const [name, value] of Object.entries(target.args)) {
    plan.buildArgs.set(name, value === null || value.includes('${') ? { unknown: `build arg "${name}" of bake target "${target.name}" is an expression`, at: site('args') } : { value, at: site('args'), soft: false });
  }
  if (target.dynamic.includes('args') && Object.keys(target.args).length === 0) {
    plan.buildArgsUnknown = dynamic('args');
  }
  plan.tags = target.dynamic.includes('tags') ? [dynamic('tags')] : target.tags.map((tag) => ({ value: tag, at: site('tags'), soft: false }));
  plan.platforms = target.dynamic.includes('platforms') ? dynamic('platforms') : { value: target.platforms, at: site('platforms'), soft: false };
  plan.cacheFrom = target.dynamic.includes('cache-from') ? dynamic('cache-from') : { value: target.cacheFrom, at: site('cache-from'), soft: false };
  plan.cacheTo = target.dynamic.includes('cache-to') ? dynamic('cache-to') : { value: target.cacheTo, at: site('cache-to'), soft: false };
  plan.push = call.push ?? plan.push;
  plan.pull = call.pull ?? plan.pull;
  plan.noCache = call.noCache ?? plan.noCache;
  plan.builder = call.builder ?? plan.builder;
  for (const { key, value } of call.overrides) {
    const [name = '', attribute = '', ...rest] = key.split('.');
    if (name !== '*' && name !== target.name) {
      continue;
    }
    const known = wordValue(value);
    if (attribute === 'args' && rest[0]) {
      plan.buildArgs.set(rest.join('.'), known);
    } else if (attribute === 'tags') {
      plan.tags = [reference(value)];
    } else if (attribute === 'platform' || attribute === 'platforms') {
      plan.platforms = listValue(value);
    } else if (attribute === 'cache-from') {
      plan.cacheFrom = listValue(value);
    } else if (attribute === 'cache-to') {
      plan.cacheTo = listValue(value);
    } else if (attribute === 'target') {
      plan.target = known;
    } else if (attribute === 'dockerfile' && isKnown(plan.context)) {
      plan.dockerfile = value.value === null ? known : { value: normalize(posix.join(plan.context.value || '.', value.value)), at: value.at, soft: value.soft };
    } else if (attribute === 'push') {
      plan.push = value.value === null ? { unknown: value.why ?? 'computed', at: value.at } : { value: value.value === 'true', at: value.at, soft: value.soft };
    } else if (attribute === 'output') {
      plan.push = value.value === null ? { unknown: value.why ?? 'computed', at: value.at } : { value: /type=registry|push=true/.test(value.value), at: value.at, soft: value.soft };
    } else if (attribute === 'no-cache') {
      plan.noCache = { value: value.value !== 'false', at: value.at, soft: value.soft };
    } else if (attribute === 'pull') {
      plan.pull = { value: value.value !== 'false', at: value.at, soft: value.soft };
    }
  }
  return plan;
}

/**
 * Where a target's attribute is written: the `attribute =` line in the target's block, or in the
 * block of a target it inherits from; else the target's header. hcl2json keeps no positions, so
 * this searches the text (the block ends at the first line that is a lone `}`).
 */
function bakeAttributeSite(repo: Repo, model: BakeModel, paths: string[], name: string, attribute: string, trail: string[] = []): PlanSite {
  for (const path of [...paths].reverse()) {
    const file = repo.bakeFiles.find((entry) => entry.path === path);
    if (!file || !file.model.definition.targets.has(name)) {
      continue;
    }
    const lines = new LineIndex(file.text);
    const header = file.model.definition.targets.get(name)?.line ?? 1;
    for (let line = header; line <= lines.lineCount; line++) {
      const text = lines.lineText(line);
      if (line > header && /^\s*}\s*$/.test(text) && !/^\s{2,}/.test(text)) {
        break;
      }
      const match = new RegExp(`^(\\s*)"?${attribute.replace(/[-]/g, '\\-')}"?\\s*[=:]`).exec(text);
      if (match) {
        const column = (match[1]?.length ?? 0) + 1;
        return { file: path, range: { start: { line, column }, end: { line, column: text.length + 1 } } };
      }
    }
    const parents = file.model.definition.targets.get(name)?.attributes.inherits;
    if (Array.isArray(parents)) {
      for (const parent of parents) {
        if (typeof parent === 'string' && !trail.includes(parent) && model.definition.targets.get(parent)?.attributes[attribute] !== undefined) {
          return bakeAttributeSite(repo, model, paths, parent, attribute, [...trail, name]);
        }
      }
    }
    return { file: path, range: { start: { line: header, column: 1 }, end: { line: header, column: 1 } } };
  }
  return { file: paths[0] ?? '', range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } };
}

// ---------------------------------------------------------------------------------------------
// Workflows

function workflowPlans(repo: Repo): BuildPlan[] {
  const plans: BuildPlan[] = [];
  for (const file of repo.workflows) {
    for (const job of file.model.jobs) {
      plans.push(...jobPlans(repo, file, job));
    }
  }
  return plans;
}

function entrySite(file: WorkflowFile, entry: { range: Range }): PlanSite {
  return { file: file.path, range: entry.range };
}

/**
 * A workflow value as a word: `${{ env.X }}` resolves through the env given, `${{ vars.X ||
 * 'default' }}` takes the default (soft), other expressions are unknown parts named by
 * `unknownLabel`.
 */
function workflowWord(file: WorkflowFile, text: string, at: PlanSite, env: ReadonlyMap<string, EvalWord>): EvalWord {
  if (!text.includes('${{')) {
    return knownWord(text, at);
  }
  let value: string | null = '';
  let template = '';
  let soft = false;
  let why: string | null = null;
  let offset = 0;
  for (const match of text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    const literal = text.slice(offset, match.index);
    template += literal;
    value = value === null ? null : value + literal;
    offset = (match.index ?? 0) + match[0].length;
    const expression = (match[1] ?? '').trim();
    const envRef = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression);
    const fallback = /\|\|\s*'([^']*)'\s*$/.exec(expression);
    const resolved = envRef ? env.get(envRef[1] ?? '') : fallback && /^(vars|inputs|github\.event\.inputs)\./.test(expression) ? knownWord(fallback[1] ?? '', at, true) : undefined;
    if (resolved) {
      template += resolved.template;
      value = value === null || resolved.value === null ? null : value + resolved.value;
      soft ||= resolved.soft;
      why ??= resolved.why;
    } else {
      template += unknownLabel(expression);
      value = null;
      why ??= `\${{ ${expression} }} is known only when the workflow runs`;
    }
  }
  const rest = text.slice(offset);
  return { value: value === null ? null : value + rest, template: template + rest, why, soft, at };
}

/** Entries of a multi-line or comma list input, each with the line it is on. */
function listEntries(file: WorkflowFile, entry: WorkflowEntry, comma: boolean): { text: string; at: PlanSite }[] {
  const items = entry.value.split(comma ? /[\n,]/ : /\n/).map((item) => item.trim()).filter((item) => item !== '');
  const result: { text: string; at: PlanSite }[] = [];
  let line = entry.range.start.line;
  for (const item of items) {
    let found = false;
    for (let at = line; at <= Math.min(entry.range.end.line, file.model.lines.lineCount); at++) {
      const text = file.model.lines.lineText(at);
      const column = text.indexOf(item);
      if (column >= 0) {
        result.push({ text: item, at: { file: file.path, range: { start: { line: at, column: column + 1 }, end: { line: at, column: column + 1 + item.length } } } });
        line = at;
        found = true;
        break;
      }
    }
    if (!found) {
      result.push({ text: item, at: entrySite(file, entry) });
    }
  }
  return result;
}

function stepEnv(file: WorkflowFile, job: WorkflowJob, step: WorkflowStep | null): Map<string, EvalWord> {
  const env = new Map<string, EvalWord>();
  for (const scope of [file.model.env, job.env, step?.env ?? new Map<string, WorkflowEntry>()]) {
    for (const [name, entry] of scope) {
      env.set(name, workflowWord(file, entry.value, entrySite(file, entry), env));
    }
  }
  return env;
}

function booleanInput(file: WorkflowFile, step: WorkflowStep, name: string, env: ReadonlyMap<string, EvalWord>): PlanValue<boolean> | null {
  const entry = step.with.get(name);
  if (!entry) {
    return null;
  }
  const word = workflowWord(file, entry.value.trim(), entrySite(file, entry), env);
  return word.value === null ? { unknown: word.why ?? 'computed', at: word.at } : { value: word.value === 'true', at: word.at, soft: word.soft };
}

/** The builder a build step uses: its `builder` input, or the last setup-buildx step before it. */
function workflowBuilder(file: WorkflowFile, job: WorkflowJob, step: WorkflowStep, env: ReadonlyMap<string, EvalWord>): PlanValue<string> {
  const setups = job.steps.filter((other) => other.index < step.index && usesAction(other, 'docker/setup-buildx-action'));
  const describe = (setup: WorkflowStep): PlanValue<string> => {
    const driver = setup.with.get('driver');
    const endpoint = setup.with.get('endpoint');
    const at = driver ? entrySite(file, driver) : { file: file.path, range: setup.uses?.range ?? setup.range };
    const word = workflowWord(file, driver?.value.trim() ?? 'docker-container', at, env);
    if (word.value === null) {
      return { unknown: word.why ?? 'computed', at };
    }
    const endpointWord = endpoint ? workflowWord(file, endpoint.value.trim(), entrySite(file, endpoint), env) : null;
    return { value: `${word.value} driver${endpointWord ? ` (${endpointWord.value ?? endpointWord.template})` : ''}`, at, soft: false };
  };
  const input = step.with.get('builder');
  if (input) {
    const reference = /^\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.outputs\.name\s*\}\}$/.exec(input.value.trim());
    const setup = reference ? setups.find((other) => other.id?.value === reference[1]) : undefined;
    if (setup) {
      return describe(setup);
    }
    const word = workflowWord(file, input.value.trim(), entrySite(file, input), env);
    return word.value === null ? { unknown: word.why ?? 'computed', at: word.at } : { value: word.value, at: word.at, soft: false };
  }
  const last = setups[setups.length - 1];
  if (last) {
    return describe(last);
  }
  return { value: 'docker engine', at: { file: file.path, range: step.uses?.range ?? step.range }, soft: false };
}

function jobPlans(repo: Repo, file: WorkflowFile, job: WorkflowJob): BuildPlan[] {
  const plans: BuildPlan[] = [];
  const origin: Origin = { side: 'ci', file: file.path, job: job.id };
  for (const step of job.steps) {
    const env = stepEnv(file, job, step);
    const stepAt: PlanSite = { file: file.path, range: step.uses?.range ?? step.range };
    const mode: EventMode = step.if ? 'conditional' : 'taken';
    if (usesAction(step, 'docker/build-push-action')) {
      plans.push(buildPushPlan(file, job, step, env, origin, stepAt, mode));
    } else if (usesAction(step, 'docker/bake-action')) {
      const source = step.with.get('source')?.value ?? step.with.get('workdir')?.value ?? '.';
      const cwd = /:\/\//.test(source) || source.includes('${{') ? '' : normalize(source);
      const filesEntry = step.with.get('files');
      const set = step.with.get('set');
      const builder = workflowBuilder(file, job, step, env);
      plans.push(...bakePlans(repo, {
        files: filesEntry ? listEntries(file, filesEntry, true).map((entry) => normalize(posix.join(cwd || '.', entry.text))) : [],
        targets: step.with.get('targets') ? listEntries(file, step.with.get('targets') as WorkflowEntry, true).map((entry) => entry.text) : [],
        overrides: set ? listEntries(file, set, false).map((entry) => {
          const eq = entry.text.indexOf('=');
          return { key: entry.text.slice(0, eq), value: workflowWord(file, entry.text.slice(eq + 1), entry.at, env) };
        }) : [],
        push: booleanInput(file, step, 'push', env),
        pull: booleanInput(file, step, 'pull', env),
        noCache: booleanInput(file, step, 'no-cache', env),
        builder,
        variables: env,
        cwd,
        at: stepAt,
        via: [],
        mode,
        kind: 'bake-action',
      }, origin));
    } else if (step.run?.shell) {
      const cwd = step.workingDirectory && !step.workingDirectory.value.includes('${{') ? normalize(step.workingDirectory.value) : '';
      const expressions = step.run.expressions;
      const placeholder = (at: PlanSite): EvalWord | null => {
        const expression = expressions.find((entry) => entry.range.start.line === at.range.start.line && entry.range.start.column === at.range.start.column);
        return expression ? workflowWord(file, expression.value, at, env) : null;
      };
      const events = evaluateShell(repo, { file: file.path, script: step.run.shell, env, cwd, placeholder });
      plansFromEvents(repo, events.map((event) => (mode === 'conditional' && event.mode === 'taken' ? { ...event, mode } : event)), origin, plans);
    }
  }
  return plans;
}

function buildPushPlan(file: WorkflowFile, job: WorkflowJob, step: WorkflowStep, env: ReadonlyMap<string, EvalWord>, origin: Origin, at: PlanSite, mode: EventMode): BuildPlan {
  const plan = emptyPlan(origin, 'build-push-action', at, [], mode);
  const input = (name: string): EvalWord | null => {
    const entry = step.with.get(name);
    return entry ? workflowWord(file, entry.value.trim(), entrySite(file, entry), env) : null;
  };
  // Without `context` the action builds the Git context of the commit: the repository root (action.yml).
  const context = input('context');
  plan.context = context ? pathValue(context, '') : { value: '', at, soft: false };
  const dockerfile = input('file');
  if (dockerfile) {
    plan.dockerfile = pathValue(dockerfile, '');
  } else if (isKnown(plan.context)) {
    plan.dockerfile = { value: normalize(posix.join(plan.context.value || '.', 'Dockerfile')), at: plan.context.at, soft: false };
  }
  const target = input('target');
  if (target) {
    plan.target = wordValue(target);
  }
  const args = step.with.get('build-args');
  if (args) {
    for (const entry of listEntries(file, args, false)) {
      const eq = entry.text.indexOf('=');
      const name = eq < 0 ? entry.text : entry.text.slice(0, eq);
      const word = workflowWord(file, eq < 0 ? '' : entry.text.slice(eq + 1), entry.at, env);
      plan.buildArgs.set(name, wordValue(word));
    }
  }
  const tags = step.with.get('tags');
  if (tags) {
    plan.tags = listEntries(file, tags, true).map((entry) => reference(workflowWord(file, entry.text, entry.at, env)));
  }
  const list = (name: string): PlanValue<string[]> | null => {
    const entry = step.with.get(name);
    if (!entry) {
      return null;
    }
    const words = listEntries(file, entry, name === 'platforms').map((item) => workflowWord(file, item.text, item.at, env));
    const unknown = words.find((word) => word.value === null);
    return unknown ? { unknown: unknown.why ?? 'computed', at: unknown.at } : { value: words.map((word) => word.value ?? ''), at: entrySite(file, entry), soft: false };
  };
  plan.platforms = list('platforms') ?? plan.platforms;
  plan.cacheFrom = list('cache-from') ?? plan.cacheFrom;
  plan.cacheTo = list('cache-to') ?? plan.cacheTo;
  plan.push = booleanInput(file, step, 'push', env) ?? { value: false, at, soft: false };
  plan.pull = booleanInput(file, step, 'pull', env) ?? plan.pull;
  plan.noCache = booleanInput(file, step, 'no-cache', env) ?? plan.noCache;
  plan.builder = workflowBuilder(file, job, step, env);
  return plan;
}

