/**
 * syft adapter: runs `syft scan <source> -o syft-json` when syft is installed and translates its
 * artifacts into baseimg's FoundPackage model, so its package list can be compared with the one
 * the archive analysis finds itself. The raw JSON is kept for the run record.
 */
import { InputError } from '../errors.js';
import type { FoundPackage } from '../image/types.js';
import { detectTool, runJson, type Availability } from './image-scanner.js';
import { syftDocument } from './syft.schema.js';

export function detect(program = 'syft'): Promise<Availability> {
  return detectTool('syft', program, ['version'], /^Version:\s*(\S+)/m);
}

const ECOSYSTEM: Record<string, FoundPackage['ecosystem']> = { deb: 'deb', python: 'pypi', npm: 'npm' };

/** What syft said: the packages baseimg models, and its JSON as printed. */
export interface SyftResult {
  version: string | null;
  packages: FoundPackage[];
  /** Packages of ecosystems baseimg does not model (apk, rpm, go, java...), counted by type. */
  otherTypes: Record<string, number>;
  raw: string;
}

/** Validates and translates syft JSON; `file` names the output in errors. */
export function parse(text: string, file = 'syft output'): SyftResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`invalid JSON: ${(error as Error).message}`, file);
  }
  const result = syftDocument.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(`not a syft JSON document: '${issue?.path.join('.') ?? ''}' ${issue?.message ?? ''}`, file);
  }
  const packages: FoundPackage[] = [];
  const otherTypes: Record<string, number> = {};
  for (const artifact of result.data.artifacts) {
    const ecosystem = ECOSYSTEM[artifact.type];
    if (!ecosystem) {
      otherTypes[artifact.type] = (otherTypes[artifact.type] ?? 0) + 1;
      continue;
    }
    const licenses = (artifact.licenses ?? []).map((license) => (typeof license === 'string' ? license : license.spdxExpression || license.value || '')).filter(Boolean);
    const size = artifact.metadata?.installedSize;
    const found: FoundPackage = {
      ecosystem,
      name: artifact.name,
      version: artifact.version,
      purl: artifact.purl ?? '',
      // syft keeps dpkg's Installed-Size as written (KiB).
      sizeBytes: typeof size === 'number' && ecosystem === 'deb' ? size * 1024 : null,
      location: artifact.locations?.[0]?.path ?? '',
    };
    if (licenses.length > 0) {
      found.licenses = licenses;
    }
    packages.push(found);
  }
  return { version: result.data.descriptor?.version ?? null, packages, otherTypes, raw: text };
}

/** Runs syft on an image source (`docker-archive:/path.tar`, `oci-archive:/path.tar`, `docker:ref`). */
export async function run(source: string, options: { program?: string; timeoutMs?: number } = {}): Promise<SyftResult> {
  const { text } = await runJson('syft', options.program ?? 'syft', ['scan', source, '-o', 'syft-json', '-q'], options.timeoutMs ?? 15 * 60_000);
  return parse(text);
}
