import { defineRule } from '../rule.js';

/** Reported once when an external checker (ShellCheck) is not installed. */
export const toolUnavailable = defineRule({
  id: 'review/tool-unavailable',
  meta: {
    title: 'External checker not available',
    severity: 'info',
    rationale:
      'Some checks run an external tool (ShellCheck for shell scripts and RUN bodies). When it is missing, those checks are skipped; saying so once keeps a partial review from looking like a clean one. CI sets BASEIMG_REQUIRE_SHELLCHECK=1 so that the skip becomes an error there.',
    remediation: 'Install the tool (Debian/Ubuntu: `apt-get install shellcheck`), or accept the partial review.',
    engine: true,
  },
  hooks: {},
});
