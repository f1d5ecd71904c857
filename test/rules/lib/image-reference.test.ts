import { describe, expect, it } from 'vitest';
import { imageReferenceError } from '../../../src/rules/lib/image-reference.js';

describe('imageReferenceError', () => {
  it.each([
    'ubuntu',
    'ubuntu:22.04',
    'nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04',
    'nvcr.io/nvidia/pytorch:24.05-py3',
    'localhost:5000/team/base',
    'ghcr.io/astral-sh/uv:0.4.18@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    'Registry.Example.com/team/base:1',
    'my__image_name',
  ])('accepts %s', (reference) => {
    expect(imageReferenceError(reference)).toBeNull();
  });

  it.each([
    ['', 'empty'],
    ['nvidia/cuda:', 'does not match'],
    ['nvidia/cuda:-runtime', 'does not match'],
    ['nvcr.io/nvidia/PyTorch:24.05', 'lowercase'],
    ['Ubuntu', 'lowercase'],
    ['team//base', 'does not match'],
    ['base-', 'does not match'],
    ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'image ID'],
  ])('refuses %s', (reference, reason) => {
    expect(imageReferenceError(reference)).toContain(reason);
  });
});
