import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DefinitionError, EXIT, isStupsError, type StupsError, UsageError } from '../errors.js';
import { RecordingHost } from '../io/messages.js';
import { type ParameterArgument, readParameterFile } from './definition/arguments.js';
import { loadDefinitionFile, parseDefinition } from './definition/load-definition.js';
import { MAX_NESTING_DEPTH } from './definition/yaml-source.js';
import { parseStackRefs } from './stacks/stack-ref.js';
import { generateTemplate, snapshotSource } from './template/generate-template.js';
import { testAccount } from './template/test-account.js';

// Hostile and broken definition input: every case is a typed error (exit 2) naming the file, never a crash.

const dir = mkdtempSync(join(tmpdir(), 'definition-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function compile(yaml: string, parameters: ParameterArgument[] = []) {
  const host = new RecordingHost();
  const compiled = await generateTemplate(
    { definition: parseDefinition(yaml, 'app.yaml'), version: '1', parameters, region: 'eu-central-1', force: true },
    snapshotSource(testAccount()),
    host,
  );
  return { compiled, host };
}

async function failure(fn: () => unknown): Promise<StupsError> {
  try {
    await fn();
  } catch (e) {
    if (isStupsError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('definition and parameter files: bounded, UTF-8 reads', () => {
  it('a definition from /dev/zero stops at 10 MB, exit 2', async () => {
    const e = await failure(() => loadDefinitionFile('/dev/zero'));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.exitCode).toBe(EXIT.USAGE);
    expect(e.message).toBe('definition "/dev/zero" is larger than 10 MB');
  });

  it('a parameter file from /dev/zero stops at 10 MB, exit 2', async () => {
    const e = await failure(() => readParameterFile('/dev/zero'));
    expect(e.message).toBe('parameter file "/dev/zero" is larger than 10 MB');
    expect(e.exitCode).toBe(EXIT.USAGE);
  });

  it('a STACK_REF naming /dev/zero is bounded too', async () => {
    const e = await failure(() => parseStackRefs(['/dev/zero']));
    expect(e.code).toBe('input.file-too-large');
  });

  it('a Latin-1 definition is refused naming the byte offset', async () => {
    const path = file(
      'latin1.yaml',
      Buffer.concat([Buffer.from('SenzaInfo:\n  StackName: '), Buffer.from([0xe4, 0x0a])]),
    );
    const e = await failure(() => loadDefinitionFile(path));
    expect(e).toBeInstanceOf(DefinitionError);
    expect(e.message).toBe(`${path}:2:14: not UTF-8 text: invalid byte 0xe4 at byte offset 24`);
  });

  it('a Latin-1 parameter file is refused the same way', async () => {
    const path = file('params.yaml', Buffer.from([0x56, 0x3a, 0x20, 0xfc, 0x0a]));
    const e = await failure(() => readParameterFile(path));
    expect(e.message).toBe(`${path}:1:4: not UTF-8 text: invalid byte 0xfc at byte offset 3`);
  });

  it('a missing file keeps its message', async () => {
    const e = await failure(() => loadDefinitionFile(join(dir, 'nope.yaml')));
    expect(e.message).toBe(`Invalid value for 'DEFINITION': "${join(dir, 'nope.yaml')}" not found`);
  });
});

describe('definition nesting depth', () => {
  const head = 'SenzaInfo: {StackName: app}\nResources: {Q: {Type: AWS::SQS::Queue}}\nX:';
  const shapes: Record<string, (n: number) => string> = {
    'flow lists': (n) => `${head} ${'['.repeat(n)}${']'.repeat(n)}\n`,
    'flow maps': (n) => `${head} ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`,
    'block lists': (n) => `${head}\n${Array.from({ length: n }, (_, i) => `${' '.repeat(2 + i * 2)}-`).join('\n')} x\n`,
    'block maps': (n) => `${head}\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n')} 1\n`,
  };
  for (const [shape, text] of Object.entries(shapes)) {
    for (const depth of [MAX_NESTING_DEPTH + 5, 5000]) {
      it(`${shape}, ${depth} levels: a clear error with file and line, exit 2`, async () => {
        const e = await failure(() => parseDefinition(text(depth), 'deep.yaml'));
        expect(e).toBeInstanceOf(DefinitionError);
        expect(e.code).toBe('definition.too-deep');
        expect(e.exitCode).toBe(EXIT.USAGE);
        expect(e.message).toMatch(
          /^deep\.yaml:\d+:\d+( \(X\.[^)]*\))?: maps and lists are nested more than 100 levels deep$/,
        );
      });
    }
    it(`${shape}, 30 levels: accepted`, async () => {
      const { compiled } = await compile(text(30));
      expect(compiled.template.X).toBeDefined();
    });
  }

  it('millions of levels in 10 MB (flow, or compact "- - -" on one line) are refused before the parser runs', async () => {
    const n = 4_000_000;
    for (const text of [
      `SenzaInfo: {StackName: app}\nX: ${'['.repeat(n)}${']'.repeat(n)}\n`,
      `SenzaInfo: {StackName: app}\nX:\n  ${'- '.repeat(n)}x\n`,
    ]) {
      const e = await failure(() => parseDefinition(text, 'deep.yaml'));
      expect(e.code).toBe('definition.too-deep');
      expect(e.message).toMatch(/^deep\.yaml:[23]:(104|203): maps and lists are nested more than 100 levels deep$/);
    }
  });

  it('brackets and dashes inside strings do not count', async () => {
    const { compiled } = await compile(
      `SenzaInfo: {StackName: app}\nResources: {Q: {Type: AWS::SQS::Queue}}\nX: "${'['.repeat(500)}"\nY: '${'- '.repeat(500)}'\n`,
    );
    expect(compiled.template.X).toBe('['.repeat(500));
  });

  it('aliases do not get around the limit', async () => {
    const nested = `${'['.repeat(60)}${']'.repeat(60)}`;
    const e = await failure(() =>
      parseDefinition(
        `SenzaInfo: {StackName: app}\nA: &a ${nested}\nB: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n`,
        'a.yaml',
      ),
    );
    expect(e.code).toBe('definition.too-deep');
  });

  it('a deep parameter file is refused too', async () => {
    const path = file('deep-params.yaml', `A: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    const e = await failure(() => readParameterFile(path));
    expect(e.code).toBe('definition.too-deep');
  });
});

describe('definitions without resources', () => {
  it('only a Configuration component: refused in compile, naming the file and what to add', async () => {
    const e = await failure(() =>
      compile(
        'SenzaInfo: {StackName: app}\nSenzaComponents:\n  - Configuration: {Type: Senza::StupsAutoConfiguration}\n',
      ),
    );
    expect(e).toBeInstanceOf(DefinitionError);
    expect(e.code).toBe('definition.no-resources');
    expect(e.exitCode).toBe(EXIT.USAGE);
    expect(e.message).toBe(
      'app.yaml:3:3 (SenzaComponents): the definition yields no resources: a CloudFormation stack needs at least one',
    );
    expect(e.hint).toContain('Resources section');
  });

  it('SenzaInfo alone, or an empty Resources map: refused', async () => {
    for (const yaml of ['SenzaInfo: {StackName: app}\n', 'SenzaInfo: {StackName: app}\nResources: {}\n']) {
      expect((await failure(() => compile(yaml))).code).toBe('definition.no-resources');
    }
  });

  it('one plain resource is enough', async () => {
    const { compiled } = await compile('SenzaInfo: {StackName: app}\nResources: {Q: {Type: AWS::SQS::Queue}}\n');
    expect(Object.keys(compiled.template.Resources)).toEqual(['Q']);
  });
});

describe('YAML numbers, booleans, nulls and timestamps as parameters', () => {
  const definition = (param: string) =>
    `SenzaInfo:\n  StackName: app\n  Parameters:\n    - ImageVersion: ${param}\nResources:\n  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: 'stups/hello-world:{{Arguments.ImageVersion}}'}}\n`;
  const queueName = (c: Awaited<ReturnType<typeof compile>>) =>
    (c.compiled.template.Resources.Q.Properties as { QueueName: string }).QueueName;

  const cases: [string, string, string][] = [
    ['float 2.0', '2.0', 'stups/hello-world:2.0'],
    ['float 1.10', '1.10', 'stups/hello-world:1.1'],
    ['float -0.0', '-0.0', 'stups/hello-world:-0.0'],
    ['float .inf', '.inf', 'stups/hello-world:inf'],
    ['string 1e3', '1e3', 'stups/hello-world:1e3'],
    ['hex int', '0x1F', 'stups/hello-world:31'],
    ['int with underscores', '1_000', 'stups/hello-world:1000'],
    ['boolean yes', 'yes', 'stups/hello-world:True'],
    ['boolean off', 'off', 'stups/hello-world:False'],
    ['null ~', '~', 'stups/hello-world:None'],
    ['datetime', '2020-01-02T03:04:05Z', 'stups/hello-world:2020-01-02 03:04:05+00:00'],
    ['date', '2020-01-02', 'stups/hello-world:2020-01-02'],
  ];

  for (const [what, written, expected] of cases) {
    it(`--parameter-file ImageVersion: ${written} (${what}) renders ${expected}`, async () => {
      const path = file(`params-${what.replaceAll(' ', '-')}.yaml`, `ImageVersion: ${written}\n`);
      const c = await compile(definition('{Description: image}'), readParameterFile(path));
      expect(queueName(c)).toBe(expected);
    });

    // A null Default counts as no default (the parameter is then missing), as before.
    if (written === '~') continue;
    it(`Default: ${written} (${what}) renders ${expected}`, async () => {
      const c = await compile(definition(`{Default: ${written}}`));
      expect(queueName(c)).toBe(expected);
    });
  }

  it('a value YAML changed is a warning naming the value used, file and line', async () => {
    const path = file('params-warn.yaml', 'Other: x\nImageVersion: 1.10\n');
    const yaml = definition('{Description: image}').replace(
      '    - ImageVersion',
      '    - Other: {Default: a}\n    - ImageVersion',
    );
    const { host } = await compile(yaml, readParameterFile(path));
    const warnings = host.messages.filter((m) => m.code === 'senza.parameter-yaml-converted');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].level).toBe('warn');
    expect(warnings[0].text).toBe(
      `${path}:2:15: parameter ImageVersion: YAML reads 1.10 as a float, so the value used is "1.1" (quote it, "1.10", to keep the text)`,
    );
    expect(warnings[0].data).toEqual({ parameter: 'ImageVersion', written: '1.10', used: '1.1', type: 'float' });
  });

  it('a Default YAML changed warns when it is used, not when a value is given', async () => {
    const used = await compile(definition('{Default: yes}'));
    expect(used.host.messages.find((m) => m.code === 'senza.parameter-yaml-converted')?.text).toBe(
      'app.yaml:4:31: parameter ImageVersion: YAML reads yes as a bool, so the value used is "True" (quote it, "yes", to keep the text)',
    );
    const given = await compile(definition('{Default: yes}'), ['2']);
    expect(given.host.codes()).not.toContain('senza.parameter-yaml-converted');
  });

  it('values YAML keeps as written (2.0, 42, quoted text) give no warning', async () => {
    for (const written of ['2.0', '42', '"1.10"', 'True']) {
      const { host } = await compile(definition(`{Default: ${written}}`));
      expect(host.codes()).not.toContain('senza.parameter-yaml-converted');
    }
  });

  it('AllowedValues compare with the Python text of each value', async () => {
    const c = await compile(definition('{Default: 2.0, AllowedValues: [1.0, 2.0]}'));
    expect(queueName(c)).toBe('stups/hello-world:2.0');
    const e = await failure(() => compile(definition('{AllowedValues: [1.0, 2.0]}'), ['2']));
    expect(e.message).toBe('Parameter "ImageVersion" must be one of "1.0", "2.0", not "2"');
  });

  it('a date Python cannot build is a typed error naming the parameter', async () => {
    const path = file('params-bad-date.yaml', 'ImageVersion: 2020-02-30\n');
    const e = await failure(() => readParameterFile(path));
    expect(e).toBeInstanceOf(DefinitionError);
    expect(e.message).toBe(
      `${path}:1:15 (ImageVersion): "2020-02-30" is not a valid date or time for parameter ImageVersion`,
    );
  });
});

describe('names that become AWS resource names, checked before any AWS call', () => {
  const fetchedBefore = async (yaml: string, parameters: string[] = []) => {
    let fetched = false;
    const e = await failure(() =>
      generateTemplate(
        { definition: parseDefinition(yaml, 'app.yaml'), version: '1', parameters, region: 'eu-central-1' },
        async () => {
          fetched = true;
          return testAccount();
        },
      ),
    );
    return { e, fetched };
  };
  const queue = 'Resources: {Q: {Type: AWS::SQS::Queue}}\n';

  for (const name of ['1app', 'my_app', 'app.v2', 'app name', 'äpp']) {
    it(`StackName ${JSON.stringify(name)} is refused with file, line and key, before any fetch`, async () => {
      const { e, fetched } = await fetchedBefore(`SenzaInfo:\n  StackName: '${name}'\n${queue}`);
      expect(fetched).toBe(false);
      expect(e.code).toBe('definition.stack-name-invalid');
      expect(e.exitCode).toBe(EXIT.USAGE);
      expect(e.message).toBe(
        `app.yaml:2:14 (SenzaInfo.StackName): StackName ${JSON.stringify(name)} does not make a valid CloudFormation stack name: "${name}-1" must start with a letter and contain only letters, digits and hyphens`,
      );
    });
  }

  it('a stack name over 128 characters with the version: the original message, before any fetch', async () => {
    const name = 'a'.repeat(127);
    const { e, fetched } = await fetchedBefore(`SenzaInfo: {StackName: ${name}}\n${queue}`);
    expect(fetched).toBe(false);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe(`Stack name "${name}-1" cannot exceed 128 characters. Please choose another name/version.`);
  });

  it('a StackName rendered from a parameter is checked after rendering', async () => {
    const yaml = `SenzaInfo:\n  StackName: 'app-{{Arguments.X}}'\n  Parameters:\n    - X: {}\n${queue}`;
    expect((await failure(() => compile(yaml, ['a_b']))).code).toBe('definition.stack-name-invalid');
    const { compiled } = await compile(yaml, ['b2']);
    expect(compiled.stackName).toBe('app-b2-1');
  });

  it('valid names pass: hello-world, A1-b-2', async () => {
    for (const name of ['hello-world', 'A1-b-2']) {
      const { compiled } = await compile(`SenzaInfo: {StackName: ${name}}\n${queue}`);
      expect(compiled.stackName).toBe(`${name}-1`);
    }
  });

  const tagCases: [string, string, string][] = [
    ['aws: prefix', '{"aws:team": x}', 'tag key "aws:team" uses the prefix "aws:", which AWS reserves'],
    ['long key', `{${'k'.repeat(129)}: x}`, `tag key "${'k'.repeat(129)}" is longer than 128 characters`],
    ['long value', `{Team: ${'v'.repeat(257)}}`, 'the value of tag "Team" is longer than 256 characters'],
    ['bad key character', '{"Team!": x}', 'tag key "Team!" contains characters AWS does not allow in tags'],
    [
      'bad value character',
      '{Team: "a;b"}',
      'the value of tag "Team" ("a;b") contains characters AWS does not allow in tags',
    ],
    ['list form', '[{Team: "a<b"}]', 'the value of tag "Team" ("a<b") contains characters AWS does not allow in tags'],
  ];
  for (const [what, tags, reason] of tagCases) {
    it(`SenzaInfo tags: ${what} is refused before any fetch`, async () => {
      const { e, fetched } = await fetchedBefore(`SenzaInfo:\n  StackName: app\n  Tags: ${tags}\n${queue}`);
      expect(fetched).toBe(false);
      expect(e.code).toBe('definition.tag-invalid');
      expect(e.message).toMatch(/^app\.yaml:3:\d+ \(SenzaInfo\.Tags\.[^)]+\): /);
      expect((e as DefinitionError).reason).toBe(reason);
    });
  }

  it('tags with letters, digits, spaces and _ . : / = + - @ pass', async () => {
    const { compiled } = await compile(
      `SenzaInfo:\n  StackName: app\n  Tags: {Team: "a b_c.d:e/f=g+h-i@j", Cost: 42}\n${queue}`,
    );
    expect(compiled.tags).toContainEqual({ Key: 'Team', Value: 'a b_c.d:e/f=g+h-i@j' });
    expect(compiled.tags).toContainEqual({ Key: 'Cost', Value: '42' });
  });

  it('a component name that becomes a logical ID must be alphanumeric, before any fetch', async () => {
    const yaml = `SenzaInfo: {StackName: app}\nSenzaComponents:\n  - App-Server:\n      Type: Senza::TaupageAutoScalingGroup\n      InstanceType: t2.micro\n      TaupageConfig: {runtime: Docker, source: x}\n`;
    const { e, fetched } = await fetchedBefore(yaml);
    expect(fetched).toBe(false);
    expect(e.code).toBe('definition.component-name');
    expect(e.message).toBe(
      'app.yaml:4:7 (SenzaComponents.0.App-Server): component name "App-Server" must be letters and digits only: it becomes the CloudFormation logical ID of the Senza::TaupageAutoScalingGroup resources',
    );
  });

  it('configuration and Redis components keep free names (their resources have fixed IDs)', async () => {
    const yaml = `SenzaInfo: {StackName: app}\nSenzaComponents:\n  - my-config: {Type: Senza::StupsAutoConfiguration}\n  - my-redis: {Type: Senza::RedisNode, SecurityGroups: [app-shop]}\n`;
    const { compiled } = await compile(yaml);
    expect(Object.keys(compiled.template.Resources)).toContain('RedisCacheCluster');
  });
});

describe('component properties CloudFormation types', () => {
  const asg = (props: string) =>
    `SenzaInfo: {StackName: app}\nSenzaComponents:\n  - Configuration: {Type: Senza::StupsAutoConfiguration}\n  - AppServer:\n      Type: Senza::TaupageAutoScalingGroup\n      InstanceType: t2.micro\n      SecurityGroups: [app-hello-world]\n      TaupageConfig: {runtime: Docker, source: 'stups/hello-world:1'}\n${props}`;
  const elb = (props: string) =>
    `SenzaInfo: {StackName: app}\nSenzaComponents:\n  - Configuration: {Type: Senza::StupsAutoConfiguration}\n  - AppLoadBalancer:\n      Type: Senza::WeightedDnsElasticLoadBalancer\n      SecurityGroups: [app-hello-world-lb]\n      MainDomain: app.team.example.org\n      VersionDomain: app-1.team.example.org\n${props}`;

  const refused: [string, string, string, string][] = [
    [
      'HTTPPort as text',
      elb('      HTTPPort: eighty\n'),
      'definition.not-an-integer',
      'HTTPPort must be an integer (e.g. 8080 or "8080"), not string "eighty"',
    ],
    [
      'HTTPPort as a float',
      elb('      HTTPPort: 80.5\n'),
      'definition.not-an-integer',
      'HTTPPort must be an integer (e.g. 8080 or "8080"), not number 80.5',
    ],
    [
      'HealthCheckPort as a list',
      elb('      HTTPPort: 80\n      HealthCheckPort: [80]\n'),
      'definition.not-an-integer',
      'HealthCheckPort must be an integer (e.g. 8080 or "8080"), not a list',
    ],
    [
      'AutoScaling.Maximum as a float',
      asg('      AutoScaling: {Minimum: 1, Maximum: 2.5}\n'),
      'definition.not-an-integer',
      'Maximum must be an integer (e.g. 8080 or "8080"), not number 2.5',
    ],
    [
      'AutoScaling.Cooldown as a word',
      asg('      AutoScaling: {Minimum: 1, Maximum: 2, Cooldown: soon}\n'),
      'definition.not-an-integer',
      'Cooldown must be an integer (e.g. 8080 or "8080"), not string "soon"',
    ],
    [
      'HealthCheckGracePeriod as a map',
      asg('      HealthCheckGracePeriod: {a: 1}\n'),
      'definition.not-an-integer',
      'HealthCheckGracePeriod must be an integer (e.g. 8080 or "8080"), not a map',
    ],
    [
      'AssociatePublicIpAddress as a word',
      asg('      AssociatePublicIpAddress: maybe\n'),
      'definition.not-a-boolean',
      'AssociatePublicIpAddress must be true or false, not string "maybe"',
    ],
    [
      'EbsOptimized as a number',
      asg('      EbsOptimized: 1\n'),
      'definition.not-a-boolean',
      'EbsOptimized must be true or false, not number 1',
    ],
  ];
  for (const [what, yaml, code, reason] of refused) {
    it(`${what} is refused at parse time with file:line and key path`, async () => {
      const e = await failure(() => parseDefinition(yaml, 'app.yaml'));
      expect(e).toBeInstanceOf(DefinitionError);
      expect(e.code).toBe(code);
      expect(e.exitCode).toBe(EXIT.USAGE);
      expect((e as DefinitionError).reason).toBe(reason);
      expect(e.message).toMatch(/^app\.yaml:\d+:\d+ \(SenzaComponents\.1\.\w+\.[\w.]+\): /);
    });
  }

  it('digit strings stay valid ("8080"), and so do placeholders and "true"', async () => {
    const { compiled } = await compile(elb('      HTTPPort: "8080"\n      HealthCheckPort: " 8080 "\n'));
    expect(compiled.template.Resources.AppLoadBalancer).toBeDefined();
    const yaml = asg(
      "      AssociatePublicIpAddress: 'true'\n      EbsOptimized: '{{Arguments.Ebs}}'\n      AutoScaling: {Minimum: '1', Maximum: '{{Arguments.Max}}'}\n",
    ).replace('StackName: app}', 'StackName: app, Parameters: [{Ebs: {Default: "false"}}, {Max: {Default: "3"}}]}');
    const asgCompiled = await compile(yaml);
    expect(asgCompiled.compiled.template.Resources.AppServer).toBeDefined();
  });
});
