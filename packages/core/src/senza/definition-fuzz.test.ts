import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStupsError } from '../errors.js';
import { parseDefinition } from './definition/load-definition.js';
import { generateTemplate } from './generate-template.js';
import { testAccount } from './test-account.js';

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
    const component = fc.tuple(
      fc.string({ minLength: 1, maxLength: 8 }),
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
        fc.string({ minLength: 1, maxLength: 10 }),
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
