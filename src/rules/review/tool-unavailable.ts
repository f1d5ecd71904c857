import { defineRule } from '../rule.js';

/** Reported once when an external checker (ShellCheck, actionlint) is not installed or cannot start. */
export const toolUnavailable = defineRule({
  id: 'review/tool-unavailable',
  meta: {
    title: 'External checker not available',
    severity: 'info',
    rationale:
      'Some checks run an external tool (ShellCheck for shell scripts, RUN and `run:` bodies; the embedded actionlint build for workflows). When it is missing or cannot start, those checks are skipped; saying so once keeps a partial review from looking like a clean one. CI sets BASEIMG_REQUIRE_SHELLCHECK=1 and BASEIMG_REQUIRE_ACTIONLINT=1 so that the skip becomes an error there.',
    remediation: 'Install the tool (Debian/Ubuntu: `apt-get install shellcheck`), or accept the partial review.',
    engine: true,
  },
  hooks: {},
});
