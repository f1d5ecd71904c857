import { describe, expect, it } from 'vitest';
import { commentRestatesCommand } from '../../../src/rules/docs/comment-restates-command.js';
import { reviewFiles } from '../../helpers.js';

async function restates(comment: string, instruction: string): Promise<boolean> {
  const result = await reviewFiles({ Dockerfile: `FROM ubuntu:24.04\n${comment}\n${instruction}\n` }, { rules: [commentRestatesCommand] });
  return result.findings.some((finding) => finding.ruleId === commentRestatesCommand.id);
}

const APT = 'RUN apt-get update && apt-get install -y --no-install-recommends curl git ca-certificates';

describe('docs/comment-restates-command', () => {
  it.each([
    ['# install packages', APT],
    ['# Installing packages', APT],
    ['# Install the required packages', APT],
    ['# Update apt and install curl + git', APT],
    ['#install ca-certificates', APT],
    ['# Install Python dependencies', 'RUN pip install --no-cache-dir -r /tmp/requirements.txt'],
    ['# Copy requirements', 'COPY requirements.txt /tmp/requirements.txt'],
    ['# Add the NodeSource key', 'RUN curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor -o /etc/apt/keyrings/nodesource.gpg'],
    ['# Run the setup script', 'RUN <<EOF\nset -e\n/opt/setup/run.sh\nEOF'],
  ])('flags %j', async (comment, instruction) => {
    expect(await restates(comment, instruction)).toBe(true);
  });

  it.each([
    ['# curl and git are needed by the entrypoint at run time', APT],
    ['# Build-only: removed with the builder stage', APT],
    ['# so that TLS to the model registry works', APT],
    ['# packages for the dashboard build', APT],
    ['# Install packages\n# because the OpenCV wheels dlopen libGL', APT],
    ['# Install libGL', APT],
    ['# hadolint ignore=DL3008', APT],
    ['# ---------------------------', APT],
    ['# Entrypoint shared with the GPU image', 'COPY scripts/entrypoint.sh /usr/local/bin/'],
    ['# python version', 'ARG PYTHON_VERSION=3.13.11'],
  ])('passes %j', async (comment, instruction) => {
    expect(await restates(comment, instruction)).toBe(false);
  });
});
