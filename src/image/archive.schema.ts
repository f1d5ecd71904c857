/**
 * The JSON documents of an image archive, validated at the boundary (permissive about extra
 * fields, strict about what the analysis uses). Sources: moby image/spec/v1.2.md (manifest.json,
 * image config), opencontainers/image-spec image-layout.md, manifest.md, image-index.md.
 */
import { z } from 'zod';

/** `manifest.json` of `docker save` (legacy and Docker 25+): one entry per saved image. */
export const dockerManifest = z.array(z.object({
  Config: z.string(),
  RepoTags: z.array(z.string()).nullish(),
  Layers: z.array(z.string()).nullish(),
}).passthrough());

const descriptor = z.object({
  mediaType: z.string().optional(),
  digest: z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/),
  size: z.number().optional(),
  annotations: z.record(z.string(), z.string()).nullish(),
  platform: z.object({ architecture: z.string().optional(), os: z.string().optional() }).passthrough().nullish(),
}).passthrough();

/** `index.json` or an image index blob. */
export const ociIndex = z.object({
  schemaVersion: z.number().optional(),
  mediaType: z.string().optional(),
  // Docker 25 wrote `"manifests": null` for `docker save IMAGE@DIGEST` (moby/moby#47210).
  manifests: z.array(descriptor).nullish(),
}).passthrough();

/** An image manifest blob. */
export const ociManifest = z.object({
  config: descriptor,
  layers: z.array(descriptor).nullish(),
}).passthrough();

/** The image config (the fields the analysis uses). */
export const imageConfig = z.object({
  architecture: z.string().nullish(),
  os: z.string().nullish(),
  rootfs: z.object({ diff_ids: z.array(z.string()).nullish() }).passthrough().nullish(),
  history: z.array(z.object({ created_by: z.string().nullish(), empty_layer: z.boolean().nullish() }).passthrough()).nullish(),
}).passthrough();

export type OciIndex = z.infer<typeof ociIndex>;
export type OciManifest = z.infer<typeof ociManifest>;
export type ImageConfig = z.infer<typeof imageConfig>;
