import { describe, expect, it } from 'vitest';
import { eolRuntimeInstalled } from '../../../src/rules/compat/eol-runtime-installed.js';
import { lintLines } from '../supply-chain/lint.js';

describe('compat/eol-runtime-installed', () => {
  it.each([
    ['FROM ubuntu:20.04', 'error: base image "ubuntu:20.04" is Ubuntu 20.04, which reached end of life on 2025-05-31'],
    ['FROM ubuntu:focal-20240530', 'error: base image "ubuntu:focal-20240530" is Ubuntu 20.04'],
    ['FROM docker.io/library/debian:bullseye-slim', 'error: base image "docker.io/library/debian:bullseye-slim" is Debian 11'],
    ['FROM debian:11.9', 'error: base image "debian:11.9" is Debian 11'],
    ['FROM debian:buster', 'error: base image "debian:buster" is Debian 10'],
    ['FROM node:18.20.4-bookworm-slim', 'error: base image "node:18.20.4-bookworm-slim" is Node.js 18'],
    ['FROM python:2.7', 'error: base image "python:2.7" is Python 2.7, which is older than Python 3.7'],
    ['FROM nvcr.io/nvidia/cuda:11.8.0-devel-ubuntu20.04', 'error: base image "nvcr.io/nvidia/cuda:11.8.0-devel-ubuntu20.04" is Ubuntu 20.04'],
    ['FROM ubuntu:22.04\nRUN apt-get install -y --no-install-recommends python3.9-dev', 'error: Python 3.9 installed here'],
    ['FROM ubuntu:22.04\nARG NODE_VERSION=20.18.1\nRUN curl -fsSLO https://nodejs.org/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-x64.tar.xz', 'error: Node.js 20 installed here'],
    ['FROM ubuntu:22.04\nRUN echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_18.x nodistro main" > /etc/apt/sources.list.d/nodesource.list', 'error: Node.js 18 installed here'],
    ['FROM ubuntu:22.04\nARG PY=3.10\nRUN uv python install ${PY}', 'error: Python 3.10 installed here reached end of life on 2026-10-31 (fact checked 2026-11-29); move to Python 3.14 (EOL 2030-10-31)'],
  ])('flags %j', async (dockerfile, expected) => {
    const lines = await lintLines(eolRuntimeInstalled, `${dockerfile}\n`);
    expect(lines.some((line) => line.includes(expected)), lines.join('\n')).toBe(true);
  });

  it.each([
    'FROM ubuntu:24.04',
    'FROM ubuntu:noble',
    'FROM node:lts-bookworm',
    'FROM node:24',
    'FROM python:3',
    'FROM python:3.13-slim-trixie',
    'FROM nvidia/cuda:12.6.3-runtime-ubuntu24.04',
    'FROM ubuntu@sha256:80dd3c3b9c6cecb9f1667e9290b3bc61b78c2678c02cbdae5f0fea92cc6734ab',
    'ARG BASE\nFROM ${BASE}',
    'FROM ubuntu:24.04 AS base\nFROM base',
    'FROM ubuntu:24.04\nRUN apt-get install -y --no-install-recommends python3.12-venv nodejs=24.11.1-1nodesource1',
  ])('accepts %j', async (dockerfile) => {
    expect(await lintLines(eolRuntimeInstalled, `${dockerfile}\n`)).toEqual([]);
  });

  it('reports an approaching end of life as info within warnDays', async () => {
    const dockerfile = 'FROM ubuntu:24.04\nRUN curl -fsSL https://deb.nodesource.com/setup_22.x -o /tmp/setup.sh\n';
    expect(await lintLines(eolRuntimeInstalled, dockerfile)).toEqual([
      '2 info: Node.js 22 installed here reaches end of life on 2027-04-30, in 152 days (fact checked 2026-11-29); plan the move to Node.js 26 (EOL 2029-04-30)',
    ]);
    expect(await lintLines(eolRuntimeInstalled, dockerfile, { warnDays: 100 })).toEqual([]);
    expect(await lintLines(eolRuntimeInstalled, 'FROM ubuntu:22.04\n', { warnDays: 365 })).toEqual([
      '1 info: base image "ubuntu:22.04" is Ubuntu 22.04, which reaches end of life on 2027-06-30, in 213 days (fact checked 2026-11-29); plan the move to Ubuntu 24.04 (EOL 2029-05-31)',
    ]);
  });

  it('reports one line once per instruction', async () => {
    const dockerfile = 'FROM ubuntu:24.04\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x -o /tmp/s.sh && bash /tmp/s.sh && apt-get install -y nodejs=20.*\n';
    expect(await lintLines(eolRuntimeInstalled, dockerfile)).toHaveLength(1);
  });
});
