// Why: CI logs are kept and often readable by everyone with access to the repository; GitHub masks
// only the exact values it knows to be secrets, not derived ones. `docker login -p` puts the
// password in the process list and shell history (docker login reference: "--password-stdin").
import type { ShellCommand, ShellExpansion } from '../../parse/shell.js';
import { argValues, findFlag } from '../../parse/shell-query.js';
import { dockerCalls, within } from '../lib/build-script.js';
import { defineRule } from '../rule.js';

// Name parts that mark a secret, and parts that mark something about a secret that is not one
// (`TOKEN_URL`, `KEY_FILE`, `SSH_KEY_PATH`, `GPG_KEY_FINGERPRINT`).
const SECRET_PARTS = new Set(['TOKEN', 'PASSWORD', 'PASSWD', 'SECRET', 'SECRETS', 'KEY', 'CREDENTIAL', 'CREDENTIALS', 'APIKEY', 'PAT']);
const NOT_SECRET_PARTS = new Set(['ID', 'FILE', 'PATH', 'URL', 'NAME', 'FINGERPRINT', 'FPR', 'TYPE', 'DIR', 'ENV', 'VAR', 'SERVER', 'HOST', 'ALGORITHM', 'SIZE', 'LENGTH']);

/** True when a variable name looks like it holds a secret. */
export function isSecretName(name: string): boolean {
  const parts = name.toUpperCase().split('_').filter((part) => part !== '');
  return parts.some((part) => SECRET_PARTS.has(part)) && !parts.some((part) => NOT_SECRET_PARTS.has(part));
}

/** Scripts that print secrets: echo/printf of a secret variable, tracing while one is used, `docker login -p`. */
export const secretEchoed = defineRule({
  id: 'script/secret-echoed',
  meta: {
    title: 'Script prints a secret or passes a password on the command line',
    severity: 'error',
    rationale:
      'Build scripts run in CI, whose logs are kept and widely readable. `echo "$REGISTRY_TOKEN"` (or a debug `printf`) writes the secret into that log, and `set -x` does the same for every command that uses it; CI masking only hides the exact values registered as secrets, not values derived from them. `docker login -p "$PASSWORD"` puts the password in the process list and the shell history, where other users and tools can read it, and Docker warns about it on every run.',
    remediation:
      'Never print secret variables; turn tracing off (`set +x`) around commands that use them. Log in with `printf \'%s\' "$PASSWORD" | docker login --username "$USER" --password-stdin REGISTRY`, or with docker/login-action in a workflow.',
  },
  hooks: {
    script(script, ctx) {
      const shell = script.shell;
      // Named once per script, not once per command: a long script has thousands of expansions.
      const secretExpansions = shell.expansions.filter((expansion) => isSecretName(expansion.name));
      const secretsIn = (command: ShellCommand): ShellExpansion[] => secretExpansions.filter((expansion) => within(expansion.range, command.range));
      let tracing = false;
      for (const command of shell.commands) {
        if (command.program === 'set') {
          const change = traceChange(argValues(command.args));
          tracing = change ?? tracing;
          continue;
        }
        const secrets = secretsIn(command);
        if ((command.program === 'echo' || command.program === 'printf') && secrets.length > 0 && !writesToFile(command)) {
          ctx.report({ at: command.range, message: `${command.program} prints secret variable "${secrets[0]?.name}"; never print secrets, CI logs keep them` });
          continue;
        }
        if (tracing && secrets.length > 0) {
          ctx.report({ at: command.range, message: `"set -x" is on while this command uses secret variable "${secrets[0]?.name}", so the trace prints its value; turn tracing off ("set +x") around it` });
        }
      }
      for (const call of dockerCalls(shell)) {
        if (call.kind !== 'login') {
          continue;
        }
        const password = findFlag(call.args, '-p', '--password');
        if (password) {
          ctx.report({ at: password.range, message: `"docker login ${password.value ?? password.text}" passes the password on the command line; expected --password-stdin` });
        }
      }
    },
  },
});

/** `set -x`/`set -o xtrace` turn tracing on, `set +x`/`set +o xtrace` off; null when unchanged. */
function traceChange(values: readonly string[]): boolean | null {
  let change: boolean | null = null;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? '';
    if (/^[-+][A-Za-z]*x[A-Za-z]*$/.test(value)) {
      change = value.startsWith('-');
    }
    if (/^[-+]o$/.test(value) && values[i + 1] === 'xtrace') {
      change = value.startsWith('-');
    }
  }
  return change;
}

/** `printf '%s' "$TOKEN" > file` writes a file (or feeds a pipe), it does not print. */
function writesToFile(command: ShellCommand): boolean {
  return command.redirects.some((redirect) => (redirect.operator === '>' || redirect.operator === '>>' || redirect.operator === '>|') && !/^\/dev\/(stderr|stdout|tty)$/.test(redirect.target ?? ''))
    || (command.pipeline !== null && command.pipeline.position < command.pipeline.length - 1);
}
