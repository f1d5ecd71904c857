/**
 * Scanner reports -> one CVE summary -> before/after comparison -> `baseimg cve` exit codes. The
 * sample reports (test/fixtures/security/) are written from the documented formats; see the README there.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadScanReport, parseScanReport } from '../../src/security/load.js';
import { compareSummaries, summarize } from '../../src/security/summary.js';
import { normalizeSeverity, primaryId } from '../../src/security/vulnerability.js';
import { captureIo, tempRepo } from '../helpers.js';

const SAMPLES = join(import.meta.dirname, '..', 'fixtures', 'security');
const sample = (name: string): string => join(SAMPLES, name);

describe('scanner readers', () => {
  it('read trivy: severities, fixable, aliases, layers, ecosystem', async () => {
    const report = await loadScanReport(sample('trivy-before.json'));
    expect(report.scanner).toEqual({ name: 'trivy', version: '0.67.2', database: null });
    expect(report.target).toBe('ghcr.io/example/edge-cpu:before');
    const byId = new Map(report.vulnerabilities.map((found) => [found.id, found]));
    expect(byId.get('CVE-2024-12797')).toMatchObject({ severity: 'high', fixable: true, fixedVersions: ['44.0.1'], aliases: ['CVE-2024-12797', 'GHSA-79v4-65xg-pq4g'], package: { name: 'cryptography', version: '42.0.7', ecosystem: 'pypi' } });
    expect(byId.get('CVE-2022-37434')).toMatchObject({ severity: 'medium', fixable: false, layer: 'sha256:aaaa', package: { ecosystem: 'deb' } });
    expect(report.vulnerabilities).toHaveLength(5);
  });

  it('read grype: related CVE becomes the id, database version kept', async () => {
    const report = await loadScanReport(sample('grype-after.json'));
    expect(report.scanner).toEqual({ name: 'grype', version: '0.99.1', database: 'schema v6.1.0, built 2026-11-19T01:30:00Z' });
    expect(report.target).toBe('ghcr.io/example/edge-cpu:after');
    expect(report.vulnerabilities.map((found) => [found.id, found.severity, found.fixable])).toEqual([
      ['CVE-2026-26007', 'high', true],
      ['CVE-2025-0001', 'critical', false],
    ]);
  });

  it('read pip-audit: no severity, skipped dependencies left out', async () => {
    const report = await loadScanReport(sample('pip-audit-before.json'));
    expect(report.vulnerabilities.map((found) => [found.id, found.severity])).toEqual([
      ['GHSA-h4gh-qq45-vh27', 'unknown'],
      ['CVE-2024-12797', 'unknown'],
    ]);
  });

  it('name the file and line of bad input', () => {
    expect(() => parseScanReport('{\n  "matches": [\n  oops', 'bad.json')).toThrow(/not JSON/);
    try {
      parseScanReport('{\n  "matches": [\n  oops', 'bad.json');
    } catch (error) {
      expect((error as { file: string; line?: number }).file).toBe('bad.json');
      expect((error as { line?: number }).line).toBe(3);
    }
    expect(() => parseScanReport('{"SchemaVersion": 2, "Results": [{"Target": "x", "Vulnerabilities": [{"VulnerabilityID": "CVE-1", "InstalledVersion": "1"}]}]}', 't.json'))
      .toThrow(/Results\.0\.Vulnerabilities\.0\.PkgName/);
    expect(() => parseScanReport('{"hello": 1}', 'other.json')).toThrow(/not a report of a known scanner/);
    expect(() => parseScanReport('{"SchemaVersion": 1, "Results": []}', 'old.json')).toThrow(/SchemaVersion/);
  });

  it('normalise severities and ids', () => {
    expect(['CRITICAL', 'High', 'medium', 'Negligible', 'info', 'UNKNOWN', 'bogus'].map(normalizeSeverity)).toEqual(['critical', 'high', 'medium', 'negligible', 'negligible', 'unknown', 'unknown']);
    expect(primaryId(['GHSA-x', 'cve-2024-1'])).toBe('CVE-2024-1');
    expect(primaryId(['PYSEC-2024-1'])).toBe('PYSEC-2024-1');
  });
});

describe('summary', () => {
  it('counts once what two scanners report, and lends severity to pip-audit', async () => {
    const summary = summarize([await loadScanReport(sample('trivy-before.json')), await loadScanReport(sample('pip-audit-before.json'))]);
    expect(summary.counts).toEqual({ critical: 0, high: 2, medium: 2, low: 1, negligible: 0, unknown: 0, total: 5, fixable: 4 });
    const openssl = summary.vulnerabilities.find((found) => found.id === 'CVE-2024-12797');
    expect(openssl?.scanners).toEqual(['trivy', 'pip-audit']);
    expect(summary.vulnerabilities[0]?.severity).toBe('high');
  });

  it('rates pip-audit findings from another report of the same alias', async () => {
    const summary = summarize([await loadScanReport(sample('pip-audit-before.json')), await loadScanReport(sample('trivy-before.json'))]);
    expect(summary.vulnerabilities.find((found) => found.id === 'CVE-2024-12797')?.severity).toBe('high');
    expect(summary.counts.unknown).toBe(0);
  });
});

describe('before/after comparison', () => {
  it('names introduced CVEs with the package change responsible, and the fixed ones', async () => {
    const before = summarize([await loadScanReport(sample('trivy-before.json'))]);
    const after = summarize([await loadScanReport(sample('trivy-after.json')), await loadScanReport(sample('grype-after.json'))]);
    const comparison = compareSummaries(before, after, new Set(['cryptography', 'requests']));
    expect(comparison.introduced.map((entry) => [entry.vulnerability.id, entry.vulnerability.package.name, entry.previousVersion, entry.direct])).toEqual([
      ['CVE-2025-0001', 'libexample1', null, false],
      ['CVE-2024-35195', 'requests', null, true],
      ['CVE-2026-34073', 'cryptography', '42.0.7', true],
    ]);
    expect(comparison.fixed.map((found) => found.id).sort()).toEqual(['CVE-2022-37434', 'CVE-2024-12797', 'GHSA-h4gh-qq45-vh27']);
    // CVE-2026-26007 is in both: still there after the bump, so neither introduced nor fixed.
    expect(comparison.after.critical - comparison.before.critical).toBe(1);
    expect(comparison.scannerMismatch).toContain('grype 0.99.1');
  });

  it('sees no scanner mismatch when both sides used the same scanner build', async () => {
    const before = summarize([await loadScanReport(sample('trivy-before.json'))]);
    const after = summarize([await loadScanReport(sample('trivy-after.json'))]);
    expect(compareSummaries(before, after).scannerMismatch).toBeNull();
  });
});

describe('baseimg cve', () => {
  it('fails on a critical CVE when asked, passes otherwise', async () => {
    let io = captureIo();
    expect(await main(['cve', sample('trivy-after.json'), sample('grype-after.json'), '--fail-on-cve', 'critical'], io)).toBe(1);
    expect(io.out).toContain('vulnerabilities: 1 critical, 1 high, 1 medium, 2 low, 0 other (4 of 5 fixable)');
    expect(io.out).toContain('CVE-2025-0001 critical in libexample1 1.0-1, no fix known');
    io = captureIo();
    expect(await main(['cve', sample('trivy-before.json'), '--fail-on-cve', 'critical'], io)).toBe(0);
    io = captureIo();
    expect(await main(['cve', sample('trivy-before.json'), '--fail-on-cve', 'high'], io)).toBe(1);
  });

  it('compares with --before and marks direct dependencies from the repository', async () => {
    // requests comes from the requirements file, cryptography from a pip install in a RUN: both
    // are direct dependencies of the image (the dependency inventory reads both).
    const { root, cleanup } = await tempRepo({
      'img/requirements.txt': 'requests==2.31.0\n',
      'img/Dockerfile': 'FROM ubuntu:24.04\nCOPY requirements.txt /tmp/requirements.txt\nRUN python3 -m pip install --no-cache-dir -r /tmp/requirements.txt cryptography==46.0.4\n',
    });
    try {
      const io = captureIo();
      expect(await main(['cve', sample('trivy-after.json'), '--before', sample('trivy-before.json'), '--repo', root], io)).toBe(0);
      expect(io.out).toContain('CVE-2026-34073 low in cryptography 46.0.4, fixed in 46.0.6; cryptography changed 42.0.7 -> 46.0.4 (direct dependency)');
      expect(io.out).toContain('CVE-2024-35195 medium in requests 2.31.0, fixed in 2.32.0; requests was added (direct dependency)');
      expect(io.out).toContain('fixed (3):');
      const json = captureIo();
      await main(['cve', sample('trivy-after.json'), '--before', sample('trivy-before.json'), '--format', 'json'], json);
      const parsed = JSON.parse(json.out) as { schemaVersion: number; comparison: { introduced: unknown[] } };
      expect(parsed.schemaVersion).toBe(1);
      expect(parsed.comparison.introduced).toHaveLength(2);
      const md = captureIo();
      await main(['cve', sample('trivy-after.json'), '--before', sample('trivy-before.json'), '--format', 'md'], md);
      expect(md.out).toContain('| before | 0 | 2 | 2 | 1 | 0 | 4 |');
    } finally {
      await cleanup();
    }
  });

  it('exits 2 naming the file for unreadable reports and bad flags', async () => {
    let io = captureIo();
    expect(await main(['cve', sample('README.md')], io)).toBe(2);
    expect(io.err).toMatch(/security\/README\.md:1: not JSON: Unexpected token/);
    io = captureIo();
    expect(await main(['cve', sample('missing.json')], io)).toBe(2);
    expect(io.err).toContain('missing.json: cannot read scanner report: ENOENT');
    io = captureIo();
    expect(await main(['cve'], io)).toBe(2);
    io = captureIo();
    expect(await main(['cve', sample('trivy-after.json'), '--fail-on-cve', 'severe'], io)).toBe(2);
    expect(io.err).toContain('--fail-on-cve must be one of');
  });
});
