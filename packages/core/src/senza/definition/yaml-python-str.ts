import { pythonFloatRepr } from '../../io/python-values.js';
import { constructYaml11BigInt, constructYaml11Float, yaml11ImplicitTag } from './pyyaml-dump.js';

/**
 * Python's `str()` of the value PyYAML's `safe_load` builds for one scalar: what the original made of a
 * parameter (`--parameter-file` entries and `Default`s become `str(value)`, and so image tags). The JSON value
 * cannot say it: `2.0` and `2` are one JavaScript number, a big int loses digits, a timestamp stays a string.
 */
export interface YamlScalar {
  /** The scalar's text: as written for a plain scalar, the decoded text of a quoted or block one. */
  source: string;
  /** The explicit tag, resolved (`tag:yaml.org,2002:float`), if any. */
  tag?: string;
  /** Plain (unquoted), so the YAML 1.1 resolvers decide its type. */
  plain: boolean;
}

export type YamlScalarType = 'str' | 'null' | 'bool' | 'int' | 'float' | 'timestamp';

export interface PythonScalarText {
  type: YamlScalarType;
  /** `str(value)` in Python; undefined when PyYAML could not build the value (`2020-02-30`). */
  text: string | undefined;
}

const YAML_TAG = 'tag:yaml.org,2002:';

export function yamlScalarType(scalar: YamlScalar): YamlScalarType {
  if (scalar.tag !== undefined) {
    const name = scalar.tag.startsWith(YAML_TAG) ? scalar.tag.slice(YAML_TAG.length) : 'str';
    return (['null', 'bool', 'int', 'float', 'timestamp'] as string[]).includes(name)
      ? (name as YamlScalarType)
      : 'str';
  }
  if (!scalar.plain) return 'str';
  const implicit = yaml11ImplicitTag(scalar.source);
  return implicit === 'merge' || implicit === 'value' ? 'str' : implicit;
}

export function pythonStrOfYamlScalar(scalar: YamlScalar): PythonScalarText {
  const type = yamlScalarType(scalar);
  const s = scalar.source;
  switch (type) {
    case 'null':
      return { type, text: 'None' };
    case 'bool':
      return { type, text: ['yes', 'true', 'on'].includes(s.toLowerCase()) ? 'True' : 'False' };
    case 'int':
      return { type, text: constructYaml11BigInt(s)?.toString() };
    case 'float':
      return { type, text: pythonFloatRepr(constructYaml11Float(s)) };
    case 'timestamp':
      return { type, text: pythonTimestampStr(s) };
    default:
      return { type, text: s };
  }
}

// PyYAML's construct_yaml_timestamp pattern.
const TIMESTAMP =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;

/** `str()` of the `datetime.date` or `datetime.datetime` PyYAML builds; undefined where Python raises. */
export function pythonTimestampStr(text: string): string | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, fraction, tz, tzSign, tzHour, tzMinute] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > monthDays[month - 1]) return undefined;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (h === undefined) return date;
  const [hour, minute, second] = [Number(h), Number(mi), Number(sec)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let out = `${date} ${pad(hour)}:${pad(minute)}:${pad(second)}`;
  const micro = fraction ? Number(fraction.slice(0, 6).padEnd(6, '0')) : 0;
  if (micro !== 0) out += `.${pad(micro, 6)}`;
  if (tz === undefined) return out;
  let offset = tz === 'Z' ? 0 : Number(tzHour) * 60 + Number(tzMinute ?? 0);
  if (tzSign === '-') offset = -offset;
  // datetime.timezone accepts offsets strictly within a day.
  if (Math.abs(offset) >= 24 * 60) return undefined;
  const abs = Math.abs(offset);
  return `${out}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
