import { DefinitionError, isStupsError } from '../../errors.js';
import { readInputFile } from '../../io/input-file.js';
import { parseYamlSource } from '../definition/yaml-source.js';
import { isObject } from '../template/template-types.js';

/** A `STACK_REF` (name and optional version), both regular expressions matched in full. */
export interface StackRef {
  name: string;
  version?: string;
}

const VERSION_TOKEN = /^v[0-9][a-zA-Z0-9-]*$/;

/** Reads `SenzaInfo.StackName` when a token names a definition file; undefined when it is no file. */
function stackNameFromFile(token: string): string | undefined {
  let text: string;
  try {
    text = readInputFile(token, { label: 'definition' });
  } catch (e) {
    if (isStupsError(e)) throw e;
    return undefined;
  }
  const doc = parseYamlSource(text, token).value;
  if (!isObject(doc) || !('SenzaInfo' in doc)) {
    throw new DefinitionError(
      `${token} is not a valid senza definition: SenzaInfo is missing or invalid`,
      { file: token },
      {
        code: 'senza.stack-ref-invalid',
      },
    );
  }
  const info = doc.SenzaInfo;
  if (!isObject(info) || typeof info.StackName !== 'string') {
    throw new DefinitionError(
      `${token} is not a valid senza definition: Invalid SenzaInfo`,
      { file: token },
      {
        code: 'senza.stack-ref-invalid',
      },
    );
  }
  return info.StackName;
}

/**
 * `[STACK_REF]...` tokens as the original reads them: `name [version]` pairs; after a name, tokens
 * like `v2` are more versions of it (`senza delete app v1 v2`); a token that is a definition file
 * stands for its StackName.
 */
export function parseStackRefs(tokens: string[]): StackRef[] {
  const refs: StackRef[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    const previous = refs[refs.length - 1];
    if (previous && VERSION_TOKEN.test(token)) {
      refs.push({ name: previous.name, version: token });
      i++;
      continue;
    }
    const name = stackNameFromFile(token) ?? token;
    const version = tokens[i + 1];
    refs.push(version === undefined ? { name } : { name, version });
    i += version === undefined ? 1 : 2;
  }
  return refs;
}

/** `name-version` split at the last dash (a name without dash has version ""). */
export function splitStackName(stackName: string): { name: string; version: string } {
  const i = stackName.lastIndexOf('-');
  return i < 0 ? { name: stackName, version: '' } : { name: stackName.slice(0, i), version: stackName.slice(i + 1) };
}

function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return pattern === value;
  }
}

export function matchesRef(stackName: string, ref: StackRef): boolean {
  const { name, version } = splitStackName(stackName);
  return fullMatch(ref.name, name) && (ref.version === undefined || fullMatch(ref.version, version));
}

/** No refs match every stack. */
export function matchesAnyRef(stackName: string, refs: StackRef[]): boolean {
  return refs.length === 0 || refs.some((r) => matchesRef(stackName, r));
}
