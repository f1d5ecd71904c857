// Why: PLAN D3 "scripts fail fast on missing prerequisites". A build script that finds out at the
// push that nobody is logged in has already spent the (GPU image: long) build; one that finds out
// that buildx is missing fails with "unknown command" instead of saying what to install.
import { argValues } from '../../parse/shell-query.js';
import type { ShellCommand } from '../../parse/shell.js';
import { buildCalls, codeText, comparePosition, dockerCalls, type DockerCall } from '../lib/build-script.js';
import { defineRule } from '../rule.js';

/** Build scripts that check docker, buildx and the registry login before the first build. */
export const prerequisitesNotChecked = defineRule({
  id: 'script/prerequisites-not-checked',
  meta: {
    title: 'Build script does not check its prerequisites up front',
    severity: 'warning',
    rationale:
      'A build script should fail in its first second, with a message that says what to fix, when the machine cannot do the job: no `docker` on PATH, an engine that does not answer, no buildx plugin when it uses `docker buildx`, or no registry login when it pushes. Without these checks the failure comes late (a push that is refused after a long build) or cryptically (`docker: \'buildx\' is not a docker command`), and a half-done run may leave some tags pushed and others not.',
    remediation:
      'Before the first build, check what the script needs: `command -v docker` or `docker info` for the engine, `docker buildx version` when it uses buildx or bake, and, when it pushes, `docker login` or a check that the Docker config holds credentials for the registry. Fail with a message that names what is missing.',
  },
  hooks: {
    script(script, ctx) {
      const shell = script.shell;
      const calls = dockerCalls(shell);
      const builds = buildCalls(calls);
      const first = builds[0];
      if (!first) {
        return;
      }
      const before = (call: DockerCall): boolean => comparePosition(call.range.start, first.range.start) < 0;
      const checksDocker = calls.some((call) => before(call) && (call.kind === 'check' || call.kind === 'login'))
        || shell.commands.some((command) => comparePosition(command.range.start, first.range.start) < 0 && asksForDocker(command));
      const usesBuildx = calls.some((call) => call.subcommand[0]?.value === 'buildx');
      const checksBuildx = calls.some((call) => before(call) && call.kind === 'check' && call.subcommand[0]?.value === 'buildx');
      const pushes = builds.some((call) => call.pushes);
      // The login check is often spread over variables (`config=${DOCKER_CONFIG:-$HOME/.docker}/config.json`,
      // `grep -q "$registry" "$config"`), which the command list alone cannot connect; fall back to
      // the text before the first build for the markers of such a check.
      const head = codeText(shell).split('\n').slice(0, first.range.start.line - 1).join('\n');
      const checksLogin = calls.some((call) => before(call) && call.kind === 'login')
        || /DOCKER_CONFIG|\.docker\/config\.json|docker-credential-|imagetools inspect|\bdocker login\b/.test(head);
      const missing: string[] = [];
      if (!checksDocker) {
        missing.push('docker ("command -v docker" or "docker info")');
      }
      if (usesBuildx && !checksBuildx) {
        missing.push('buildx ("docker buildx version")');
      }
      if (pushes && !checksLogin) {
        missing.push('the registry login ("docker login" or a check of the credentials in the Docker config)');
      }
      if (missing.length === 0) {
        return;
      }
      const what = first.array ? `"${first.array.name}=(docker ${argValues(first.subcommand).join(' ')} ...)"` : `"docker ${argValues(first.subcommand).join(' ')}"`;
      ctx.report({
        at: first.range,
        message: `${what} runs before the script checks ${missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}` : missing[0]}; check ${missing.length > 1 ? 'them' : 'it'} up front and fail with a clear message`,
      });
    },
  },
});

/** `command -v docker`, `type docker`, `which docker`, `hash docker`. */
function asksForDocker(command: ShellCommand): boolean {
  const values = argValues(command.args);
  if (command.program === 'command' && /^-[vV]$/.test(values[0] ?? '')) {
    return values.slice(1).includes('docker');
  }
  return (command.program === 'type' || command.program === 'which' || command.program === 'hash') && values.includes('docker');
}
