import { describe, expect, it } from 'vitest';
import { pythonStrOfYamlScalar, pythonTimestampStr } from './yaml-python-str.js';
import { parseYamlSource } from './yaml-source.js';

// Python's str() of what PyYAML 6 safe_load builds (the reference: parameter values are `str(value)`,
// `Default: 2` becomes "2", a boolean "True"); where the reference is silent, Python's str() semantics.
const str = (yaml: string) => {
  const source = parseYamlSource(`v: ${yaml}\n`);
  const scalar = source.scalar(['v']);
  if (!scalar) throw new Error('no scalar');
  return pythonStrOfYamlScalar(scalar);
};
const text = (yaml: string) => str(yaml).text;

describe("Python's str() of YAML 1.1 scalars", () => {
  it('floats keep their Python repr: 2.0, 1.1, exponents, inf, nan, -0.0', () => {
    expect(text('2.0')).toBe('2.0');
    expect(text('1.10')).toBe('1.1');
    expect(text('1.')).toBe('1.0');
    expect(text('.5')).toBe('0.5');
    expect(text('1_000.5')).toBe('1000.5');
    expect(text('1.0e+3')).toBe('1000.0');
    expect(text('1.5e-7')).toBe('1.5e-07');
    expect(text('1.0e+20')).toBe('1e+20');
    expect(text('-0.0')).toBe('-0.0');
    expect(text('.inf')).toBe('inf');
    expect(text('-.Inf')).toBe('-inf');
    expect(text('.NaN')).toBe('nan');
    expect(text('1:30.5')).toBe('90.5');
    expect(str('2.0').type).toBe('float');
  });

  it('1e3 is a string in YAML 1.1 (no dot), so it stays 1e3', () => {
    expect(str('1e3')).toEqual({ type: 'str', text: '1e3' });
  });

  it('ints as PyYAML 1.1 reads them: octal 0, 0x, 0b, underscores, sexagesimal; 0o is text', () => {
    expect(text('42')).toBe('42');
    expect(text('+42')).toBe('42');
    expect(text('-0')).toBe('0');
    expect(text('0123')).toBe('83');
    expect(text('0x1F')).toBe('31');
    expect(text('-0b101')).toBe('-5');
    expect(text('1_000')).toBe('1000');
    expect(text('1:20')).toBe('80');
    expect(text('190:20:30')).toBe('685230');
    expect(text('123456789012345678901234567890')).toBe('123456789012345678901234567890');
    expect(str('0o17')).toEqual({ type: 'str', text: '0o17' });
  });

  it('booleans: yes/no/on/off/true/false in three casings become True/False', () => {
    for (const t of ['yes', 'Yes', 'YES', 'on', 'ON', 'true', 'True']) expect(text(t)).toBe('True');
    for (const f of ['no', 'No', 'off', 'Off', 'false', 'FALSE']) expect(text(f)).toBe('False');
    expect(str('y')).toEqual({ type: 'str', text: 'y' });
  });

  it('null, ~ and Null become None', () => {
    for (const n of ['null', 'Null', 'NULL', '~']) expect(str(n)).toEqual({ type: 'null', text: 'None' });
  });

  it('dates and datetimes as str(date) and str(datetime)', () => {
    expect(str('2020-01-31')).toEqual({ type: 'timestamp', text: '2020-01-31' });
    expect(text('2001-12-14t21:59:43.10-05:00')).toBe('2001-12-14 21:59:43.100000-05:00');
    expect(text('2001-12-14 21:59:43.10 -5')).toBe('2001-12-14 21:59:43.100000-05:00');
    expect(text('2001-12-15T02:59:43.1Z')).toBe('2001-12-15 02:59:43.100000+00:00');
    expect(text('2001-12-14 21:59:43')).toBe('2001-12-14 21:59:43');
    expect(text('2002-12-14 1:02:03.000')).toBe('2002-12-14 01:02:03');
    expect(text('2002-1-4 1:02:03+05:30')).toBe('2002-01-04 01:02:03+05:30');
    expect(text('2002-12-14 01:02:03.1234567')).toBe('2002-12-14 01:02:03.123456');
  });

  it('dates Python cannot build are undefined (PyYAML raises)', () => {
    expect(text('2020-02-30')).toBeUndefined();
    expect(pythonTimestampStr('2021-02-29')).toBeUndefined();
    expect(pythonTimestampStr('2024-02-29')).toBe('2024-02-29');
    expect(pythonTimestampStr('2020-01-01 24:00:00')).toBeUndefined();
    expect(pythonTimestampStr('2020-01-01 10:00:00+24:00')).toBeUndefined();
  });

  it('quoted and block scalars are text, as written; explicit tags decide the type', () => {
    expect(str('"1.10"')).toEqual({ type: 'str', text: '1.10' });
    expect(str("'yes'")).toEqual({ type: 'str', text: 'yes' });
    expect(str('!!str 2.0')).toEqual({ type: 'str', text: '2.0' });
    expect(str('!!float 2')).toEqual({ type: 'float', text: '2.0' });
    expect(str('!!bool yes')).toEqual({ type: 'bool', text: 'True' });
  });

  it('an alias carries the anchored scalar', () => {
    const source = parseYamlSource('a: &x 2.0\nb: *x\n');
    expect(source.scalar(['b'])).toMatchObject({ source: '2.0', plain: true });
    expect(source.scalar(['c'])).toBeUndefined();
  });
});
