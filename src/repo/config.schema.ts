/**
 * `baseimg.config.json` / `baseimg.config.yaml`: image families and policy. The JSON Schema users
 * point their editors at (schema/baseimg.config.schema.json) is generated from this definition.
 */
import { z } from 'zod';

const severity = z.enum(['error', 'warning', 'info']);

/** Per-rule setting: `"off"`, a severity, or a severity with rule options. */
export const ruleSetting = z.union([
  z.literal('off'),
  severity,
  z.object({
    severity: z.union([severity, z.literal('off')]).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  }).strict(),
]);

/** One image family: a Dockerfile, its build context and what belongs to it. */
export const familyConfig = z.object({
  dockerfile: z.string().min(1).describe('Path of the Dockerfile, relative to the repository root'),
  context: z.string().optional().describe('Build context directory (default: inferred)'),
  target: z.string().optional().describe('Stage built for the image (default: the last stage)'),
  requirements: z.array(z.string()).optional().describe('Python requirements files the image installs'),
  workflows: z.array(z.string()).optional().describe('Workflows that build the image'),
  scripts: z.array(z.string()).optional().describe('Manual build scripts that build the image'),
  test: z.string().optional().describe('Image test command; IMAGE is replaced by the image reference'),
}).strict();

/** The whole configuration file. */
export const config = z.object({
  $schema: z.string().optional(),
  families: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), familyConfig).optional()
    .describe('Image families by name (e.g. cpu, gpu)'),
  rules: z.record(z.string(), ruleSetting).optional()
    .describe('Severity overrides and options by rule id; "off" disables a rule'),
  ignore: z.object({
    paths: z.array(z.string()).optional().describe('Globs of files and folders that review skips'),
    findings: z.array(z.object({
      rule: z.string(),
      paths: z.array(z.string()).optional(),
      reason: z.string().min(1),
    }).strict()).optional().describe('Findings to ignore by rule and path, each with a reason'),
  }).strict().optional(),
  shellcheck: z.object({
    exclude: z.array(z.string().regex(/^SC\d{4}$/)).optional().describe('ShellCheck codes never reported'),
    severity: z.enum(['error', 'warning', 'info', 'style']).optional().describe('Lowest ShellCheck level reported (default style)'),
  }).strict().optional(),
  thresholds: z.record(z.string(), z.number()).optional().describe('Numeric thresholds used by rules, by name'),
}).strict();

/** A validated configuration. */
export type Config = z.infer<typeof config>;
/** One family's configuration. */
export type FamilyConfig = z.infer<typeof familyConfig>;
/** One rule's configuration. */
export type RuleSetting = z.infer<typeof ruleSetting>;
