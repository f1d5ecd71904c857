/**
 * CycloneDX 1.6 JSON for an analysed image, built with @cyclonedx/cyclonedx-library (models and
 * serialiser) and purls from packageurl-js. The image is the metadata component (type container,
 * version = image id); the distribution, when os-release names one, is an operating-system
 * component; every package found in the final filesystem is a library component with its purl,
 * licenses when its database declares them, and where it was found as properties.
 * Source: research/anchors-measurement.md b5.1 (document shape), b5.2 (purl), b5.6 (library).
 */
import { Enums, Models, Serialize, Spec, SPDX } from '@cyclonedx/cyclonedx-library';
import type { ImageAnalysis } from './types.js';

export interface SbomOptions {
  /** The image name for the metadata component (defaults to the first repo tag, else 'image'). */
  name?: string;
  /** baseimg's version, for metadata.tools. */
  toolVersion?: string;
  /** Fixed for reproducible output (tests, goldens); now when absent. */
  timestamp?: Date;
  /** `urn:uuid:...`; omitted when absent (the field is optional in CycloneDX). */
  serialNumber?: string;
  /** Indentation of the JSON text. */
  space?: number;
}

/** The CycloneDX 1.6 JSON text of the image's software bill of materials. */
export function toCycloneDx(analysis: ImageAnalysis, options: SbomOptions = {}): string {
  const name = options.name ?? analysis.repoTags[0] ?? 'image';
  const bom = new Models.Bom();
  if (options.serialNumber) {
    bom.serialNumber = options.serialNumber;
  }
  bom.metadata.timestamp = options.timestamp ?? new Date();
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, 'baseimg', { version: options.toolVersion ?? '0.0.0' }));
  const image = new Models.Component(Enums.ComponentType.Container, name, { bomRef: 'image', ...(analysis.imageId ? { version: analysis.imageId } : {}) });
  image.properties.add(new Models.Property('baseimg:image:finalBytes', String(analysis.finalBytes)));
  image.properties.add(new Models.Property('baseimg:image:wastedBytes', String(analysis.wastedBytes)));
  bom.metadata.component = image;

  const distro = analysis.distro;
  if (distro?.id) {
    const os = new Models.Component(Enums.ComponentType.OperatingSystem, distro.id, {
      bomRef: `os:${distro.id}@${distro.versionId ?? 'unknown'}`,
      ...(distro.versionId ? { version: distro.versionId } : {}),
      ...(distro.prettyName ? { description: distro.prettyName } : {}),
    });
    bom.components.add(os);
    image.dependencies.add(os.bomRef);
  }

  const refs = new Set<string>();
  for (const pkg of analysis.packages) {
    // The same package may be installed in several places (two virtualenvs): one component each.
    let ref = pkg.purl;
    for (let n = 2; refs.has(ref); n += 1) {
      ref = `${pkg.purl}#${n}`;
    }
    refs.add(ref);
    const component = new Models.Component(Enums.ComponentType.Library, pkg.name, { bomRef: ref, version: pkg.version, purl: pkg.purl });
    for (const license of pkg.licenses ?? []) {
      component.licenses.add(SPDX.isSupportedSpdxId(license) ? new Models.SpdxLicense(license) : new Models.NamedLicense(license));
    }
    component.properties.add(new Models.Property('baseimg:package:ecosystem', pkg.ecosystem));
    component.properties.add(new Models.Property('baseimg:location:0:path', pkg.location));
    if (pkg.sizeBytes !== null) {
      component.properties.add(new Models.Property('baseimg:metadata:installedSize', String(pkg.sizeBytes)));
    }
    bom.components.add(component);
    image.dependencies.add(component.bomRef);
  }

  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return serializer.serialize(bom, { sortLists: true, space: options.space ?? 2 });
}
