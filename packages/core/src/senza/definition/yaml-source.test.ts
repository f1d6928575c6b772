import { describe, expect, it } from 'vitest';
import { DefinitionError, EXIT } from '../../errors.js';
import type { Json, JsonObject } from '../template/template-types.js';
import { parseYamlSource } from './yaml-source.js';

// Expected values were checked against PyYAML 6.0.3 yaml.safe_load (then json.dumps for the key strings).

const value = (text: string): Json => parseYamlSource(text).value;

function definitionError(text: string, file = 'app.yaml'): DefinitionError {
  try {
    parseYamlSource(text, file);
  } catch (e) {
    if (e instanceof DefinitionError) return e;
    throw e;
  }
  throw new Error('expected a DefinitionError');
}

describe('parseYamlSource: YAML 1.1 scalars like PyYAML', () => {
  it('reads the YAML 1.1 booleans PyYAML knows, and only those', () => {
    expect(value('a: yes\nb: No\nc: ON\nd: off\ne: y\nf: n\ng: TRUE\nh: True\ni: tRue\nj: false\n')).toEqual({
      a: true,
      b: false,
      c: true,
      d: false,
      e: 'y',
      f: 'n',
      g: true,
      h: true,
      i: 'tRue',
      j: false,
    });
  });

  it('reads octal, hex, binary, underscores and sexagesimal ints', () => {
    expect(
      value('a: 0123\nb: 0x1F\nc: 1_000\nd: 1:20\ne: 190:20:30\nf: -0b101\ng: +12\nh: 08\ni: 0o7\nj: 1:60\n'),
    ).toEqual({
      a: 83,
      b: 31,
      c: 1000,
      d: 80,
      e: 685230,
      f: -5,
      g: 12,
      h: '08',
      i: '0o7',
      j: '1:60',
    });
  });

  it('reads floats only in the YAML 1.1 forms', () => {
    const v = value(
      'c: 1.5\nd: 1.\ne: .5\nf: 1e3\ng: 1.5e+3\nh: 1:20.5\ni: 1_000.5\nj: 09.5\nk: .inf\nl: -.Inf\nm: .NaN\n',
    );
    expect(v).toEqual({
      c: 1.5,
      d: 1,
      e: 0.5,
      f: '1e3',
      g: 1500,
      h: 80.5,
      i: 1000.5,
      j: 9.5,
      k: Number.POSITIVE_INFINITY,
      l: Number.NEGATIVE_INFINITY,
      m: Number.NaN,
    });
  });

  it('reads the null forms', () => {
    expect(value('a: ~\nb: null\nc: Null\nd:\ne: NULL\nf: nULL\n')).toEqual({
      a: null,
      b: null,
      c: null,
      d: null,
      e: null,
      f: 'nULL',
    });
  });

  it('keeps quoted scalars and block scalars as strings', () => {
    expect(
      value("a: 'yes'\nb: \"123\"\nc: \"x\\ty\\u00e9\"\nd: 'it''s'\ne: |\n  l1\n  l2\nf: >\n  folded\n  text\n"),
    ).toEqual({
      a: 'yes',
      b: '123',
      c: 'x\tyé',
      d: "it's",
      e: 'l1\nl2\n',
      f: 'folded text\n',
    });
    expect(value('c: plain\n  continued\n')).toEqual({ c: 'plain continued' });
  });

  it('keeps timestamps as their text (PyYAML would make dates)', () => {
    expect(value('a: 2020-01-01\nb: 2001-12-14 21:59:43.10 -5\nc: 2020-01-01x\n')).toEqual({
      a: '2020-01-01',
      b: '2001-12-14 21:59:43.10 -5',
      c: '2020-01-01x',
    });
  });

  it('honours explicit standard tags', () => {
    expect(
      value("c: !!str 123\nd: !!int '12'\ne: !!float '1'\nf: !!bool 'yes'\ng: !!null ''\nh: !!str\ni: ! 12\n"),
    ).toEqual({
      c: '123',
      d: 12,
      e: 1,
      f: true,
      g: null,
      h: '',
      i: '12',
    });
    expect(value('a: !!binary aGVsbG8=\n')).toEqual({ a: 'aGVsbG8=' });
    expect(value('a: !!set {x, y}\nb: !!omap [{k: 1}]\n')).toEqual({ a: { x: null, y: null }, b: [{ k: 1 }] });
  });

  it('reads JSON', () => {
    expect(value('{"a": [1, 2.5, {"b": null}], "c": "d", "e": true}')).toEqual({
      a: [1, 2.5, { b: null }],
      c: 'd',
      e: true,
    });
  });

  it('returns null for an empty document', () => {
    expect(value('')).toBeNull();
    expect(value('# only a comment\n')).toBeNull();
    expect(value('---\n...\n')).toBeNull();
  });
});

