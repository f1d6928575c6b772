import { describe, expect, it } from 'vitest';
import { compareCodePoints, pythonFloatRepr } from '../../io/python-values.js';
import type { Json } from '../template/template-types.js';
import { dumpPyYaml, isPlainScalar, resolveYaml11Scalar, yaml11ImplicitTag } from './pyyaml-dump.js';

// Every expected string below was produced by PyYAML 6.0.3:
// yaml.dump(value, default_flow_style=False, width=sys.maxsize[, indent=..., width=...]).

describe('dumpPyYaml: goldens from the reference', () => {
  it('dumps a small Taupage config with sorted keys', () => {
    expect(dumpPyYaml({ runtime: 'Docker', environment: { ENV3: 'r3' } })).toBe(
      'environment:\n  ENV3: r3\nruntime: Docker\n',
    );
  });

  it('writes empty maps as {} and sequences flush with their key', () => {
    expect(dumpPyYaml({ resources: ['A', 'B'], ports: {} })).toBe('ports: {}\nresources:\n- A\n- B\n');
  });

  it('dumps the full CLI Taupage config (numeric-looking version quoted, int port key plain)', () => {
    const config: Json = {
      application_id: 'test',
      application_version: '123',
      environment: { ENV1: 'v1', ENV2: 'v2' },
      mint_bucket: 'zalando-mint-bucket',
      notify_cfn: { resource: 'AppServer', stack: 'test-123' },
      ports: { '80': 80 },
      runtime: 'Docker',
      source: 'foo/bar',
    };
    expect(dumpPyYaml(config)).toBe(
      "application_id: test\napplication_version: '123'\nenvironment:\n  ENV1: v1\n  ENV2: v2\nmint_bucket: zalando-mint-bucket\nnotify_cfn:\n  resource: AppServer\n  stack: test-123\nports:\n  80: 80\nruntime: Docker\nsource: foo/bar\n",
    );
  });

  it('keeps URL-ish and path-ish strings plain', () => {
    expect(dumpPyYaml({ source: 'stups/hello-world:1.0', health_check_path: '/' })).toBe(
      'health_check_path: /\nsource: stups/hello-world:1.0\n',
    );
  });

  it('single-quotes intrinsic placeholders', () => {
    expect(dumpPyYaml({ resources: ['A', '{{ {"Ref": "Res1"} }}'], ports: {} })).toBe(
      'ports: {}\nresources:\n- A\n- \'{{ {"Ref": "Res1"} }}\'\n',
    );
  });

  it('ignores indent for a flat map', () => {
    expect(dumpPyYaml({ foo: 'bar' }, { indent: 4 })).toBe('foo: bar\n');
  });

  it('dumps the webapp user data of appendix A', () => {
    const config: Json = {
      runtime: 'Docker',
      source: 'stups/hello-world:1.0',
      health_check_path: '/',
      ports: { '8080': 8080 },
      environment: { STAGE: 'test', REGION: 'eu-central-1' },
      notify_cfn: { stack: 'hello-world-7', resource: 'AppServer' },
      application_id: 'hello-world',
      application_version: '7',
    };
    expect(dumpPyYaml(config)).toBe(
      "application_id: hello-world\napplication_version: '7'\nenvironment:\n  REGION: eu-central-1\n  STAGE: test\nhealth_check_path: /\nnotify_cfn:\n  resource: AppServer\n  stack: hello-world-7\nports:\n  8080: 8080\nruntime: Docker\nsource: stups/hello-world:1.0\n",
    );
  });
});

