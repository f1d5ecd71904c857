import { describe, expect, it } from 'vitest';
import { baseImageWithoutDigest } from '../../../src/rules/supply-chain/base-image-without-digest.js';
import { lint } from './lint.js';

const DIGEST = 'sha256:80dd3c3b9c6cecb9f1667e9290b3bc61b78c2678c02cbdae5f0fea92cc6734ab';

describe('supply-chain/base-image-without-digest', () => {
  it.each([
    'FROM ubuntu:24.04',
    'FROM ubuntu',
    'FROM registry.example.com:5000/ml/base:1.0',
    'ARG BASE=nvidia/cuda:12.6.3-runtime-ubuntu24.04\nFROM ${BASE}',
    'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
  ])('flags %j', async (dockerfile) => {
    const findings = await lint(baseImageWithoutDigest, `${dockerfile}\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe('info');
  });

  it.each([
    `FROM ubuntu:24.04@${DIGEST}`,
    `FROM ubuntu@${DIGEST}`,
    'FROM scratch',
    `FROM ubuntu:24.04@${DIGEST} AS base\nFROM base`,
    'ARG BASE\nFROM ${BASE}',
    `ARG DIGEST=${DIGEST}\nFROM ubuntu:24.04@\${DIGEST}`,
  ])('accepts %j', async (dockerfile) => {
    expect(await lint(baseImageWithoutDigest, `${dockerfile}\n`)).toEqual([]);
  });
});
