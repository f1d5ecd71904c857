// Why: build arguments are part of the image's build record. `ARG` values show in
// `docker history` of the image when a RUN uses them, and BuildKit's provenance attestation (mode=max,
// the default for public repositories on build-push-action) records every build-arg value. A
// registry token or API key passed as a build arg is therefore published with the image. BuildKit
// secrets (`secrets:` on build-push-action, `--secret`, `RUN --mount=type=secret`) reach the build
// without entering any layer or record (docs.docker.com/build/building/secrets/;
// research/anchors-actions-buildx.md rule P7).
import type { ShellWord } from '../../parse/shell.js';
import type { Workflow, WorkflowEntry } from '../../parse/workflow.js';
import type { Range } from '../../parse/locations.js';
import { workflowImageBuilds } from '../../repo/workflow-builds.js';
import { buildCall } from '../lib/build-cache.js';
import { defineRule } from '../rule.js';

// `secrets.X`, `github.token` (the GITHUB_TOKEN) in an expression.
const SECRET_EXPRESSION = /\$\{\{[^}]*\b(secrets\.[A-Za-z0-9_]+|github\.token)\b[^}]*\}\}/;

export const secretInBuildArgs = defineRule({
  id: 'workflow/secret-in-build-args',
  meta: {
    title: 'Secret passed to an image build as a build argument',
    severity: 'error',
    rationale:
      'Build arguments are not secret: a RUN that uses an ARG records its value in the image history, and the provenance attestation BuildKit attaches to pushed images (mode=max by default on public repositories) lists every build-arg. A registry token, GitHub token or API key passed through `build-args`/`--build-arg` is published with the base image to everyone who can pull it.',
    remediation:
      'Pass the value as a BuildKit secret: `secrets: |\\n  token=${{ secrets.TOKEN }}` on docker/build-push-action (or `secret-envs`), `--secret id=token,env=TOKEN` on `docker buildx build`, and read it in the Dockerfile with `RUN --mount=type=secret,id=token ...`; then rotate the exposed secret.',
  },
  hooks: {
    workflow(file, ctx) {
      const workflow = file.model;
      for (const build of workflowImageBuilds(workflow, ctx.repo)) {
        const env = [build.step.env, build.job.env, workflow.env];
        if (build.kind === 'build-push-action') {
          for (const line of entryLines(workflow, build.step.with.get('build-args'))) {
            const secret = secretIn(line.text, env);
            if (secret) {
              report(line.text, secret, line.range);
            }
          }
        } else if (build.kind === 'bake-action') {
          for (const line of entryLines(workflow, build.step.with.get('set'))) {
            const secret = /\.args\.[^=]+=/.test(line.text) ? secretIn(line.text, env) : null;
            if (secret) {
              report(line.text, secret, line.range);
            }
          }
        } else {
          const call = buildCall(build);
          for (const word of call ? buildArgWords(call.args) : []) {
            const text = workflow.text.slice(workflow.lines.offsetAt(word.range.start), workflow.lines.offsetAt(word.range.end)).replace(/^(["'])(.*)\1$/s, '$2');
            // `--build-arg TOKEN` takes the value of the variable TOKEN from the environment.
            const secret = secretIn(text, env) ?? (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text) ? secretIn(`$${text}`, env) : null);
            if (secret) {
              report(text, secret, word.range);
            }
          }
        }
      }

      function report(text: string, secret: string, range: Range): void {
        ctx.report({
          at: range,
          message: `build argument ${JSON.stringify(text.trim())} passes ${secret} into the image build, where the image history and provenance record it; pass it as a BuildKit secret (secrets: / --secret, RUN --mount=type=secret)`,
        });
      }
    },
  },
});

/** What secret a value passes: `secrets.X`, `github.token`, or an env variable holding one; else null. */
function secretIn(text: string, envMaps: readonly ReadonlyMap<string, WorkflowEntry>[]): string | null {
  const direct = SECRET_EXPRESSION.exec(text);
  if (direct?.[1]) {
    return direct[1];
  }
  // `${{ env.TOKEN }}` or a shell `$TOKEN` / `${TOKEN}` naming an env entry that holds a secret.
  const names = [...text.matchAll(/\benv\.([A-Za-z_][A-Za-z0-9_]*)|\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] ?? match[2] ?? '');
  for (const name of names) {
    for (const map of envMaps) {
      const entry = map.get(name);
      if (entry) {
        const inner = SECRET_EXPRESSION.exec(entry.value);
        if (inner?.[1]) {
          return `${inner[1]} (through ${name})`;
        }
        break;
      }
    }
  }
  return null;
}

/** Each non-empty line of a multi-line input, with its range in the file. */
function entryLines(workflow: Workflow, entry: WorkflowEntry | undefined): { text: string; range: Range }[] {
  if (!entry) {
    return [];
  }
  const start = workflow.lines.offsetAt(entry.range.start);
  const source = workflow.text.slice(start, workflow.lines.offsetAt(entry.range.end));
  const lines: { text: string; range: Range }[] = [];
  let from = 0;
  for (const line of entry.value.split('\n')) {
    const text = line.trim();
    if (text === '') {
      continue;
    }
    const at = source.indexOf(text, from);
    if (at < 0) {
      lines.push({ text, range: entry.range });
      continue;
    }
    from = at + text.length;
    lines.push({ text, range: { start: workflow.lines.positionAt(start + at), end: workflow.lines.positionAt(start + at + text.length) } });
  }
  return lines;
}

/** The value words of `--build-arg X=y` / `--build-arg=X=y`. */
function buildArgWords(args: readonly ShellWord[]): ShellWord[] {
  const words: ShellWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i]?.value ?? args[i]?.text ?? '';
    if (value === '--build-arg' && args[i + 1]) {
      words.push(args[i + 1] as ShellWord);
    } else if (value.startsWith('--build-arg=')) {
      words.push(args[i] as ShellWord);
    }
  }
  return words;
}
