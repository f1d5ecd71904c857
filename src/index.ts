/** The library API: every command is a function that takes typed options and returns data. */
export { review, type ReviewOptions, type ReviewResult } from './review.js';
export { planFixes, writeFixPlan, type FixOptions, type FixPlan, type FileChange, type AppliedFix } from './fix/plan.js';
export { unifiedDiff, unifiedDiffs } from './fix/diff.js';
export { discover } from './repo/discover.js';
export { parseDockerfile, type Dockerfile, type Stage, type DockerInstruction } from './parse/dockerfile.js';
export { initShellParser, parseShell, type ShellScript, type ShellCommand } from './parse/shell.js';
export { RULES } from './rules/registry.js';
export type { Finding, Severity } from './rules/finding.js';
export type { Rule, RuleMeta } from './rules/rule.js';
export { renderText } from './report/text.js';
export { renderJson } from './report/json.js';
export { renderSarif } from './report/sarif.js';
export { renderMarkdown } from './report/markdown.js';
export { findEngine, type Engine, type EngineOptions } from './engine/docker.js';
export { runBench, type BenchOptions, type BenchVariant } from './engine/bench.js';
export { runRecord, RUN_RECORD_SCHEMA_VERSION, type RunRecord } from './engine/record.schema.js';
