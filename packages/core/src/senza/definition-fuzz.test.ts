import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DefinitionError, isStupsError } from '../errors.js';
import { readInputFile } from '../io/input-file.js';
import { parseDefinition } from './definition/load-definition.js';
import { generateTemplate } from './template/generate-template.js';
import { testAccount } from './template/test-account.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const examples = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(`${EXAMPLES_DIR}${f}`, 'utf8'));
const account = testAccount();

/** Every outcome must be a template or a typed error: never a crash, never an untyped exception. */
async function outcome(text: string, parameters: string[]): Promise<'template' | 'typed-error'> {
  try {
    const definition = parseDefinition(text, 'fuzz.yaml');
    const compiled = await generateTemplate(
      { definition, version: '1', parameters, region: 'eu-central-1', force: true },
      async () => account,
    );
    JSON.stringify(compiled.template);
    return 'template';
  } catch (e) {
    // A component that crashed is wrapped in a typed error for users; here it is a bug.
    if (isStupsError(e) && e.code !== 'definition.component-failed') return 'typed-error';
    throw e;
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(
        ': ',
        '- ',
        '{{',
        '}}',
        '{{Arguments.X}}',
        '{{AccountInfo.Nope}}',
        '\n  ',
        '"',
        "'",
        '[',
        '{',
        '&',
        '*a',
        '!Ref x',
        '\t',
        'null',
        '~',
        '0x1F',
        'yes',
      ),
    ),
  }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
);

function mutate(text: string, ops: object[]): string {
  let t = text;
  for (const op of ops as { kind: string; at?: number; length?: number; text?: string; a?: number; b?: number }[]) {
    if (op.kind === 'delete') {
      const at = (op.at ?? 0) % Math.max(1, t.length);
      t = t.slice(0, at) + t.slice(at + (op.length ?? 1));
    } else if (op.kind === 'insert') {
      const at = (op.at ?? 0) % Math.max(1, t.length + 1);
      t = t.slice(0, at) + (op.text ?? '') + t.slice(at);
    } else {
      const lines = t.split('\n');
      const a = (op.a ?? 0) % lines.length;
      const b = (op.b ?? 0) % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      t = lines.join('\n');
    }
  }
  return t;
}

describe('random and mutated definitions (property)', () => {
  it('mutated examples give a template or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...examples),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.array(fc.oneof(fc.constantFrom('1.0', 'Stage=live', 'Stage=x', 'X=1', '='), fc.string({ maxLength: 6 })), {
          maxLength: 3,
        }),
        async (example, ops, parameters) => {
          expect(['template', 'typed-error']).toContain(await outcome(mutate(example, ops), parameters));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('random YAML documents give a template or a typed error', async () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.double({ noNaN: true }),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 8 }), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    const componentTypes = fc.constantFrom(
      'Senza::StupsAutoConfiguration',
      'Senza::TaupageAutoScalingGroup',
      'Senza::AutoScalingGroup',
      'Senza::WeightedDnsElasticLoadBalancer',
      'Senza::WeightedDnsElasticLoadBalancerV2',
      'Senza::ElasticLoadBalancer',
      'Senza::ElasticLoadBalancerV2',
      'Senza::IamRole',
      'Senza::RedisNode',
      'Senza::RedisCluster',
      'Senza::Configuration',
    );
    // Mostly valid names, so that the random parts reach the components; sometimes any string.
    const componentName = fc.oneof(
      { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{1,8}$/) },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
    );
    const component = fc.tuple(
      componentName,
      componentTypes,
      fc.dictionary(
        fc.constantFrom(
          'InstanceType',
          'SecurityGroups',
          'TaupageConfig',
          'HTTPPort',
          'AutoScaling',
          'IamRoles',
          'ElasticLoadBalancer',
          'Scheme',
          'Listeners',
          'MainDomain',
          'Image',
          'UserData',
          'NumberOfNodes',
        ),
        tree,
        { maxKeys: 6 },
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 3, arbitrary: fc.stringMatching(/^[a-z][-a-z0-9]{0,9}$/) },
          { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 10 }) },
        ),
        fc.array(component, { maxLength: 4 }),
        fc.option(tree),
        async (stackName, components, extra) => {
          const doc = {
            SenzaInfo: {
              StackName: stackName,
              ...(extra && typeof extra === 'object' && !Array.isArray(extra) ? extra : {}),
            },
            SenzaComponents: components.map(([name, Type, config]) => ({ [name]: { ...config, Type } })),
          };
          expect(['template', 'typed-error']).toContain(await outcome(JSON.stringify(doc), []));
        },
      ),
      { numRuns: 400 },
    );
  });
});

async function parseAndCompile(text: string) {
  const definition = parseDefinition(text, 'fuzz.yaml');
  return generateTemplate(
    { definition, version: '1', parameters: [], region: 'eu-central-1', force: true },
    async () => account,
  );
}

