// Why: ARG and ENV values are recorded in the image (ENV in its config, ARG values used by RUN in
// its history and in provenance attestations), so a token passed that way ships with the image.
// BuildKit check SecretsUsedInArgOrEnv
// (https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/); the name test is
// BuildKit's (dockerfile2llb `getSecretsRegex`): one `_`-delimited word of the name, compared
// case-insensitively, is a secret word, and no word is an allow word.
import type { Range } from '../../parse/locations.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

// Word boundaries are `_` or the ends of the name only: `API_KEY` and `KEY` match, `MONKEY`,
// `api-key` and `ApiKey` do not (BuildKit splits on underscores, not on case or dashes).
const SECRET_WORD = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
// `SSH_PUBLIC_KEY`, `GPG_KEY_FILE` and `NVIDIA_KEY_VERSION` name something that is not the secret itself.
const ALLOW_WORD = /(?:_|^)(?:public|file|version)(?:_|$)/i;

// A `GPG_KEY` / `PGP_KEYS` whose value is one or more OpenPGP key ids or fingerprints (16 or 40 hex
// digits, the form `gpg --recv-keys` takes) names the signing key a download is verified against:
// a public identifier, published so that anyone can check the signature (the docker-library
// python and node images pin their release keys this way). Both the gpg/pgp word in the name and
// the fingerprint-shaped value are required, so an `API_KEY` holding hex still counts as a secret.
const OPENPGP_WORD = /(?:_|^)(?:gpg|pgp|openpgp)(?:_|$)/i;
const OPENPGP_KEY_IDS = /^(?:0x)?(?:[0-9a-f]{16}|[0-9a-f]{40})(?:\s+(?:0x)?(?:[0-9a-f]{16}|[0-9a-f]{40}))*$/i;

/** True when the variable names OpenPGP key ids or fingerprints, which are public. */
export function isPublicKeyFingerprint(name: string, value: string | undefined): boolean {
  return value !== undefined && OPENPGP_WORD.test(name) && OPENPGP_KEY_IDS.test(value.trim());
}

/** True when BuildKit's SecretsUsedInArgOrEnv would flag a variable of this name. */
export function looksLikeSecretName(name: string): boolean {
  return SECRET_WORD.test(name) && !ALLOW_WORD.test(name);
}

export const secretInArgOrEnv = defineRule({
  id: 'dockerfile/secret-in-arg-or-env',
  meta: {
    title: 'Secret-looking name in ARG or ENV',
    severity: 'warning',
    rationale:
      'Base images are pushed to registries that many teams pull from. An ENV value is stored in the image config for anyone who can pull it, and a build ARG used by RUN appears in `docker history` and in max-mode provenance, so an HF_TOKEN, a PIP index password or an NGC API key passed that way leaks with every copy of the image. BuildKit secret mounts give the same build step the value without recording it.',
    remediation:
      'Pass the value as a build secret: `docker build --secret id=hf_token,env=HF_TOKEN` and `RUN --mount=type=secret,id=hf_token,env=HF_TOKEN ...` (or read /run/secrets/hf_token). If the name is not a secret, rename it or suppress the finding with a reason.',
    hadolint: ['DL3064'],
    buildkitCheck: 'SecretsUsedInArgOrEnv',
  },
  hooks: {
    instruction(instruction, ctx) {
      let names: { name: string; value: string | undefined; range: Range }[] = [];
      if (instruction.kind === 'arg') {
        names = instruction.declarations;
      } else if (instruction.kind === 'env') {
        names = instruction.pairs;
      } else {
        return;
      }
      for (const { name, value, range } of names) {
        if (!looksLikeSecretName(name) || isPublicKeyFingerprint(name, value)) {
          continue;
        }
        const id = name.toLowerCase();
        ctx.report({
          at: range,
          message: `${instruction.keyword} ${quote(name)} looks like a secret and would be recorded in the image: use a secret mount (RUN --mount=type=secret,id=${id},env=${name}) instead`,
        });
      }
    },
  },
});
