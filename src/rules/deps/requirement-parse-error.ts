// Why: pip stops at the first line of a requirements file it cannot read ("Invalid requirement"),
// so the whole `pip install -r` RUN fails; and a line review cannot read is a line no other deps
// rule checks. The problems come from the requirements model (src/parse/requirements.ts).
import { defineRule } from '../rule.js';

export const requirementParseError = defineRule({
  id: 'deps/requirement-parse-error',
  meta: {
    title: 'Requirements line that pip cannot read',
    severity: 'error',
    rationale:
      'pip rejects a requirements file as a whole when one line is not a valid PEP 508 requirement, a known option or a URL: a merge-conflict marker, a typo in a version specifier (`numpy=1.26`), an unknown option. In a base-image build that failure comes after the slow CUDA and FFmpeg stages, so it costs a full rebuild to discover. The line is also invisible to the pinning and compatibility rules until it parses.',
    remediation: 'Fix the line: `name[extras]==version ; marker`, one of pip\'s options (`-r`, `-c`, `--index-url`, `--extra-index-url`, `--find-links`, `--hash=`), or a URL or path.',
  },
  hooks: {
    requirements(file, ctx) {
      for (const problem of file.model.problems) {
        ctx.report({ at: problem.range, message: problem.message });
      }
    },
  },
});