describe('dumpPyYaml: structure and indentation', () => {
  it('nests maps and sequences like PyYAML', () => {
    expect(dumpPyYaml({ k: ['a', { b: 1, c: [1, 2] }, [3, [4]]] })).toBe(
      'k:\n- a\n- b: 1\n  c:\n  - 1\n  - 2\n- - 3\n  - - 4\n',
    );
  });

  it('pads sequence item content to the indent width with indent=4', () => {
    expect(dumpPyYaml({ k: [{ a: 1, b: 2 }, [1, [2]]], m: { n: { o: 1 } } }, { indent: 4 })).toBe(
      'k:\n-   a: 1\n    b: 2\n-   - 1\n    -   - 2\nm:\n    n:\n        o: 1\n',
    );
  });

  it('supports odd indents and falls back to 2 outside 2..9', () => {
    expect(dumpPyYaml({ k: [{ a: 1 }], m: { n: 'x' } }, { indent: 3 })).toBe('k:\n-  a: 1\nm:\n   n: x\n');
    expect(dumpPyYaml({ m: { n: 'x' } }, { indent: 1 })).toBe('m:\n  n: x\n');
    expect(dumpPyYaml({ m: { n: 'x' } }, { indent: 10 })).toBe('m:\n  n: x\n');
  });

  it('dumps a root sequence with empty collections in flow style', () => {
    expect(dumpPyYaml(['a', { b: 'c' }, [], {}])).toBe('- a\n- b: c\n- []\n- {}\n');
  });

  it('dumps root scalars like PyYAML, including the document end marker after plain ones', () => {
    expect(dumpPyYaml({})).toBe('{}\n');
    expect(dumpPyYaml([])).toBe('[]\n');
    expect(dumpPyYaml('abc')).toBe('abc\n...\n');
    expect(dumpPyYaml(null)).toBe('null\n...\n');
    expect(dumpPyYaml('')).toBe("''\n");
    expect(dumpPyYaml('123')).toBe("'123'\n");
  });

  it('writes scalars of every JSON type', () => {
    expect(dumpPyYaml({ a: null, b: true, c: false, d: 0, e: -17, f: 1.5, g: '' })).toBe(
      "a: null\nb: true\nc: false\nd: 0\ne: -17\nf: 1.5\ng: ''\n",
    );
  });

  it('writes floats like Python repr with PyYAML .0 before the exponent', () => {
    const floats = { a: 0.5, b: 1e20, c: 1.5e-7, e: 123.456, f: -1.25, g: 0.0001, h: 1e-5, k: 1.5e300 };
    expect(dumpPyYaml(floats)).toBe(
      'a: 0.5\nb: 1.0e+20\nc: 1.5e-07\ne: 123.456\nf: -1.25\ng: 0.0001\nh: 1.0e-05\nk: 1.5e+300\n',
    );
    // Without a float/int distinction in JavaScript, integral values up to 2^53 are ints.
    expect(dumpPyYaml({ one: 1.0, big: 2 ** 53 - 1, bigger: 2 ** 53, negZero: -0 })).toBe(
      'big: 9007199254740991\nbigger: 9007199254740992.0\nnegZero: 0\none: 1\n',
    );
    expect(dumpPyYaml({ i: Number.POSITIVE_INFINITY, j: Number.NEGATIVE_INFINITY, n: Number.NaN })).toBe(
      'i: .inf\nj: -.inf\nn: .nan\n',
    );
  });
});

describe('dumpPyYaml: keys', () => {
  it('sorts string keys by code point, like Python', () => {
    expect(dumpPyYaml({ b: 1, B: 2, a: 3, _: 4, é: 5 })).toBe('B: 2\n_: 4\na: 3\nb: 1\n"\\xE9": 5\n');
    expect(dumpPyYaml({ '\uffff': 1, '😀': 2 })).toBe('"\\uFFFF": 1\n"\\U0001F600": 2\n');
  });

  it('sorts int-like keys numerically and writes them plain', () => {
    expect(dumpPyYaml({ '8080': 8080, '80': 80, '-1': 0, '443': 443 })).toBe('-1: 0\n80: 80\n443: 443\n8080: 8080\n');
  });

  it('keeps the object order when int-like and string keys are mixed (Python cannot sort them)', () => {
    expect(dumpPyYaml({ b: 1, '3': 2, a: 3 })).toBe('3: 2\nb: 1\na: 3\n');
  });

  it('keeps the object order with sortKeys false', () => {
    expect(dumpPyYaml({ b: 1, a: { d: 1, c: 2 } }, { sortKeys: false })).toBe('b: 1\na:\n  d: 1\n  c: 2\n');
  });

  it('quotes keys that would resolve to another type, and treats only canonical ints as int keys', () => {
    expect(dumpPyYaml({ yes: 1, '1.5': 2, '0123': 3, '-0': 4, '': 5 })).toBe(
      "? ''\n: 5\n'-0': 4\n'0123': 3\n'1.5': 2\n'yes': 1\n",
    );
  });

  it('uses explicit ? keys for empty, multi-line and long keys (limit counts the !!str tag)', () => {
    const value: Json = { '': 1, ['a'.repeat(122)]: 2, ['b'.repeat(123)]: 3, 'a\nb': 4, 'x y': 7, 'x: y': 8 };
    expect(dumpPyYaml(value)).toBe(
      `? ''\n: 1\n? 'a\n\n  b'\n: 4\n${'a'.repeat(122)}: 2\n? ${'b'.repeat(123)}\n: 3\nx y: 7\n'x: y': 8\n`,
    );
  });

  it('writes a key named __proto__ like any other', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as Json;
    expect(dumpPyYaml(value)).toBe('__proto__:\n  x: 1\na: 2\n');
  });
});

