import { DefinitionError, isStupsError, UsageError } from '../../errors.js';
import { readInputFile } from '../../io/input-file.js';
import type { LoadedDefinition } from '../template/template.js';
import { isObject } from '../template/template-types.js';
import { validateDefinition } from './validate-definition.js';
import { parseYamlSource } from './yaml-source.js';

/** Parses and validates definition text; `file` names it in error messages. */
export function parseDefinition(text: string, file?: string): LoadedDefinition {
  const source = parseYamlSource(text, file);
  const doc = source.value;
  const locate = (path: (string | number)[]) => source.locate(path);
  if (!isObject(doc)) {
    throw new DefinitionError(
      `not a valid senza definition: expected a YAML map with SenzaInfo, got ${doc === null ? 'an empty document' : Array.isArray(doc) ? 'a list' : 'a scalar'}`,
      { file, line: 1, column: 1 },
      { code: 'definition.not-a-map', hint: 'A definition starts with "SenzaInfo:" (see examples/hello-world.yaml).' },
    );
  }
  if (!('SenzaInfo' in doc)) {
    throw new DefinitionError(
      `"SenzaInfo" entry is missing in YAML file "${file ?? '<definition>'}"`,
      { file, line: 1, column: 1 },
      {
        code: 'definition.senza-info-missing',
        hint: 'Add "SenzaInfo: {StackName: <application>}" at the top.',
      },
    );
  }
  validateDefinition(doc, (path) => ({ file, ...locate(path) }));
  return { doc, file, locate, scalar: (path) => source.scalar(path) };
}

/** Reads a definition file (the DEFINITION argument). */
export function loadDefinitionFile(path: string): LoadedDefinition {
  let text: string;
  try {
    text = readInputFile(path, { label: 'definition' });
  } catch (e) {
    if (isStupsError(e)) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `Invalid value for 'DEFINITION': "${path}" not found`
        : `Invalid value for 'DEFINITION': cannot read "${path}" (${code})`,
      {
        code: 'senza.definition-unreadable',
        hint: 'Pass the path of a Senza definition YAML file, e.g. examples/hello-world.yaml.',
      },
    );
  }
  return parseDefinition(text, path);
}
