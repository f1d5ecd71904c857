import { describe, expect, it } from 'vitest';
import { invalidDefaultArgInFrom } from '../../../src/rules/dockerfile/invalid-default-arg-in-from.js';
import { undefinedArgInFrom } from '../../../src/rules/dockerfile/undefined-arg-in-from.js';
import { lintLines } from './lint.js';

describe('dockerfile/undefined-arg-in-from', () => {
  it.each([
    'ARG IMAGE=ubuntu:22.04\nFROM ${IMAGE}',
    'FROM --platform=$BUILDPLATFORM golang:1.22-${TARGETOS}',
    'ARG TAG\nFROM ubuntu:${TAG:-22.04}',
    'FROM ubuntu:22.04 AS $NOT_EXPANDED_NAME',
    'ARG A=1 B=2\nFROM x:$A-$B',
  ])('accepts %j', async (text) => {
    expect(await lintLines(undefinedArgInFrom, `${text}\n`)).toEqual([]);
  });

  it('reports an ARG that a stage declares but FROM cannot see', async () => {
    const lines = await lintLines(undefinedArgInFrom, 'FROM ubuntu:22.04\nARG TAG=22.04\nFROM ubuntu:${TAG}\n');
    expect(lines).toEqual(['3: FROM uses "$TAG", which no ARG above the first FROM declares, so it expands to an empty string: it is declared on line 2 inside stage "#0", which FROM lines do not see; move "ARG TAG" above the first FROM']);
  });
});

describe('dockerfile/invalid-default-arg-in-from', () => {
  it.each([
    'ARG TAG=22.04\nFROM ubuntu:${TAG}',
    'ARG VARIANT\nFROM python:3.11${VARIANT:+-$VARIANT}',
    'ARG BASE=build\nFROM ubuntu:22.04 AS build\nFROM ${BASE}',
    'FROM ubuntu:$UNDECLARED',
    'FROM golang:1.22-${TARGETARCH}',
    'ARG REGISTRY=localhost:5000\nFROM ${REGISTRY}/base:1',
  ])('accepts %j', async (text) => {
    expect(await lintLines(invalidDefaultArgInFrom, `${text}\n`)).toEqual([]);
  });

  it('names every ARG without a default', async () => {
    expect(await lintLines(invalidDefaultArgInFrom, 'ARG CUDA\nARG OS\nFROM nvidia/cuda:${CUDA}-runtime-${OS}\n')).toEqual([
      '3: FROM "nvidia/cuda:${CUDA}-runtime-${OS}" expands to "nvidia/cuda:-runtime-" with the default build args, which is not a valid image reference (it does not match [registry/]name[:tag][@digest]): give "ARG CUDA" and "ARG OS" a default',
    ]);
  });
});
