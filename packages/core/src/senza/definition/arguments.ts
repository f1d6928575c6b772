import { DefinitionError, isStupsError, UsageError } from '../../errors.js';
import { readInputFile } from '../../io/input-file.js';
import { pythonStr } from '../../io/python-values.js';
import { isObject, type Json, type JsonObject } from '../template/template-types.js';
import { pythonStrOfYamlScalar, type YamlScalar, type YamlScalarType } from './yaml-python-str.js';
import { parseYamlSource, type YamlPath } from './yaml-source.js';

export interface ParameterDef {
  name: string;
  attributes: JsonObject;
  /** Where the attributes are in the definition: SenzaInfo.Parameters.<i>.<name>. */
  path: YamlPath;
}

/**
 * A parameter value whose text YAML changed: `1.10` was read as the float 1.1, `~` as None, `yes` as True.
 * The original used Python's str() of the value, so this is the value used too; callers warn about it.
 */
export interface ParameterConversion {
  name: string;
  written: string;
  used: string;
  type: YamlScalarType;
  file?: string;
  line?: number;
  column?: number;
}

/** A positional or `NAME=VALUE` argument; a parameter-file entry YAML changed also says how. */
export type ParameterArgument = string | { argument: string; conversion: ParameterConversion };

export function argumentText(a: ParameterArgument): string {
  return typeof a === 'string' ? a : a.argument;
}

/**
 * Python's str() of a parameter value from the definition or a parameter file, from its YAML scalar when
 * there is one (the JSON value has lost what Python saw: `2.0` is the number 2 here).
 */
export function parameterValueText(
  value: Json,
  scalar: YamlScalar | undefined,
  where: { name: string; file?: string; path: YamlPath; line?: number; column?: number },
): { text: string; conversion?: ParameterConversion } {
  if (scalar === undefined) return { text: pythonStr(value) };
  const { type, text } = pythonStrOfYamlScalar(scalar);
  if (text === undefined) {
    throw new DefinitionError(
      `"${scalar.source}" is not a valid ${type === 'timestamp' ? 'date or time' : type} for parameter ${where.name}`,
      { file: where.file, line: where.line, column: where.column, path: where.path },
      { code: 'senza.parameter-value-invalid', hint: `Quote the value to pass it as text: "${scalar.source}".` },
    );
  }
  if (type === 'str' || text === scalar.source) return { text };
  const { name, file, line, column } = where;
  return { text, conversion: { name, written: scalar.source, used: text, type, file, line, column } };
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
  return list.flatMap((entry, i) =>
    isObject(entry)
      ? Object.entries(entry).map(([name, a]) => ({
          name,
          attributes: isObject(a) ? a : {},
          path: ['SenzaInfo', 'Parameters', i, name],
        }))
      : [],
  );
}

/**
 * Reads `--parameter-file`: a YAML map whose entries count as `key=value` arguments after the
 * command-line ones (values as Python's str() writes them, e.g. `True` or `2.0`).
 */
export function readParameterFile(path: string): ParameterArgument[] {
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
  const source = parseYamlSource(text, path);
  const parsed = source.value;
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
  return Object.entries(parsed).map(([k, v]) => {
    const where = { name: k, file: path, path: [k], ...source.locate([k]) };
    const { text: value, conversion } = parameterValueText(v, source.scalar([k]), where);
    const argument = `${k}=${value}`;
    return conversion ? { argument, conversion } : argument;
  });
}

function need(defs: ParameterDef[]): string {
  return defs.map((d) => d.name).join(' ');
}

/**
 * Assigns positional and `Key=Value` arguments to the declared parameters with the original's
 * rules and messages. Unassigned parameters are absent from the result (defaults come later).
 */
export function assignArguments(defs: ParameterDef[], arguments_: ParameterArgument[]): Map<string, string> {
  const given = arguments_.map(argumentText);
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

/** Python's str() of the value at a path of the definition (from its YAML scalar when known). */
export type DefinitionValueText = (
  value: Json,
  path: YamlPath,
  name: string,
) => { text: string; conversion?: ParameterConversion };

const jsonValueText: DefinitionValueText = (value) => ({ text: pythonStr(value) });

/**
 * Completes assigned arguments with defaults (rendered by `renderDefault`, which sees only
 * AccountInfo) and checks `AllowedValues` before anything is sent to AWS. `conversions` lists the
 * defaults used whose text YAML changed.
 */
export function completeArguments(
  defs: ParameterDef[],
  assigned: Map<string, string>,
  renderDefault: (template: string, name: string) => string,
  valueText: DefinitionValueText = jsonValueText,
): { args: Record<string, string>; conversions: ParameterConversion[] } {
  const args: Record<string, string> = {};
  const conversions: ParameterConversion[] = [];
  for (const def of defs) {
    let value = assigned.get(def.name);
    const fallback = def.attributes.Default;
    if (value === undefined && fallback !== undefined && fallback !== null) {
      const { text, conversion } = valueText(fallback, [...def.path, 'Default'], def.name);
      if (conversion) conversions.push(conversion);
      value = renderDefault(text, def.name);
    }
    if (value === undefined) {
      throw new UsageError(`Missing parameter "${def.name}". Need: "${need(defs)}"`, {
        code: 'senza.parameter-missing',
        hint: `Pass it positionally or as ${def.name}=VALUE.`,
      });
    }
    const allowed = def.attributes.AllowedValues;
    if (Array.isArray(allowed)) {
      const texts = allowed.map((a: Json, i) => valueText(a, [...def.path, 'AllowedValues', i], def.name).text);
      if (!texts.includes(value)) {
        throw new UsageError(
          `Parameter "${def.name}" must be one of ${texts.map((t) => `"${t}"`).join(', ')}, not "${value}"`,
          { code: 'senza.parameter-not-allowed', hint: 'See AllowedValues of the parameter in SenzaInfo.Parameters.' },
        );
      }
    }
    args[def.name] = value;
  }
  return { args, conversions };
}
