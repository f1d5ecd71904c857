/**
 * Loads `baseimg.config.json` or `baseimg.config.yaml` from the repository root (or `--config`).
 * Both are read with the `yaml` package (JSON is YAML) so that a schema error can name the key
 * and the line it is on.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { InputError } from '../errors.js';
import { config as configSchema, type Config } from './config.schema.js';

/** Config file names looked for at the repository root, in order. */
export const CONFIG_FILES = ['baseimg.config.json', 'baseimg.config.yaml', 'baseimg.config.yml'] as const;

/** Parses and validates config text; throws `InputError` naming the key and line of the first problem. */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const syntax = document.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line;
    throw new InputError(`${file}:${line}: ${syntax.message.split('\n')[0]}`, file, line);
  }
  const result = configSchema.safeParse(document.toJS() ?? {});
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const node = nodeAt(document.contents, path.map(String));
  const line = node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  const key = path.length > 0 ? path.join('.') : '(root)';
  const unknown = issue?.code === 'unrecognized_keys' ? `: unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : '';
  throw new InputError(`${file}:${line}: ${key}: ${issue?.message ?? 'invalid'}${unknown}`, file, line);
}

function nodeAt(node: unknown, path: string[]): YamlNode | null {
  let current = node as YamlNode | null;
  for (const key of path) {
    if (isMap(current)) {
      const pair = current.items.find((item) => String((item.key as { value?: unknown } | null)?.value ?? item.key) === key);
      current = (pair?.value ?? pair?.key ?? null) as YamlNode | null;
    } else if (isSeq(current)) {
      current = (current.items[Number(key)] ?? null) as YamlNode | null;
    } else {
      break;
    }
  }
  return current;
}

/** Reads a config file; a missing file is an `InputError` too (the user named it). */
export async function loadConfig(path: string, displayName: string): Promise<{ config: Config; text: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`${displayName}: cannot read config: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, displayName);
  }
  const clean = text.replace(/^\uFEFF/, '');
  return { config: parseConfig(clean, displayName), text: clean };
}
