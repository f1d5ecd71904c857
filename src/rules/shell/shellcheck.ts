import { defineRule } from '../rule.js';

/** ShellCheck's findings for scripts and RUN bodies, mapped back to their file and line. */
export const shellcheck = defineRule({
  id: 'shell/shellcheck',
  meta: {
    title: 'ShellCheck finding',
    severity: 'warning',
    rationale:
      'Build scripts and RUN bodies are shell programs that run unattended; quoting mistakes, ignored failures and bashisms under /bin/sh break builds in ways that are slow to diagnose. ShellCheck finds them. RUN bodies are checked with the shell the stage uses (SHELL, default /bin/sh), and the Dockerfile ARG and ENV names in scope are declared so that they are not reported as unassigned.',
    remediation: 'Follow the ShellCheck wiki page named by the code (https://www.shellcheck.net/wiki/SCxxxx). Exclude codes project-wide with shellcheck.exclude in baseimg.config, or one place with `# baseimg-ignore shell/shellcheck:SCxxxx -- reason`.',
    needs: 'shellcheck',
    engine: true,
  },
  hooks: {},
});
