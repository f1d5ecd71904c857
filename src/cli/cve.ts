/** `baseimg cve`: scanner reports -> one summary (and a before/after comparison) -> exit code. */
import { UsageError } from '../errors.js';
import { normalizeName } from '../parse/requirements.js';
import { dependencyInventory } from '../repo/dependencies.js';
import { discover } from '../repo/discover.js';
import { loadScanReport } from '../security/load.js';
import { renderCveJson, renderCveMarkdown, renderCveText, type CveResult } from '../security/render.js';
import { compareSummaries, summarize } from '../security/summary.js';
import { severityAtLeast, type CveSeverity } from '../security/vulnerability.js';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Io } from './main.js';

const FORMATS = ['text', 'json', 'md'] as const;
const FAIL_ON = ['critical', 'high', 'medium', 'low', 'never'] as const;

/** Parses `cve` flags, reads the reports, prints the summary, returns the exit code. */
export async function cveCommand(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        before: { type: 'string', multiple: true, default: [] },
        repo: { type: 'string' },
        format: { type: 'string', short: 'f', default: 'text' },
        'fail-on-cve': { type: 'string', default: 'never' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    throw new UsageError('cve needs at least one scanner report (trivy --format json, grype -o json, pip-audit -f json)');
  }
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);
  }
  const failOn = values['fail-on-cve'] as (typeof FAIL_ON)[number];
  if (!FAIL_ON.includes(failOn)) {
    throw new UsageError(`--fail-on-cve must be one of ${FAIL_ON.join(', ')}, got "${values['fail-on-cve']}"`);
  }
  const summary = summarize(await Promise.all(positionals.map(loadScanReport)));
  let comparison = null;
  if (values.before.length > 0) {
    const before = summarize(await Promise.all(values.before.map(loadScanReport)));
    comparison = compareSummaries(before, summary, values.repo ? await directDependencies(values.repo) : new Set());
  }
  const result: CveResult = { summary, comparison };
  io.stdout(format === 'json' ? renderCveJson(result) : format === 'md' ? renderCveMarkdown(result) : renderCveText(result));
  if (failOn === 'never') {
    return 0;
  }
  return summary.vulnerabilities.some((vulnerability) => severityAtLeast(vulnerability.severity, failOn as CveSeverity)) ? 1 : 0;
}

/**
 * Names the repository declares itself (normalised): every pip and apt package of the dependency
 * inventory, which covers requirements files with their includes and installs in Dockerfile RUNs.
 */
async function directDependencies(root: string): Promise<Set<string>> {
  const inventory = dependencyInventory(await discover(resolve(root)));
  return new Set(inventory.families.flatMap((family) => family.dependencies)
    .filter((dependency) => dependency.ecosystem === 'pypi' || dependency.ecosystem === 'apt')
    .map((dependency) => normalizeName(dependency.name)));
}
