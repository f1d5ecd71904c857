/**
 * Image reference validation with the grammar of github.com/distribution/reference (the package
 * BuildKit parses FROM with): `[domain[:port]/]path[:tag][@digest]`, path components lowercase.
 * Written from the grammar in that package's `reference.go` doc comment, not ported code.
 */

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

/**
 * Why `reference` is not a valid image reference for `FROM`, or null when it is. Mirrors
 * `reference.ParseNormalizedNamed`: a first path part without `.` or `:` that is not `localhost`
 * belongs to Docker Hub, the repository must be lowercase, and a bare 64-hex string is refused.
 */
export function imageReferenceError(reference: string): string | null {
  if (reference === '') {
    return 'it is empty';
  }
  if (/^[a-f0-9]{64}$/.test(reference)) {
    return 'a 64-character hex string is an image ID, not a reference';
  }
  const slash = reference.indexOf('/');
  const first = slash < 0 ? '' : reference.slice(0, slash);
  const hasDomain = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first);
  const remainder = hasDomain ? reference.slice(slash + 1) : reference;
  const repository = remainder.replace(/@.*$/, '').replace(/:[^/]*$/, '');
  if (repository.toLowerCase() !== repository) {
    return 'the repository name must be lowercase';
  }
  if (!REFERENCE.test(reference)) {
    return 'it does not match [registry/]name[:tag][@digest]';
  }
  const name = reference.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  if (name.length > 255) {
    return 'the name is longer than 255 characters';
  }
  return null;
}
