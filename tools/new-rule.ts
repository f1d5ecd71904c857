/**
 * `npm run new-rule -- <area>/<what-it-detects>`: creates the rule file, its fixture folder with a
 * bad and a good case, and regenerates the registry. Then: write the rule, fill the fixtures,
 * `BASEIMG_UPDATE_GOLDENS=1 npx vitest run test/rules/golden.test.ts -t '<id>'`, read the golden,
 * and `npm run docs:rules`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportName, renderRegistry } from './gen-registry.js';
import { RULE_ID } from '../src/rules/rule.js';

const id = process.argv[2] ?? '';
if (!RULE_ID.test(id)) {
  console.error('usage: npm run new-rule -- <area>/<what-it-detects>   (kebab-case)');
  process.exit(2);
}
const [area, name] = id.split('/') as [string, string];
const root = join(import.meta.dirname, '..');
const file = join(root, 'src', 'rules', area, `${name}.ts`);
if (existsSync(file)) {
  console.error(`${file} exists`);
  process.exit(2);
}
mkdirSync(join(root, 'src', 'rules', area), { recursive: true });
writeFileSync(file, `// Why: <the Docker docs section, hadolint rule or incident that motivates this rule>.
import { defineRule } from '../rule.js';

export const ${exportName(`${name}.ts`)} = defineRule({
  id: '${id}',
  meta: {
    title: 'TODO title',
    severity: 'warning',
    rationale: 'TODO: one paragraph on why this matters for heavy base images.',
    remediation: 'TODO: what to do instead.',
  },
  hooks: {
    instruction(instruction, ctx) {
      void instruction;
      void ctx;
    },
  },
});
`);
const fixtures = join(root, 'test', 'fixtures', 'rules', area, name);
mkdirSync(fixtures, { recursive: true });
writeFileSync(join(fixtures, 'bad.Dockerfile'), 'FROM debian:bookworm-slim\n');
writeFileSync(join(fixtures, 'good.Dockerfile'), 'FROM debian:bookworm-slim\n');
writeFileSync(join(root, 'src', 'rules', 'registry.ts'), renderRegistry());
console.log(`created ${file}\ncreated ${fixtures}/bad.Dockerfile, good.Dockerfile`);
