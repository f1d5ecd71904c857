import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { analyzeImageArchive } from '../../src/image/analyze.js';
import { toCycloneDx } from '../../src/image/sbom.js';
import { archiveOf, streamOf, tarOf } from './archives.js';

const require = createRequire(import.meta.url);
const schemaDir = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res/schema');
const loadSchema = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as Record<string, unknown>;

/** A validator for CycloneDX 1.6 JSON, from the schema the library ships. */
function cyclonedx16(): (data: unknown) => { valid: boolean; errors: unknown } {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  const addFormats = addFormatsModule as unknown as (instance: Ajv) => void;
  addFormats(ajv);
  // ajv-formats lacks the internationalised variants; the library's own validator adds them the same way.
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', true);
  // The bom schema refers to its siblings relative to its own $id.
  for (const file of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) {
    const { $id: _id, ...schema } = loadSchema(file);
    ajv.addSchema(schema, `http://cyclonedx.org/schema/${file}`);
  }
  const validate = ajv.compile(loadSchema('bom-1.6.SNAPSHOT.schema.json'));
  return (data) => ({ valid: validate(data), errors: validate.errors });
}

async function analysis(): Promise<Awaited<ReturnType<typeof analyzeImageArchive>>> {
  const layer = await tarOf([
    { path: 'etc/os-release', content: 'ID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n' },
    { path: 'var/lib/dpkg/status', content: 'Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.2-0ubuntu1.15\nInstalled-Size: 5800\n' },
    { path: 'usr/lib/python3/dist-packages/numpy-1.26.4.dist-info/METADATA', content: 'Name: numpy\nVersion: 1.26.4\nLicense-Expression: BSD-3-Clause\n' },
    { path: 'venv/lib/python3.11/site-packages/numpy-1.26.4.dist-info/METADATA', content: 'Name: numpy\nVersion: 1.26.4\n' },
    { path: 'usr/lib/python3/dist-packages/Foo_Bar.egg-info/PKG-INFO', content: 'Metadata-Version: 1.1\nName: Foo_Bar\nVersion: 0.1\nLicense: Some custom text\n' },
    { path: 'srv/node_modules/express/package.json', content: '{"name":"express","version":"4.19.2","license":"MIT"}' },
    { path: 'srv/node_modules/express/lib/package.json', content: '{"type":"module"}' },
  ]);
  return analyzeImageArchive(streamOf(await archiveOf([layer], { layout: 'docker-archive', tag: 'example/sbom:1' })));
}

describe('CycloneDX SBOM', () => {
  it('lists the packages of the final filesystem with purls', async () => {
    const result = await analysis();
    expect(result.packages.map((pkg) => pkg.purl)).toEqual([
      'pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.15?arch=amd64&distro=ubuntu-22.04',
      'pkg:npm/express@4.19.2',
      'pkg:pypi/foo-bar@0.1',
      'pkg:pypi/numpy@1.26.4',
      'pkg:pypi/numpy@1.26.4',
    ]);
  });

  it('writes a CycloneDX 1.6 document that the 1.6 JSON schema accepts', async () => {
    const text = toCycloneDx(await analysis(), { timestamp: new Date('2026-01-01T00:00:00Z'), serialNumber: 'urn:uuid:0b6d3f4e-8a61-4b8e-9a57-2f1c9d1e7a10', toolVersion: '0.1.0' });
    const bom = JSON.parse(text) as { specVersion: string; metadata: { component: { type: string; name: string; version: string } }; components: { type: string; name: string; purl?: string; 'bom-ref': string; licenses?: unknown[] }[]; dependencies: { ref: string; dependsOn?: string[] }[] };
    const result = cyclonedx16()(bom);
    expect(result.errors).toBeNull();
    expect(result.valid).toBe(true);
    expect(bom.specVersion).toBe('1.6');
    expect(bom.metadata.component).toMatchObject({ type: 'container', name: 'example/sbom:1' });
    expect(bom.metadata.component.version).toMatch(/^sha256:/);
    expect(bom.components.find((c) => c.type === 'operating-system')).toMatchObject({ name: 'ubuntu', version: '22.04' });
    const refs = bom.components.map((c) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
    expect(bom.components.filter((c) => c.name === 'numpy')).toHaveLength(2);
    expect(bom.components.find((c) => c.name === 'express')?.licenses).toEqual([{ license: { id: 'MIT' } }]);
    expect(bom.components.find((c) => c.name === 'Foo_Bar')?.licenses).toEqual([{ license: { name: 'Some custom text' } }]);
    expect(bom.dependencies.find((d) => d.ref === 'image')?.dependsOn).toHaveLength(6);
  });

  it('uses a validator that does reject invalid documents', () => {
    const validate = cyclonedx16();
    expect(validate({ bomFormat: 'CycloneDX', specVersion: '1.6' }).valid).toBe(true);
    expect(validate({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ type: 'library' }] }).valid).toBe(false);
    expect(validate({ bomFormat: 'CycloneDX', specVersion: '1.6', serialNumber: 'not-a-urn' }).valid).toBe(false);
  });

  it('is reproducible for a fixed timestamp', async () => {
    const result = await analysis();
    const options = { timestamp: new Date('2026-01-01T00:00:00Z') };
    expect(toCycloneDx(result, options)).toBe(toCycloneDx(result, options));
  });
});
