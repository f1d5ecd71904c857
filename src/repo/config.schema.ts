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

/** One pin-policy class: which dependencies it holds and how tightly they must be pinned. */
export const pinClassConfig = z.object({
  packages: z.array(z.string().min(1)).min(1).describe('Globs of dependency names (PEP 503 names for PyPI, e.g. "torch*", "nvidia-*")'),
  ecosystem: z.enum(['pypi', 'apt', 'source', 'binary']).optional().describe('Ecosystem the globs apply to (default pypi)'),
  require: z.enum(['exact', 'range-with-constraints', 'any']).describe('"exact": == pin; "range-with-constraints": a range is fine when a -c constraints file pins it exactly; "any": no requirement'),
  reason: z.string().optional().describe('Why the class exists, shown in findings'),
}).strict();

/** The dependency pin policy (docs/dependencies.md). */
export const pinPolicyConfig = z.object({
  defaults: z.boolean().optional().describe('Keep the built-in classes (ml-stack, security) and pairs; default true'),
  classes: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), pinClassConfig).optional()
    .describe('Classes by name; a class named like a built-in one replaces it. The first class whose globs match a dependency governs it'),
  pairs: z.array(z.object({
    apt: z.string().min(1).describe('Glob of apt package names (e.g. "libnvinfer*")'),
    pypi: z.string().min(1).describe('Glob of PyPI names (e.g. "tensorrt*")'),
  }).strict()).optional().describe('apt packages that must be pinned together with a PyPI package, to the same upstream version'),
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
  audit: z.object({
    workloads: z.array(z.string()).optional()
      .describe('Globs of files whose imports and commands count as use of a package (besides image_testing/ and the entrypoint)'),
    profiles: z.record(z.string(), z.array(z.string())).optional()
      .describe('Optional profiles by name, each a list of package names or globs (e.g. {"dev": ["ngrok", "vim"]})'),
  }).strict().optional().describe('Necessity audit (baseimg audit): where packages are used, and which belong to optional profiles'),
  pinPolicy: pinPolicyConfig.optional().describe('How tightly each class of dependencies must be pinned (docs/dependencies.md)'),
}).strict();

/** A validated configuration. */
export type Config = z.infer<typeof config>;
/** One family's configuration. */
export type FamilyConfig = z.infer<typeof familyConfig>;
/** The pin policy as configured. */
export type PinPolicyConfig = z.infer<typeof pinPolicyConfig>;
/** One rule's configuration. */
export type RuleSetting = z.infer<typeof ruleSetting>;
