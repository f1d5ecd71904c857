// Why: MAINTAINER has been deprecated since Docker 1.13; it writes the legacy `Author` field that
// OCI tooling does not read (Docker docs, "Dockerfile reference > MAINTAINER (deprecated)"; hadolint
// DL4000; BuildKit MaintainerDeprecated). The OCI annotation org.opencontainers.image.authors
// is what registries, SBOM tools and `docker inspect` users look for.
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const maintainerDeprecated = defineRule({
  id: 'dockerfile/maintainer-deprecated',
  meta: {
    title: 'MAINTAINER instead of an authors label',
    severity: 'warning',
    rationale:
      'MAINTAINER is deprecated and fills only the legacy Author field of the image config, which registries, SBOM generators and the OCI annotations that image catalogues index do not read. For a base image that other teams build on, the owner should be findable from the image itself, through the org.opencontainers.image.authors label.',
    remediation: 'Replace `MAINTAINER name` with `LABEL org.opencontainers.image.authors="name"`.',
    fixable: 'safe',
    hadolint: ['DL4000'],
    buildkitCheck: 'MaintainerDeprecated',
  },
  hooks: {
    instruction(instruction, ctx) {
      if (instruction.keyword !== 'MAINTAINER') {
        return;
      }
      const value = instruction.argsText.trim();
      // LABEL expands variables and MAINTAINER does not, so a `$` or a multi-line value would change
      // meaning; the fix declines then.
      const rewritable = value !== '' && !/[$\n]/.test(value) && ctx.dockerfile.escape === '\\';
      const keyword = instruction.keywordText === instruction.keywordText.toLowerCase() ? 'label' : 'LABEL';
      const unquoted = /^"[^"]*"$/.test(value) ? value.slice(1, -1) : value;
      const label = `${keyword} org.opencontainers.image.authors="${unquoted.replace(/[\\"]/g, '\\$&')}"`;
      ctx.report({
        at: instruction.range,
        message: `deprecated MAINTAINER ${quote(unquoted)}; use LABEL org.opencontainers.image.authors instead`,
        ...(rewritable ? {
          fix: {
            description: 'use an org.opencontainers.image.authors label',
            safety: 'safe' as const,
            edits: [{
              file: ctx.dockerfile.path,
              start: ctx.dockerfile.lines.offsetAt(instruction.keywordRange.start),
              end: ctx.dockerfile.lines.offsetAt(instruction.range.end),
              newText: label,
            }],
          },
        } : {}),
      });
    },
  },
});
