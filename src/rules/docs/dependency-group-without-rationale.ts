// Why: PLAN.md 6.3 ("Dependency rationale comments"): non-obvious dependency groups such as
// Docker-in-Docker, web3/crypto libraries, media codecs, Node.js and ngrok need a short comment
// tying them to the workloads or tests that need them. Those groups are the first candidates of
// every size and attack-surface review (PLAN A2: "Explicitly evaluate heavy inclusions: Docker
// Engine, Node.js, ngrok"), and without a stated reason nobody can tell whether removing one is safe.
//
// A RUN installs a group when it names one of the group's apt packages, pip requirements (direct
// words only, not -r files) or download URLs (src/rules/lib/dependency-groups.ts). The rationale
// may sit directly above the RUN or in the stage header; it must name the group (a keyword) and
// give a reason (for, because, needed, required, so that, used by, workloads, tests, ...).
import type { CommentLine, RunInstruction } from '../../parse/dockerfile.js';
import type { ShellWord } from '../../parse/shell.js';
import { aptPackages, downloadUrls, invocations, isAptInstall, pipInstall, pipRequirements } from '../../parse/shell-query.js';
import { aptPackageName } from '../lib/build-packages.js';
import { DEPENDENCY_GROUPS, matchesName, pipRequirementName, type DependencyGroup } from '../lib/dependency-groups.js';
import { commentText, commentWords, givesReason, intentComments, stageHeader, wordParts } from '../lib/doc-comments.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

const LISTED = 4;

export const dependencyGroupWithoutRationale = defineRule({
  id: 'docs/dependency-group-without-rationale',
  meta: {
    title: 'Non-obvious dependency group installed without a rationale comment',
    severity: 'warning',
    rationale:
      'Docker Engine, web3 and crypto libraries, media codecs, Node.js and ngrok are each tens to hundreds of megabytes and a steady source of CVEs, and none of them is implied by "a CUDA/PyTorch base image". When the Dockerfile does not say which workload or test needs them, every dependency audit has to rediscover it, and the safe default becomes keeping everything forever.',
    remediation:
      'Add a comment above the RUN (or a line in the stage header) that names the group and says why it is there, e.g. `# Docker Engine: needed by the DinD workloads (EE_DD=true) and tested by image_testing/test-dind.sh`.',
  },
  hooks: {
    instruction(instruction, ctx) {
      if (instruction.kind !== 'run' || !instruction.stage) {
        return;
      }
      const found = groupsInstalled(instruction);
      if (found.size === 0) {
        return;
      }
      const blocks = [intentComments(instruction), stageHeader(instruction.stage, ctx.dockerfile)];
      // One finding per group and stage: an FFmpeg builder downloads, configures and installs codecs
      // in several RUNs, and one rationale (best in the stage header) covers them all.
      const earlier = new Set<DependencyGroup>();
      for (const other of instruction.stage.instructions) {
        if (other === instruction) {
          break;
        }
        if (other.kind === 'run') {
          for (const group of groupsInstalled(other).keys()) {
            earlier.add(group);
          }
        }
      }
      for (const [group, words] of found) {
        if (earlier.has(group) || blocks.some((block) => explains(block, group))) {
          continue;
        }
        const first = words[0];
        if (!first) {
          continue;
        }
        const names = [...new Set(words.map((word) => word.value ?? word.text))];
        const shown = names.slice(0, LISTED).map(quote).join(', ') + (names.length > LISTED ? `, and ${names.length - LISTED} more` : '');
        ctx.report({
          at: first.range,
          message: `RUN in stage "${instruction.stage.label}" installs ${group.label} (${shown}) with no comment saying why; add a rationale above the RUN or in the stage header that names the workload or test needing it`,
        });
      }
    },
  },
});

/** The groups a RUN installs, with the words that install each (in source order). */
function groupsInstalled(run: RunInstruction): Map<DependencyGroup, ShellWord[]> {
  const found = new Map<DependencyGroup, ShellWord[]>();
  const add = (group: DependencyGroup, word: ShellWord): void => {
    found.set(group, [...(found.get(group) ?? []), word]);
  };
  for (const call of invocations(run.shell)) {
    if (isAptInstall(call)) {
      for (const word of aptPackages(call)) {
        const name = word.value === null ? null : aptPackageName(word.value);
        const group = name === null ? undefined : DEPENDENCY_GROUPS.find((candidate) => matchesName(name, candidate.apt));
        if (group) {
          add(group, word);
        }
      }
    }
    const install = pipInstall(call);
    if (install) {
      for (const word of pipRequirements(install)) {
        const name = word.value === null ? null : pipRequirementName(word.value);
        const group = name === null ? undefined : DEPENDENCY_GROUPS.find((candidate) => matchesName(name, candidate.pip));
        if (group) {
          add(group, word);
        }
      }
    }
    for (const word of downloadUrls(call)) {
      const url = (word.value ?? word.text).toLowerCase();
      const group = DEPENDENCY_GROUPS.find((candidate) => candidate.urls.some((marker) => url.includes(marker)));
      if (group) {
        add(group, word);
      }
    }
  }
  // Report groups in the table's order, whatever order the RUN names them in.
  return new Map(DEPENDENCY_GROUPS.filter((group) => found.has(group)).map((group) => [group, found.get(group) ?? []]));
}

/** True when the comment block names the group and gives a reason. */
function explains(block: readonly CommentLine[], group: DependencyGroup): boolean {
  if (block.length === 0) {
    return false;
  }
  const words = commentWords(commentText(block));
  const forms = new Set(words.flatMap((word) => [word, ...wordParts(word)]));
  return group.keywords.some((keyword) => forms.has(keyword)) && givesReason(words);
}
