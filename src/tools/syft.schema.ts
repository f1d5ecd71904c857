/**
 * syft's own JSON (`-o syft-json`, schema 16.x; anchore/syft syft/format/syftjson/model), as far
 * as baseimg uses it: artifacts with name, version, type, purl, locations and licenses.
 * Source: research/anchors-measurement.md b5.3.
 */
import { z } from 'zod';

const license = z.union([z.string(), z.object({ value: z.string().optional(), spdxExpression: z.string().optional() }).passthrough()]);

export const syftArtifact = z.object({
  name: z.string(),
  version: z.string(),
  type: z.string(),
  purl: z.string().optional(),
  foundBy: z.string().optional(),
  locations: z.array(z.object({ path: z.string(), layerID: z.string().optional() }).passthrough()).nullish(),
  licenses: z.array(license).nullish(),
  metadata: z.object({ installedSize: z.number().optional() }).passthrough().nullish(),
}).passthrough();

export const syftDocument = z.object({
  artifacts: z.array(syftArtifact),
  distro: z.object({ id: z.string().optional(), versionID: z.string().optional() }).passthrough().nullish(),
  descriptor: z.object({ name: z.string(), version: z.string() }).passthrough().optional(),
  schema: z.object({ version: z.string() }).passthrough().optional(),
}).passthrough();

export type SyftDocument = z.infer<typeof syftDocument>;
