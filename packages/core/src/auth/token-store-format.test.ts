import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readTokenYaml } from './token-store-format.js';

function pyyaml(data: unknown, flow: boolean): string | undefined {
  try {
    return execFileSync(
      'python3',
      [
        '-c',
        `import sys, json, yaml; sys.stdout.write(yaml.safe_dump(json.load(sys.stdin), default_flow_style=${flow ? 'None' : 'False'}))`,
      ],
      { input: JSON.stringify(data), encoding: 'utf8' },
    );
  } catch {
    return undefined; // no PyYAML here: the property test below still runs
  }
}

const text = fc.oneof(
  fc.constantFrom(
    '',
    'Bearer',
    'uid',
    'uid application.write',
    'yes',
    'no',
    'null',
    '0123',
    '1.5',
    'a: b',
    "it's",
    'x #y',
  ),
  fc.stringMatching(/^[A-Za-z0-9_.\-~+/= ]{0,40}$/),
);
const value = fc.oneof(
  text,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(null),
  fc.boolean(),
);
const store = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/),
  fc.dictionary(fc.stringMatching(/^[a-z][a-z_]{0,12}$/), value, { minKeys: 1, maxKeys: 7 }),
  { maxKeys: 5 },
);

describe('the small tokens.yaml reader', () => {
  it('reads what PyYAML writes (block and flow styles) exactly as a YAML parser does', () => {
    const data = {
      pierone: {
        access_token: 'eyJhbGciOi.eyJzdWIi.sig-_x',
        creation_time: 1581950000.123,
        expires_in: 3600,
        name: 'pierone',
        refresh_token: null,
        scope: '',
        token_type: 'Bearer',
      },
      piu: { access_token: 'yes', scope: 'uid application.write', name: '0123', expires_in: 7200 },
    };
    for (const flow of [false, true]) {
      const written = pyyaml(data, flow);
      if (written === undefined) continue;
      expect(readTokenYaml(written)).toEqual(data);
    }
    expect(readTokenYaml("a: {access_token: x.y, expires_in: 60, scope: ''}\n")).toEqual({
      a: { access_token: 'x.y', expires_in: 60, scope: '' },
    });
  });

  it('never disagrees with the YAML parser: it reads the same, or declines', () => {
    fc.assert(
      fc.property(store, fc.boolean(), (data, flow) => {
        const written = stringify(data, flow ? { collectionStyle: 'flow' } : { sortMapEntries: true });
        const read = readTokenYaml(written);
        if (read !== undefined) expect(read).toEqual(parse(written));
      }),
      { numRuns: 300 },
    );
  });

  it('declines what it does not know', () => {
    for (const odd of [
      'a: [1, 2]\n',
      'a:\n  b:\n    c: 1\n',
      'a: b\n',
      '- a\n',
      'a:\n  t: !!binary x\n',
      'a:\n  t: "x\\ty"\n',
    ])
      expect(readTokenYaml(odd)).toBeUndefined();
  });
});