describe('parseYamlSource: mappings', () => {
  it('turns keys into strings the way json.dumps writes Python keys', () => {
    expect(value('8080: 8080\n0x10: w\n1.5: x\n1.0: f\ntrue: y\n~: z\n')).toEqual({
      '8080': 8080,
      '16': 'w',
      '1.5': 'x',
      '1.0': 'f',
      true: 'y',
      null: 'z',
    });
    expect(value('ports: {8080: 8080, 80: 80}\n')).toEqual({ ports: { '80': 80, '8080': 8080 } });
  });

  it('lets the last duplicate key win', () => {
    expect(value('a: 1\na: 2\nb: {x: 1, x: 2}\n')).toEqual({ a: 2, b: { x: 2 } });
  });

  it('merges << keys: own keys win, earlier sources win over later ones', () => {
    expect(value('base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n')).toEqual({ base: { x: 1, y: 2 }, d: { x: 1, y: 3 } });
    expect(value('a: &a {x: 1, z: 0}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n  w: 9\n')).toEqual({
      a: { x: 1, z: 0 },
      b: { x: 2, y: 2 },
      c: { x: 1, y: 2, z: 0, w: 9 },
    });
    expect(value('c:\n  w: 9\n  <<: {w: 1, q: 2}\n')).toEqual({ c: { w: 9, q: 2 } });
    expect(Object.keys(value('c:\n  w: 9\n  <<: {w: 1, q: 2}\n') as JsonObject)).toEqual(['c']);
    expect(Object.keys((value('c:\n  w: 9\n  <<: {w: 1, q: 2}\n') as { c: JsonObject }).c)).toEqual(['w', 'q']);
  });

  it('treats a quoted << as an ordinary key', () => {
    expect(value("'<<': 1\n")).toEqual({ '<<': 1 });
  });

  it('keeps a __proto__ key as data', () => {
    const v = value('__proto__: {polluted: true}\n') as JsonObject;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseYamlSource: anchors and aliases', () => {
  it('expands aliases into independent copies', () => {
    const v = value('list:\n- &x {a: [1, 2]}\n- *x\n') as { list: { a: number[] }[] };
    expect(v).toEqual({ list: [{ a: [1, 2] }, { a: [1, 2] }] });
    v.list[0].a.push(3);
    expect(v.list[1].a).toEqual([1, 2]);
  });

  it('uses the most recent definition of a re-defined anchor', () => {
    expect(value('a: &x 1\nb: *x\nc: &x 2\nd: *x\n')).toEqual({ a: 1, b: 1, c: 2, d: 2 });
  });

  it('supports anchors on keys', () => {
    expect(value('&k key: 1\nother: *k\n')).toEqual({ key: 1, other: 'key' });
  });
});

describe('parseYamlSource: errors', () => {
  it('reports syntax errors with the yaml library message and position', () => {
    const e = definitionError('SenzaInfo:\n  StackName: a: b\n');
    expect(e).toBeInstanceOf(DefinitionError);
    expect(e.code).toBe('definition.yaml-syntax');
    expect(e.exitCode).toBe(EXIT.USAGE);
    expect(e.reason).toBe('not valid YAML: Nested mappings are not allowed in compact mappings');
    expect(e.location).toMatchObject({ file: 'app.yaml', line: 2, column: 14 });
    expect(e.message).toBe('app.yaml:2:14: not valid YAML: Nested mappings are not allowed in compact mappings');
  });

  it('reports other typical mistakes', () => {
    expect(definitionError('a:\n  - b\n c: d\n').reason).toMatch(/^not valid YAML: /);
    expect(definitionError('a: [1\n').location.line).toBe(2);
    expect(definitionError('\ta: 1\n').reason).toBe('not valid YAML: Tabs are not allowed as indentation');
    expect(definitionError('a: "unterminated\n').reason).toMatch(/^not valid YAML: .*quote/);
  });

  it('refuses several documents, naming the line of the second', () => {
    const e = definitionError('a: 1\n---\nb: 2\n');
    expect(e.reason).toBe('not valid YAML: expected a single document, but found another document at line 2');
    expect(e.location).toMatchObject({ line: 2, column: 1 });
  });

  it('refuses unknown tags, hinting at the long form of CloudFormation functions', () => {
    const e = definitionError('Resources:\n  X: !Ref Y\n');
    expect(e.reason).toBe("not valid YAML: could not determine a constructor for the tag '!Ref'");
    expect(e.location).toMatchObject({ line: 2, path: ['Resources', 'X'] });
    expect(e.hint).toMatch(/\{"Ref": "X"\}/);
    expect(definitionError('a: !GetAtt {x: 1}\n').reason).toContain("'!GetAtt'");
    expect(definitionError('a: !!python/tuple [1]\n').reason).toContain("'!!python/tuple'");
  });

  it('refuses undefined and recursive aliases', () => {
    const undefinedAlias = definitionError('a: *nope\n');
    expect(undefinedAlias.reason).toBe("not valid YAML: found undefined alias 'nope'");
    expect(undefinedAlias.location).toMatchObject({ line: 1, column: 4, path: ['a'] });
    expect(definitionError('a: &x [*x]\n').reason).toBe("not valid YAML: found recursive alias 'x'");
  });

  it('refuses alias bombs', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 7; i++)
      levels.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    expect(definitionError(`${levels.join('\n')}\n`).reason).toBe('not valid YAML: too many alias expansions');
  });

  it('refuses collections as keys and bad merge values', () => {
    expect(definitionError('? [1, 2]\n: x\n').reason).toBe(
      'not valid YAML: found unhashable key (a mapping or list cannot be a key)',
    );
    expect(definitionError('<<: 1\n').reason).toBe(
      'not valid YAML: expected a mapping or list of mappings for merging',
    );
    expect(definitionError('<<: [{a: 1}, 2]\n').reason).toBe(
      'not valid YAML: expected a mapping or list of mappings for merging',
    );
  });

  it('refuses invalid explicitly tagged scalars', () => {
    expect(definitionError('a: !!int abc\n').reason).toMatch(/^not valid YAML: /);
    expect(definitionError('a: !!bool maybe\n').reason).toMatch(/^not valid YAML: /);
  });

  it('works without a file name', () => {
    expect(() => parseYamlSource('a: b: c\n')).toThrow('<definition>:1:4: not valid YAML');
  });
});

