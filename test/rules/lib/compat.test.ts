/** Table tests of the compatibility judgements shared by the compat/* rules and `baseimg matrix`. */
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../src/knowledge/index.js';
import {
  advisoriesFor, channelCarries, companionMatches, distance, expectedTorchaudio, expectedTorchvision, freshness, openvinoMatches, pythonInRange,
} from '../../../src/rules/lib/compat.js';

const knowledge = loadKnowledge('2026-11-29');

describe('compat judgements', () => {
  it.each([
    ['2.9.1', '0.24.1', 'table'],
    ['2.12.1', '0.27.1', 'table'],
    ['2.16.0', '0.31.0', 'rule'],
    ['2.9.1+cu128', '0.24.1', 'table'],
  ])('torch %s pairs with torchvision %s (%s)', (torch, vision, basis) => {
    expect(expectedTorchvision(knowledge, torch)).toMatchObject({ expected: vision, basis });
  });

  it.each([
    ['2.10.0', '2.10.0'],
    ['2.12.0', '2.11.0'],
    ['2.17.1', '2.11.0'],
    ['2.10.5', '2.10.5'],
  ])('torch %s pairs with torchaudio %s', (torch, audio) => {
    expect(expectedTorchaudio(knowledge, torch)?.expected).toBe(audio);
  });

  it('compares companions exactly for table facts and by minor for rule facts', () => {
    expect(companionMatches('0.24.1+cu128', { expected: '0.24.1', basis: 'table', source: '', checked: '' })).toBe(true);
    expect(companionMatches('0.24.0', { expected: '0.24.1', basis: 'table', source: '', checked: '' })).toBe(false);
    expect(companionMatches('0.31.2', { expected: '0.31.0', basis: 'rule', source: '', checked: '' })).toBe(true);
  });

  it.each([
    ['cu128', '2.11.0', true],
    ['cu128', '2.12.0', false],
    ['cu130', '2.8.0', false],
    ['cu130', '2.16.0', null],
    ['cu128', '2.16.0', false],
    ['cu999', '2.16.0', null],
  ])('channel %s carries torch %s: %s', (channel, torch, carries) => {
    expect(channelCarries(knowledge, channel, torch).carries).toBe(carries);
  });

  it('matches OpenVINO against the bundled release', () => {
    expect(openvinoMatches('2025.3.0', '2025.3')).toBe(true);
    expect(openvinoMatches('2025.1.0', '2025.3')).toBe(false);
    expect(openvinoMatches('2025.4.1', '2025.4.1')).toBe(true);
    expect(openvinoMatches('2025.4.0', '2025.4.1')).toBe(false);
  });

  it('checks Python lines numerically', () => {
    expect(pythonInRange('3.10', { min: '3.9', max: '3.13' })).toBe(true);
    expect(pythonInRange('3.14', { min: '3.10', max: '3.13' })).toBe(false);
    expect(pythonInRange('3.9', { min: '3.10', max: '3.14' })).toBe(false);
  });

  it('finds advisories by PEP 440 range, and none at the fixed version', () => {
    expect(advisoriesFor(knowledge, 'pypi', 'cryptography', '42.0.7').map((advisory) => advisory.id)).toContain('CVE-2026-26007');
    expect(advisoriesFor(knowledge, 'pypi', 'cryptography', '50.0.0')).toEqual([]);
    expect(advisoriesFor(knowledge, 'source', 'ffmpeg', '8.1.2')).toEqual([]);
    expect(advisoriesFor(knowledge, 'source', 'ffmpeg', 'not-a-version')).toEqual([]);
  });

  it('judges freshness against the version\'s own line first', () => {
    expect(freshness(knowledge, 'source', 'ffmpeg', '6.1.1')).toMatchObject({ target: '6.1.6', behind: true, distance: '5 patch versions' });
    expect(freshness(knowledge, 'source', 'ffmpeg', '8.1.3')).toMatchObject({ target: '8.1.3', behind: false });
    expect(freshness(knowledge, 'source', 'ffmpeg', '5.1.4')).toMatchObject({ target: '9.0.2', behind: true, distance: '4 major versions' });
    expect(freshness(knowledge, 'pypi', 'left-pad', '1.0.0')).toBeNull();
    expect(distance('10.14.1.48.post1', '10.16.1.11')).toBe('2 minor versions');
  });
});
