/**
 * The syft, trivy and grype adapters. The tools are not installed here, so the parsers are tested
 * on sample JSON built by hand from the documented formats (test/fixtures/tools/README.md), and
 * detection is tested on a program that does not exist. When a tool is on PATH, a live check
 * confirms detect() reads its version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import * as grype from '../../src/tools/grype.js';
import * as syft from '../../src/tools/syft.js';
import * as trivy from '../../src/tools/trivy.js';

const sample = (tool: string): string => readFileSync(join(import.meta.dirname, '../fixtures/tools', tool, 'sample.json'), 'utf8');

describe('syft adapter', () => {
  it('translates deb and Python artifacts and counts the other types', () => {
    const result = syft.parse(sample('syft'));
    expect(result.version).toBe('1.51.0');
    expect(result.packages).toEqual([
      { ecosystem: 'deb', name: 'libssl3', version: '3.0.2-0ubuntu1.15', purl: 'pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.15?arch=amd64&distro=ubuntu-22.04', sizeBytes: 5800 * 1024, location: '/var/lib/dpkg/status' },
      { ecosystem: 'pypi', name: 'numpy', version: '1.26.4', purl: 'pkg:pypi/numpy@1.26.4', sizeBytes: null, location: '/usr/lib/python3/dist-packages/numpy-1.26.4.dist-info/METADATA', licenses: ['BSD-3-Clause'] },
    ]);
    expect(result.otherTypes).toEqual({ 'go-module': 1 });
    expect(result.raw).toBe(sample('syft'));
  });

  it('turns a document of the wrong shape into an input error naming the field', () => {
    expect(() => syft.parse('{"artifacts":[{"name":"x"}]}')).toThrow(InputError);
    expect(() => syft.parse('{"artifacts":[{"name":"x"}]}')).toThrow(/artifacts\.0\.version/);
    expect(() => syft.parse('not json')).toThrow(/invalid JSON/);
  });
});

describe('trivy and grype adapters', () => {
  it('read their reports into the scanner-neutral model', () => {
    const fromTrivy = trivy.parse(sample('trivy')).report;
    expect(fromTrivy.vulnerabilities).toHaveLength(1);
    expect(fromTrivy.vulnerabilities[0]).toMatchObject({ id: 'CVE-2024-0001', severity: 'high', fixable: true, scanner: 'trivy' });
    const fromGrype = grype.parse(sample('grype')).report;
    expect(fromGrype.vulnerabilities[0]).toMatchObject({ id: 'CVE-2024-0002', severity: 'medium', fixedVersions: ['1.26.5'], scanner: 'grype' });
    expect(fromGrype.scanner.version).toBe('0.80.0');
  });

  it('reject reports of the wrong shape with an input error', () => {
    expect(() => trivy.parse('{"SchemaVersion":1}')).toThrow(InputError);
    expect(() => grype.parse('{"matches":[{"artifact":{}}]}')).toThrow(/not a grype JSON report/);
  });
});

describe('detection', () => {
  it.each([['syft', syft.detect], ['trivy', trivy.detect], ['grype', grype.detect]] as const)('%s: a missing program is a skip with a reason', async (name, detect) => {
    const previous = process.env[`BASEIMG_REQUIRE_${name.toUpperCase()}`];
    delete process.env[`BASEIMG_REQUIRE_${name.toUpperCase()}`];
    try {
      const availability = await detect(`/nonexistent/${name}`);
      expect(availability).toEqual({ available: false, reason: expect.stringMatching(new RegExp(`^${name} is not installed`)) as unknown });
    } finally {
      if (previous !== undefined) {
        process.env[`BASEIMG_REQUIRE_${name.toUpperCase()}`] = previous;
      }
    }
  });

  it('BASEIMG_REQUIRE_SYFT=1 turns the skip into a failure', async () => {
    process.env.BASEIMG_REQUIRE_SYFT = '1';
    try {
      await expect(syft.detect('/nonexistent/syft')).rejects.toThrow(/BASEIMG_REQUIRE_SYFT=1 but syft is not installed/);
    } finally {
      delete process.env.BASEIMG_REQUIRE_SYFT;
    }
  });

  it.each([['syft', syft.detect], ['trivy', trivy.detect], ['grype', grype.detect]] as const)('%s on PATH reports a version when installed', async (_name, detect) => {
    const availability = await detect();
    if (availability.available) {
      expect(availability.version).toMatch(/\d+\.\d+/);
    } else {
      expect(availability.reason).toMatch(/not installed|did not report/);
    }
  });
});
