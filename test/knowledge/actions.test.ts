import { describe, expect, it } from 'vitest';
import { findAction, findNodeRuntime, loadKnowledge } from '../../src/knowledge/index.js';

const knowledge = loadKnowledge('2026-11-29');

describe('actions.json', () => {
  it.each(knowledge.actions.map((fact) => [fact.action, fact] as const))('%s: majors are ordered and end at the current one', (_, fact) => {
    if (fact.majors.length === 0) {
      return;
    }
    const numbers = fact.majors.map((entry) => entry.major);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(numbers[numbers.length - 1]).toBe(fact.currentMajor);
    const current = fact.majors[fact.majors.length - 1];
    if (fact.runtime && current?.runtime) {
      expect(current.runtime).toBe(fact.runtime);
    }
  });

  it('records the inputs removed by setup-buildx v4, setup-python v7 and bake-action v7', () => {
    const removed = (slug: string, major: number): string[] => findAction(knowledge, slug)?.majors.find((entry) => entry.major === major)?.removedInputs.map((input) => input.input) ?? [];
    expect(removed('docker/setup-buildx-action', 4)).toEqual(['install', 'config', 'config-inline']);
    expect(removed('actions/setup-python', 7)).toEqual(['pip-install']);
    expect(removed('docker/bake-action', 7)).toEqual(['workdir']);
  });

  it('dates the node20 deprecation', () => {
    const node20 = findNodeRuntime(knowledge, 'node20');
    expect(node20?.forcedTo).toBe('node24');
    expect((node20?.forcedFrom ?? '9') < (node20?.removedFrom ?? '0')).toBe(true);
    expect(findNodeRuntime(knowledge, 'node24')).toBeUndefined();
  });
});
