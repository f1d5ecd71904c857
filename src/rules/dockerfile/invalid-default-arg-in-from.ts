// Why: with no --build-arg, FROM is expanded with the global ARG defaults; an ARG without a default
// is empty, so `ARG TAG` + `FROM image:${TAG}` asks for `image:`, which is no valid reference, and
// a plain `docker build .` fails. BuildKit check InvalidDefaultArgInFrom
// (https://docs.docker.com/reference/build-checks/invalid-default-arg-in-from/). Names that are
// not declared at all are dockerfile/undefined-arg-in-from's finding and are not repeated here.
import { expand } from '../../parse/expand.js';
import { quote } from '../lib/helpers.js';
import { imageReferenceError } from '../lib/image-reference.js';
import { defaultGlobalScope, dockerfileVariableReferences, globalArgs, isPlatformArg } from '../lib/variables.js';
import { defineRule } from '../rule.js';

export const invalidDefaultArgInFrom = defineRule({
  id: 'dockerfile/invalid-default-arg-in-from',
  meta: {
    title: 'FROM is invalid with the default build args',
    severity: 'warning',
    rationale:
      'A base image FROM such as `FROM nvidia/cuda:${CUDA_VERSION}-runtime-ubuntu22.04` with `ARG CUDA_VERSION` and no default only builds when every caller passes --build-arg. A developer running a plain `docker build .`, a Dependabot/Renovate job or a new CI workflow then fails on an invalid reference, and tools that read the Dockerfile statically (scanners, pin updaters) cannot tell which image it uses.',
    remediation: 'Give each ARG used in FROM a working default (`ARG CUDA_VERSION=12.4.1`), so the Dockerfile builds as written and --build-arg only overrides it.',
    buildkitCheck: 'InvalidDefaultArgInFrom',
  },
  hooks: {
    stage(stage, ctx) {
      const dockerfile = ctx.dockerfile;
      const raw = stage.base.raw;
      const references = dockerfileVariableReferences(raw, dockerfile.escape);
      if (references.length === 0) {
        return;
      }
      const globals = globalArgs(dockerfile);
      if (references.some((reference) => !globals.has(reference.name) && !isPlatformArg(reference.name))) {
        return;
      }
      const expanded = expand(raw, defaultGlobalScope(dockerfile), dockerfile.escape).value;
      if (dockerfile.stages.some((other) => other.index < stage.index && other.name?.toLowerCase() === expanded.toLowerCase())) {
        return;
      }
      const problem = imageReferenceError(expanded);
      if (!problem) {
        return;
      }
      const unset = references.map((reference) => reference.name).filter((name) => globals.get(name)?.value === undefined && !isPlatformArg(name));
      const advice = unset.length > 0 ? `give ${unset.map((name) => `"ARG ${name}"`).join(' and ')} a default` : 'fix the image reference or the ARG defaults it uses';
      ctx.report({
        at: stage.base.range,
        message: `FROM ${quote(raw)} expands to ${quote(expanded)} with the default build args, which is not a valid image reference (${problem}): ${advice}`,
      });
    },
  },
});