/** Definitions in each class of issue 6 item 8: each must be refused with a typed error naming the file. */
describe('hostile definitions are refused, never accepted (property)', () => {
  const letters = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
  const queue = 'Resources: {Q: {Type: AWS::SQS::Queue}}\n';
  const quoted = (x: string) => JSON.stringify(x);

  const badStackName = fc
    .tuple(letters, fc.constantFrom('_', '.', ' ', '!', 'ä', '/', '$'), letters)
    .map(([a, bad, b]) => `SenzaInfo: {StackName: ${quoted(a + bad + b)}}\n${queue}`);
  const stackNameStartingBadly = fc
    .tuple(fc.constantFrom('1', '-', '_'), letters)
    .map(([first, rest]) => `SenzaInfo: {StackName: ${quoted(first + rest)}}\n${queue}`);
  const badComponentName = fc
    .tuple(
      letters,
      fc.constantFrom('-', '_', '.', ' '),
      letters,
      fc.constantFrom(
        'Senza::TaupageAutoScalingGroup',
        'Senza::AutoScalingGroup',
        'Senza::WeightedDnsElasticLoadBalancer',
        'Senza::IamRole',
      ),
    )
    .map(
      ([a, bad, b, type]) =>
        `SenzaInfo: {StackName: app}\nSenzaComponents:\n  - ${quoted(a + bad + b)}: {Type: ${quoted(type)}}\n`,
    );
  const badTag = fc
    .oneof(
      letters.map((k) => [`aws:${k}`, 'x']),
      fc.integer({ min: 129, max: 300 }).map((n) => ['k'.repeat(n), 'x']),
      fc.integer({ min: 257, max: 400 }).map((n) => ['Team', 'v'.repeat(n)]),
      fc.tuple(letters, fc.constantFrom(';', '<', '>', '!', '*', '"', '#')).map(([k, bad]) => ['Team', k + bad]),
    )
    .map(([k, v]) => `SenzaInfo:\n  StackName: app\n  Tags: {${quoted(k)}: ${quoted(v)}}\n${queue}`);
  const badTypedProperty = fc
    .tuple(
      fc.constantFrom('HTTPPort', 'HealthCheckPort'),
      fc.oneof(
        letters.map(quoted),
        fc.double({ min: 1, max: 9999, noInteger: true, noNaN: true }).map(String),
        fc.constant('[80]'),
        fc.constant('{a: 1}'),
      ),
    )
    .map(
      ([key, value]) =>
        `SenzaInfo: {StackName: app}\nSenzaComponents:\n  - LB:\n      Type: Senza::WeightedDnsElasticLoadBalancer\n      HTTPPort: 80\n      ${key}: ${value}\n`,
    );
  const badBoolean = fc
    .tuple(
      fc.constantFrom('AssociatePublicIpAddress', 'EbsOptimized'),
      fc.oneof(
        letters.filter((w) => !/^(true|false)$/i.test(w)),
        fc.integer().map(String),
      ),
    )
    .map(
      ([key, value]) =>
        `SenzaInfo: {StackName: app}\nSenzaComponents:\n  - AppServer:\n      Type: Senza::TaupageAutoScalingGroup\n      ${key}: ${quoted(value)}\n`,
    );
  const tooDeep = fc
    .tuple(fc.integer({ min: 101, max: 3000 }), fc.constantFrom('[', '{a: ', 'block-list', 'block-map'))
    .map(([n, shape]) => {
      const head = `SenzaInfo: {StackName: app}\n${queue}X:`;
      if (shape === '[') return `${head} ${'['.repeat(n)}${']'.repeat(n)}\n`;
      if (shape === '{a: ') return `${head} ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`;
      if (shape === 'block-list')
        return `${head}\n${Array.from({ length: n }, (_, i) => `${' '.repeat(2 + i * 2)}-`).join('\n')} x\n`;
      return `${head}\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n')} 1\n`;
    });
  const noResources = fc
    .constantFrom('', 'SenzaComponents:\n  - Configuration: {Type: Senza::StupsAutoConfiguration}\n', 'Resources: {}\n')
    .map((rest) => `SenzaInfo: {StackName: app}\n${rest}`);

  it('each class gives a typed error with exit code 2 and the file name', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badStackName,
          stackNameStartingBadly,
          badComponentName,
          badTag,
          badTypedProperty,
          badBoolean,
          tooDeep,
          noResources,
        ),
        async (text) => {
          const e = await parseAndCompile(text).then(
            () => undefined,
            (x) => x,
          );
          expect(e, 'accepted').toBeInstanceOf(DefinitionError);
          expect(e.exitCode).toBe(2);
          expect(e.message.startsWith('fuzz.yaml')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  const dir = mkdtempSync(join(tmpdir(), 'fuzz-utf8-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a file with an ill-formed UTF-8 byte is refused naming that byte offset', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40, unit: 'grapheme' }),
        fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xff, 0xfe),
        fc.string({ maxLength: 10 }),
        (before, bad, after) => {
          const path = join(dir, 'f.yaml');
          const head = Buffer.from(before, 'utf8');
          writeFileSync(path, Buffer.concat([head, Buffer.from([bad]), Buffer.from(after, 'utf8')]));
          const e = (() => {
            try {
              readInputFile(path, { label: 'definition' });
            } catch (x) {
              return x as DefinitionError;
            }
          })();
          expect(e).toBeInstanceOf(DefinitionError);
          expect(e?.data).toEqual({ offset: head.length });
        },
      ),
      { numRuns: 200 },
    );
  });
});
