import { describe, expect, it } from 'vitest';
import { maintainerDeprecated } from '../../../src/rules/dockerfile/maintainer-deprecated.js';
import { fixed } from './lint.js';

describe('dockerfile/maintainer-deprecated', () => {
  it.each([
    ['MAINTAINER ML Platform <ml@example.com>', 'LABEL org.opencontainers.image.authors="ML Platform <ml@example.com>"'],
    ['maintainer "Jane Doe"', 'label org.opencontainers.image.authors="Jane Doe"'],
    ['MAINTAINER Jane "JD" Doe', 'LABEL org.opencontainers.image.authors="Jane \\"JD\\" Doe"'],
  ])('rewrites %s', async (input, output) => {
    expect(await fixed(maintainerDeprecated, `FROM ubuntu:22.04\n${input}\nRUN true\n`)).toBe(`FROM ubuntu:22.04\n${output}\nRUN true\n`);
  });

  it('declines when the value holds a $ that LABEL would expand', async () => {
    const input = 'FROM ubuntu:22.04\nMAINTAINER $TEAM\n';
    expect(await fixed(maintainerDeprecated, input)).toBe(input);
  });
});
