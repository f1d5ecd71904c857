// Why: every RUN already runs as the USER in effect, so sudo in a build is either a no-op (as root)
// or a way around USER that needs sudo, its PAM stack and a sudoers entry in the image (hadolint
// DL3004; Trivy DS-0010). sudo also resets the environment by default (env_reset), so ENV values
// and proxies silently vanish for the command it runs. `sudo -u other cmd` to drop privileges is
// reported too, with runuser/setpriv as the sudo-free way.
import { isRootUser, effectiveUser } from '../lib/stage-history.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const sudoInRun = defineRule({
  id: 'dockerfile/sudo-in-run',
  meta: {
    title: 'sudo used in a RUN',
    severity: 'warning',
    rationale:
      'A RUN already runs as the user set by USER (root unless the base image or Dockerfile says otherwise), so sudo is either redundant or a way around USER that keeps sudo, PAM and a sudoers entry in the image, a privilege-escalation path in every container started from it. sudo also resets the environment by default, so ENV values such as PATH, CUDA_HOME or proxy settings vanish for the command it runs, which breaks builds only on machines that need them.',
    remediation:
      'Drop sudo when the RUN runs as root; otherwise switch with `USER root` before the privileged RUN and back after it. To run one command as another user while root, use `runuser -u <user> --` or `setpriv`.',
    fixable: 'unsafe',
    hadolint: ['DL3004'],
  },
  hooks: {
    runCommand(call, ctx) {
      const { command } = call;
      if (!call.wrappers.includes('sudo')) {
        return;
      }
      const user = effectiveUser(ctx.stage, ctx.run);
      const switchesUser = command.program === 'sudo' && command.args.some((word) => /^(-u|--user)(=|$)/.test(word.value ?? ''));
      let message: string;
      if (switchesUser) {
        message = `sudo -u in stage "${ctx.stage.label}" needs sudo and a sudoers entry in the image; use runuser -u <user> -- (or setpriv) instead`;
      } else if (user === null || isRootUser(user)) {
        const who = user === null ? 'the base image\'s user (root for most images)' : quote(user);
        message = `sudo in stage "${ctx.stage.label}" is redundant: the RUN already runs as ${who}; drop sudo`;
      } else {
        message = `sudo in stage "${ctx.stage.label}" works around USER ${quote(user)}; put USER root before this RUN and USER ${user} after it instead`;
      }
      // Removing a bare leading `sudo` when the RUN runs as root keeps the command as it was; still
      // unsafe, because a base image may set a non-root USER the review cannot see and because
      // sudo's env_reset no longer applies.
      const next = command.args[0];
      const asRoot = user === null || isRootUser(user);
      const removable = asRoot && command.program === 'sudo' && command.assignments.length === 0 && next && !(next.value ?? next.text).startsWith('-') && !ctx.run.jsonForm && !switchesUser;
      ctx.report({
        at: command.range,
        message,
        ...(removable && next ? {
          fix: {
            description: 'remove sudo',
            safety: 'unsafe' as const,
            edits: [{ file: ctx.dockerfile.path, start: ctx.dockerfile.lines.offsetAt(command.range.start), end: ctx.dockerfile.lines.offsetAt(next.range.start), newText: '' }],
          },
        } : {}),
      });
    },
  },
});