describe('dumpPyYaml: string styles', () => {
  it('single-quotes strings that would resolve to another type', () => {
    const strings = [
      '123',
      '1.0',
      'true',
      'yes',
      'No',
      'null',
      '~',
      '',
      '2020-01-01',
      '1:20',
      '0x1F',
      '.inf',
      '<<',
      '=',
    ];
    for (const s of strings) {
      expect(dumpPyYaml({ k: s }), s).toBe(`k: '${s}'\n`);
    }
  });

  it('single-quotes strings with indicators and doubles embedded quotes', () => {
    expect(dumpPyYaml({ a: "it's", b: "'q", c: '- a', d: 'a: b', e: 'a #b', f: ' a', g: 'a ', h: '-' })).toBe(
      "a: it's\nb: '''q'\nc: '- a'\nd: 'a: b'\ne: 'a #b'\nf: ' a'\ng: 'a '\nh: '-'\n",
    );
  });

  it('writes multi-line strings single-quoted with doubled line breaks, or double-quoted', () => {
    const value: Json = { k: 'a\nb', l: 'a\n', m: ' a\nb', n: 'a \nb', o: 'a\n b', p: 'line1\n\nline3' };
    expect(dumpPyYaml(value)).toBe(
      "k: 'a\n\n  b'\nl: 'a\n\n  '\nm: ' a\n\n  b'\nn: \"a \\nb\"\no: \"a\\n b\"\np: 'line1\n\n\n  line3'\n",
    );
  });

  it('indents continuation lines of multi-line strings to the nesting level', () => {
    expect(dumpPyYaml(['a\nb', { x: ['c\nd'] }])).toBe("- 'a\n\n  b'\n- x:\n  - 'c\n\n    d'\n");
  });

  it('escapes non-ASCII and control characters in double quotes (allow_unicode=False)', () => {
    const value: Json = {
      a: 'é',
      b: '€',
      c: '😀',
      d: 'x\ty',
      e: '\0',
      f: 'a\u2028b',
      g: '\xa0',
      h: 'say "hi"\n\x7f',
      i: '\ufeffx',
      j: '\x85',
      k: 'back\\slash\r',
    };
    expect(dumpPyYaml(value)).toBe(
      'a: "\\xE9"\nb: "\\u20AC"\nc: "\\U0001F600"\nd: "x\\ty"\ne: "\\0"\nf: "a\\Lb"\ng: "\\_"\nh: "say \\"hi\\"\\n\\x7F"\ni: "\\uFEFFx"\nj: "\\N"\nk: "back\\\\slash\\r"\n',
    );
  });

  it('never folds long lines by default (senza dumps user data with width=sys.maxsize)', () => {
    const long = Array(40).fill('word').join(' ');
    expect(dumpPyYaml({ k: long })).toBe(`k: ${long}\n`);
  });

  it('folds at PyYAML width 80 when asked', () => {
    const value: Json = {
      k: Array(30).fill('word').join(' '),
      q: "it's ".repeat(20),
      d: `tab\t${'x '.repeat(50)}`,
    };
    expect(dumpPyYaml(value, { width: 80 })).toBe(
      "d: \"tab\\tx x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x\\\n  \\ x x x x x x x x x x x x x \"\nk: word word word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word\nq: 'it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s it''s\n  it''s it''s it''s it''s it''s it''s it''s '\n",
    );
  });

  it('rejects values that are not JSON', () => {
    expect(() => dumpPyYaml({ f: (() => 1) as unknown as Json })).toThrow(TypeError);
  });
});

