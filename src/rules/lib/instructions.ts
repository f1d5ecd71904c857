/** The Dockerfile instruction keywords, for the rules that judge keywords themselves. */

/** Every instruction the Dockerfile frontend knows (https://docs.docker.com/reference/dockerfile/#overview). */
export const INSTRUCTION_KEYWORDS: ReadonlySet<string> = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/** True when `keyword` (any casing) is a Dockerfile instruction. */
export function isInstructionKeyword(keyword: string): boolean {
  return INSTRUCTION_KEYWORDS.has(keyword.toUpperCase());
}
