import { describe, expect, it } from 'vitest';
import { evaluate, evaluateValue, eventContext, truthy, UNKNOWN } from '../../../src/rules/lib/expressions.js';

const pr = eventContext('pull_request', [new Map([['PUSH', { value: "${{ github.event_name != 'pull_request' }}" }]])]);

describe('expression evaluator', () => {
  it.each([
    ["github.event_name == 'pull_request'", true],
    ["github.event_name == 'PULL_REQUEST'", true],
    ["github.event_name != 'pull_request' && github.ref == 'refs/heads/main'", false],
    ["github.event_name == 'pull_request' || inputs.x", true],
    ["!(github.event_name == 'push')", true],
    ["startsWith(github.ref, 'refs/pull/')", true],
    ["env.PUSH == 'true'", false],
    ['env.PUSH', false],
    ["inputs.push && github.event_name == 'push'", false],
    ['1 == true', true],
  ])('%s -> %s on pull_request', (source, expected) => {
    expect(truthy(evaluate(source, pr))).toBe(expected);
  });

  it.each(['inputs.push', "contains(github.event.pull_request.labels.*.name, 'x')", "inputs.a || github.event_name == 'push'", 'foo(', "'unterminated"])('%s is unknown', (source) => {
    expect(evaluate(source, pr)).toBe(UNKNOWN);
  });

  it('evaluates whole ${{ }} values and leaves mixed text unknown', () => {
    expect(evaluateValue("${{ github.event_name }}", pr)).toBe('pull_request');
    expect(evaluateValue('a-${{ github.sha }}', pr)).toBe(UNKNOWN);
    expect(evaluateValue('true', pr)).toBe('true');
    expect(evaluateValue("github.event_name == 'push'", pr, { condition: true })).toBe(false);
  });

  it('does not loop on env values that refer to each other', () => {
    const loop = eventContext('pull_request', [new Map([['A', { value: '${{ env.B }}' }], ['B', { value: '${{ env.A }}' }]])]);
    expect(evaluate('env.A', loop)).toBe(UNKNOWN);
  });
});