describe('isPlainScalar', () => {
  const plain = [
    'abc',
    'foo/bar',
    'stups/hello-world:1.0',
    '/',
    'a#b',
    'a:b',
    '-a',
    '1.5e3',
    '08',
    '0o7',
    'y',
    'n',
    'x y',
    'http://x.y/z?q=1#f',
    '8{{Arguments.X}}',
    'a-{{SenzaInfo.StackName}}',
    '?x',
    ':x',
  ];
  const quoted = [
    '{{Arguments.X}}',
    '123',
    '1.0',
    'true',
    'yes',
    'No',
    'null',
    '~',
    '',
    '2020-01-01',
    '1:20',
    '0x1F',
    '0b101',
    '1_000',
    '.inf',
    '-.Inf',
    '.NaN',
    '<<',
    '=',
    '---',
    '...',
    '- a',
    '? a',
    ': a',
    'a: b',
    'a #b',
    ' a',
    'a ',
    'a\nb',
    'é',
    'x\ty',
    "'q",
    '"q',
    '{x',
    '[x',
    '&x',
    '*x',
    '!x',
    '|x',
    '>x',
    '%x',
    '@x',
    '`x',
    '#x',
    ',x',
    '-',
    '?',
    ':',
  ];
  it.each(plain)('%j is written plain', (s) => expect(isPlainScalar(s)).toBe(true));
  it.each(quoted)('%j is written quoted', (s) => expect(isPlainScalar(s)).toBe(false));
});

describe('resolveYaml11Scalar (PyYAML SafeLoader on a plain scalar)', () => {
  const cases: [string, Json][] = [
    ['123', 123],
    ['-17', -17],
    ['+12', 12],
    ['0123', 83],
    ['0x1F', 31],
    ['0b101', 5],
    ['1_000', 1000],
    ['1:20', 80],
    ['190:20:30', 685230],
    ['-0', 0],
    ['0', 0],
    ['1.0', 1],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1.', 1],
    ['1.5e+3', 1500],
    ['1_0.5', 10.5],
    ['1:20.5', 80.5],
    ['09.5', 9.5],
    ['.inf', Number.POSITIVE_INFINITY],
    ['-.Inf', Number.NEGATIVE_INFINITY],
    ['+.INF', Number.POSITIVE_INFINITY],
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['yes', true],
    ['Yes', true],
    ['YES', true],
    ['on', true],
    ['ON', true],
    ['no', false],
    ['NO', false],
    ['off', false],
    ['Off', false],
    ['false', false],
    ['null', null],
    ['Null', null],
    ['NULL', null],
    ['~', null],
    ['', null],
    // Strings in PyYAML too:
    ['1e3', '1e3'],
    ['tRue', 'tRue'],
    ['y', 'y'],
    ['n', 'n'],
    ['nULL', 'nULL'],
    ['08', '08'],
    ['0o7', '0o7'],
    ['abc', 'abc'],
    ['1:60', '1:60'],
    // Deviations: PyYAML makes a date, a merge key, a value key.
    ['2020-01-01', '2020-01-01'],
    ['<<', '<<'],
    ['=', '='],
  ];
  it.each(cases)('%j → %j', (s, expected) => expect(resolveYaml11Scalar(s)).toEqual(expected));

  it('resolves .nan to NaN', () => {
    expect(resolveYaml11Scalar('.NaN')).toBeNaN();
  });

  it('leaves ints that Python cannot convert as strings', () => {
    expect(resolveYaml11Scalar('0b_')).toBe('0b_');
    expect(resolveYaml11Scalar('0x_')).toBe('0x_');
  });

  it('names the implicit tag', () => {
    expect(yaml11ImplicitTag('2001-12-14t21:59:43.10-05:00')).toBe('timestamp');
    expect(yaml11ImplicitTag('2001-12-14 21:59:43.10 -5')).toBe('timestamp');
    expect(yaml11ImplicitTag('2001-12-14')).toBe('timestamp');
    expect(yaml11ImplicitTag('2001-1-14')).toBe('str');
    expect(yaml11ImplicitTag('<<')).toBe('merge');
    expect(yaml11ImplicitTag('=')).toBe('value');
    expect(yaml11ImplicitTag('abc')).toBe('str');
  });
});

describe('pythonFloatRepr', () => {
  const cases: [number, string][] = [
    [1, '1.0'],
    [0.5, '0.5'],
    [-1.25, '-1.25'],
    [0, '0.0'],
    [-0, '-0.0'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1e100, '1e+100'],
    [0.1 + 0.2, '0.30000000000000004'],
    [123.456, '123.456'],
    [Number.NaN, 'nan'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
  ];
  it.each(cases)('%d → %s', (x, expected) => expect(pythonFloatRepr(x)).toBe(expected));
});

describe('compareCodePoints', () => {
  it('orders astral characters after BMP characters above the surrogates', () => {
    expect(['😀', '\uffff', 'a'].sort(compareCodePoints)).toEqual(['a', '\uffff', '😀']);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'a')).toBe(0);
  });
});