describe('parseYamlSource: locate', () => {
  const text = [
    'SenzaInfo:', // 1
    '  StackName: hello', // 2
    '  Parameters:', // 3
    '    - ImageVersion:', // 4
    '        Description: x', // 5
    'SenzaComponents:', // 6
    '  - AppServer:', // 7
    '      Type: Senza::TaupageAutoScalingGroup', // 8
    '      InstanceType:', // 9
    '      TaupageConfig: &tc', // 10
    '        runtime: Docker', // 11
    '        ports: {8080: 8080}', // 12
    '  - Other:', // 13
    '      <<: {Type: X, Y: 1}', // 14
    '      TaupageConfig: *tc', // 15
    '',
  ].join('\n');
  const source = parseYamlSource(text, 'app.yaml');

  it('points at scalar values', () => {
    expect(source.locate(['SenzaInfo', 'StackName'])).toEqual({ line: 2, column: 14 });
    expect(source.locate(['SenzaInfo', 'Parameters', 0, 'ImageVersion', 'Description'])).toEqual({
      line: 5,
      column: 22,
    });
    expect(source.locate(['SenzaComponents', 0, 'AppServer', 'TaupageConfig', 'ports'])).toEqual({
      line: 12,
      column: 16,
    });
    expect(source.locate(['SenzaComponents', 0, 'AppServer', 'TaupageConfig', 'ports', '8080'])).toEqual({
      line: 12,
      column: 23,
    });
  });

  it('points at the first entry of block collections and at the key of empty values', () => {
    expect(source.locate(['SenzaInfo'])).toEqual({ line: 2, column: 3 });
    expect(source.locate(['SenzaComponents', 0, 'AppServer'])).toEqual({ line: 8, column: 7 });
    expect(source.locate(['SenzaComponents', 0, 'AppServer', 'InstanceType'])).toEqual({ line: 9, column: 7 });
  });

  it('points at sequence items', () => {
    expect(source.locate(['SenzaComponents', 1])).toEqual({ line: 13, column: 5 });
    expect(source.locate(['SenzaComponents', '1'])).toEqual({ line: 13, column: 5 });
  });

  it('falls back to the deepest existing ancestor', () => {
    expect(source.locate(['SenzaComponents', 0, 'AppServer', 'Nope', 'x'])).toEqual({ line: 8, column: 7 });
    expect(source.locate(['Nope'])).toEqual({ line: 1, column: 1 });
    expect(source.locate([])).toEqual({ line: 1, column: 1 });
  });

  it('follows merges and aliases to where the value is written', () => {
    expect(source.locate(['SenzaComponents', 1, 'Other', 'Type'])).toEqual({ line: 14, column: 18 });
    expect(source.locate(['SenzaComponents', 1, 'Other', 'TaupageConfig'])).toEqual({ line: 15, column: 22 });
    expect(source.locate(['SenzaComponents', 1, 'Other', 'TaupageConfig', 'runtime'])).toEqual({
      line: 11,
      column: 18,
    });
  });

  it('builds the value alongside', () => {
    expect((source.value as { SenzaComponents: JsonObject[] }).SenzaComponents[1]).toEqual({
      Other: { Type: 'X', Y: 1, TaupageConfig: { runtime: 'Docker', ports: { '8080': 8080 } } },
    });
  });

  it('locates in an empty document', () => {
    expect(parseYamlSource('').locate(['a'])).toEqual({ line: 1, column: 1 });
  });
});
