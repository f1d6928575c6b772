import { DefinitionError, isStupsError, UsageError } from '../../errors.js';
import { readInputFile } from '../../io/input-file.js';
import { pythonStr } from '../../io/python-values.js';
import { isObject, type Json, type JsonObject } from '../template-types.js';
import { parseYamlSource } from './yaml-source.js';

export interface ParameterDef {
  name: string;
  attributes: JsonObject;
}

const VERSION_PATTERN = /^[a-zA-Z0-9]+$/;

export function validateVersion(version: string): void {
  if (!VERSION_PATTERN.test(version)) {
    throw new UsageError(
      `Invalid value for 'VERSION': Version must satisfy regular expression pattern "[a-zA-Z0-9]+"`,
      {
        code: 'senza.version-invalid',
        hint: 'Use letters and digits only, e.g. 1, 42 or v2a.',
      },
    );
  }
}

/** The declared parameters of `SenzaInfo.Parameters` (a list of single-key maps), in order. */
export function parameterDefs(info: JsonObject): ParameterDef[] {
  const list = info.Parameters;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) =>
    isObject(entry) ? Object.entries(entry).map(([name, a]) => ({ name, attributes: isObject(a) ? a : {} })) : [],
  );
}

/**
 * Reads `--parameter-file`: a YAML map whose entries count as `key=value` arguments after the
 * command-line ones (values as Python's str() writes them, e.g. `True`).
 */
export function readParameterFile(path: string): string[] {
  let text: string;
  try {
    text = readInputFile(path, { label: 'parameter file' });
  } catch (e) {
    if (isStupsError(e)) throw e;
    throw new UsageError(`Can't read parameter file "${path}"`, {
      code: 'senza.parameter-file-unreadable',
      hint: 'Check the path given to --parameter-file.',
    });
  }
  const parsed = parseYamlSource(text, path).value;
  if (parsed === null || parsed === undefined || (isObject(parsed) && Object.keys(parsed).length === 0)) {
    throw new UsageError(`${path} is not a valid parameter: Parameter file is empty`, {
      code: 'senza.parameter-file-empty',
    });
  }
  if (!isObject(parsed)) {
    throw new DefinitionError(
      'a parameter file must be a map of NAME: VALUE',
      { file: path, line: 1 },
      {
        code: 'senza.parameter-file-invalid',
      },
    );
  }
  return Object.entries(parsed).map(([k, v]) => `${k}=${pythonStr(v)}`);
}

function need(defs: ParameterDef[]): string {
  return defs.map((d) => d.name).join(' ');
}

/**
 * Assigns positional and `Key=Value` arguments to the declared parameters with the original's
 * rules and messages. Unassigned parameters are absent from the result (defaults come later).
 */
export function assignArguments(defs: ParameterDef[], given: string[]): Map<string, string> {
  const assigned = new Map<string, string>();
  let keywordSeen = false;
  for (let i = 0; i < Math.min(defs.length, given.length); i++) {
    if (given[i].includes('=')) keywordSeen = true;
    else if (keywordSeen) {
      throw new UsageError('Positional parameters must not follow keywords.', {
        code: 'senza.parameters-order',
        hint: `Give positional values first, in the order "${need(defs)}", then NAME=VALUE ones.`,
      });
    } else assigned.set(defs[i].name, given[i]);
  }
  if (given.length > defs.length) {
    throw new UsageError(`Too many parameters given. Need only: "${need(defs)}"`, {
      code: 'senza.parameters-too-many',
      hint: 'A value containing spaces must be quoted in the shell.',
    });
  }
  if (keywordSeen) {
    const names = new Set(defs.map((d) => d.name));
    for (const g of given) {
      const eq = g.indexOf('=');
      if (eq < 0) continue;
      const key = g.slice(0, eq);
      if (!names.has(key)) {
        throw new UsageError(`Unrecognized keyword parameter: "${key}"`, {
          code: 'senza.parameter-unknown',
          hint: `Declared parameters: "${need(defs)}".`,
        });
      }
      if (assigned.has(key)) {
        throw new UsageError(`Parameter specified multiple times: "${key}"`, { code: 'senza.parameter-duplicate' });
      }
      assigned.set(key, g.slice(eq + 1));
    }
  }
  return assigned;
}

/**
 * Completes assigned arguments with defaults (rendered by `renderDefault`, which sees only
 * AccountInfo) and checks `AllowedValues` before anything is sent to AWS.
 */
export function completeArguments(
  defs: ParameterDef[],
  assigned: Map<string, string>,
  renderDefault: (template: string, name: string) => string,
): Record<string, string> {
  const args: Record<string, string> = {};
  for (const def of defs) {
    let value = assigned.get(def.name);
    if (value === undefined && def.attributes.Default !== undefined && def.attributes.Default !== null) {
      value = renderDefault(pythonStr(def.attributes.Default), def.name);
    }
    if (value === undefined) {
      throw new UsageError(`Missing parameter "${def.name}". Need: "${need(defs)}"`, {
        code: 'senza.parameter-missing',
        hint: `Pass it positionally or as ${def.name}=VALUE.`,
      });
    }
    const allowed = def.attributes.AllowedValues;
    if (Array.isArray(allowed) && !allowed.map((a: Json) => pythonStr(a)).includes(value)) {
      throw new UsageError(
        `Parameter "${def.name}" must be one of ${allowed.map((a) => `"${pythonStr(a)}"`).join(', ')}, not "${value}"`,
        { code: 'senza.parameter-not-allowed', hint: 'See AllowedValues of the parameter in SenzaInfo.Parameters.' },
      );
    }
    args[def.name] = value;
  }
  return args;
}
