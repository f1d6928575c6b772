import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { parseDefinition } from '../definition/load-definition.js';
import { parseYamlSource } from '../definition/yaml-source.js';
import { generateTemplate } from '../template/generate-template.js';
import { testAccount } from '../template/test-account.js';
import { INIT_TEMPLATES, initTemplate, parseUserVariables } from './init-templates.js';

function defaults(id: string, given: Record<string, string> = {}): Record<string, string> {
  const t = initTemplate(id);
  return Object.fromEntries(t.questions.map((q) => [q.name, given[q.name] ?? q.default ?? '']));
}

describe('senza init templates', () => {
  it('webapp renders the definition of the reference (§2.20)', () => {
    const answers = defaults('webapp', { mint_bucket: 'my-mint' });
    const doc = parseYamlSource(initTemplate('webapp').render(answers)).value;
    expect(doc).toEqual({
      SenzaInfo: {
        StackName: 'hello-world',
        Parameters: [{ ImageVersion: { Description: 'Docker image version of hello-world.' } }],
      },
      SenzaComponents: [
        { Configuration: { Type: 'Senza::StupsAutoConfiguration' } },
        {
          AppServer: {
            Type: 'Senza::TaupageAutoScalingGroup',
            InstanceType: 't2.micro',
            SecurityGroups: ['app-hello-world'],
            IamRoles: ['app-hello-world'],
            ElasticLoadBalancer: 'AppLoadBalancer',
            AssociatePublicIpAddress: false,
            TaupageConfig: {
              application_version: '{{Arguments.ImageVersion}}',
              runtime: 'Docker',
              source: 'stups/hello-world:{{Arguments.ImageVersion}}',
              health_check_path: '/',
              ports: { '8080': 8080 },
              mint_bucket: 'my-mint',
            },
          },
        },
        {
          AppLoadBalancer: {
            Type: 'Senza::WeightedDnsElasticLoadBalancer',
            HTTPPort: 8080,
            HealthCheckPath: '/',
            SecurityGroups: ['app-hello-world-lb'],
            Scheme: 'internal',
          },
        },
      ],
    });
  });

  it.each(INIT_TEMPLATES.map((t) => t.id))('%s with its defaults compiles against a STUPS account', async (id) => {
    const answers = defaults(id);
    const definition = parseDefinition(initTemplate(id).render(answers), `${id}.yaml`);
    const account = testAccount();
    account.securityGroups?.push({
      id: 'sg-redis-hw',
      name: 'redis-hello-world',
      tagName: 'redis-hello-world',
      vpcId: 'vpc-1',
    });
    const compiled = await generateTemplate(
      {
        definition,
        version: '1',
        parameters: id.startsWith('redis') ? [] : ['1.0'],
        region: 'eu-central-1',
        force: true,
      },
      async () => account,
    );
    expect(Object.keys(compiled.template.Resources).length).toBeGreaterThan(0);
  });

  it('validates answers and names the resources a definition expects', () => {
    const appId = initTemplate('webapp').questions[0];
    expect(appId.validate?.('9lives')).toBeDefined();
    expect(appId.validate?.('a'.repeat(61))).toBeDefined();
    expect(appId.validate?.('shop')).toBeUndefined();
    expect(initTemplate('redisnode').questions[0].validate?.('a'.repeat(19))).toBeDefined();
    expect(
      initTemplate('rediscluster')
        .questions.find((q) => q.name === 'number_of_nodes')
        ?.validate?.('6'),
    ).toBeDefined();
    expect(initTemplate('webapp').resources(defaults('webapp', { application_id: 'shop' }))).toEqual([
      { kind: 'securityGroup', name: 'app-shop', tcpPorts: [22, 8080], allowSelf: true },
      { kind: 'securityGroup', name: 'app-shop-lb', tcpPorts: [443], allowSelf: false },
      { kind: 'iamRole', name: 'app-shop', mintBucket: undefined, applicationId: 'shop' },
    ]);
  });

  it('parses -v KEY=VAL and names a malformed one', () => {
    expect(parseUserVariables(['a=1', 'b=x=y'])).toEqual({ a: '1', b: 'x=y' });
    expect(() => parseUserVariables(['nokey'])).toThrow(UsageError);
    expect(() => parseUserVariables(['nokey'])).toThrow('invalid key value parameter "nokey" (must be KEY=VAL)');
    expect(() => initTemplate('nope')).toThrow('Unknown template "nope"');
  });
});
