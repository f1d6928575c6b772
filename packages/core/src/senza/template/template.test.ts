import { describe, expect, it } from 'vitest';
import { DefinitionError, EXIT, NotFoundError, UsageError } from '../../errors.js';
import { RecordingHost } from '../../io/messages.js';
import { pythonJsonDumps } from '../../io/python-json.js';
import { parseDefinition } from '../definition/load-definition.js';
import type { AccountFactsSnapshot, FactNeed } from './account-facts.js';
import { generateTemplate } from './generate-template.js';
import type { CompiledStack, TemplateRequest } from './template.js';
import { ACM_ARN, testAccount } from './test-account.js';

interface PrintOptions {
  parameters?: string[];
  region?: string;
  account?: Partial<AccountFactsSnapshot>;
  tags?: { Key: string; Value: string }[];
}

async function print(yaml: string, version: string, options: PrintOptions = {}) {
  const region = options.region ?? 'eu-central-1';
  const account = { ...testAccount({ region }), ...options.account };
  const requested: FactNeed[][] = [];
  const request: TemplateRequest = {
    definition: parseDefinition(yaml, 'app.yaml'),
    version,
    parameters: options.parameters ?? [],
    region,
    force: true,
    extraTags: options.tags,
  };
  const host = new RecordingHost();
  const compiled = await generateTemplate(
    request,
    async (needs) => {
      requested.push(needs);
      return account;
    },
    host,
  );
  return { compiled, requested, host };
}

async function printError(yaml: string, version: string, options: PrintOptions = {}): Promise<Error> {
  try {
    await print(yaml, version, options);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const json = (c: CompiledStack) => pythonJsonDumps(c.template, { indent: 4, sortKeys: true });
// biome-ignore lint/suspicious/noExplicitAny: template access in assertions
const info = (c: CompiledStack): any => (c.template.Mappings.Senza as any).Info;
// biome-ignore lint/suspicious/noExplicitAny: template access in assertions
const res = (c: CompiledStack, id: string): any => c.template.Resources[id];

describe('senza print acceptance (reference §7.1)', () => {
  it('1. minimal definition: compact body as the original sends it', async () => {
    const { compiled, requested } = await print(
      'SenzaInfo: {StackName: example}\nResources: {MyQueue: {Type: AWS::SQS::Queue}}\n',
      '1',
    );
    expect(JSON.stringify(sortDeep(compiled.template))).toBe(
      '{"AWSTemplateFormatVersion":"2010-09-09","Mappings":{"Senza":{"Info":{"StackName":"example","StackVersion":"1","Tags":[{"Name":"example-1"},{"StackName":"example"},{"StackVersion":"1"}]}}},"Resources":{"MyQueue":{"Type":"AWS::SQS::Queue"}}}',
    );
    expect(requested).toEqual([]); // nothing about the account is needed
    expect(json(compiled)).toContain('"AWSTemplateFormatVersion": "2010-09-09"');
    expect(compiled.stackName).toBe('example-1');
  });

  it('2. AccountInfo and arguments in the stack name', async () => {
    const yaml = `SenzaInfo:
  StackName: 'test-{{AccountInfo.Region}}-{{Arguments.Section}}'
  Parameters:
    - Section: {Description: section}
SenzaComponents:
  - Configuration:
      Type: Senza::Configuration
      ServerSubnets: {aa-fakeregion-1: [subnet-1]}
      Images: {AppImage: {aa-fakeregion-1: 'AppImage-{{AccountInfo.TeamID}}-{{AccountInfo.AccountID}}'}}
Resources: {MyQueue: {Type: AWS::SQS::Queue}}
`;
    const { compiled } = await print(yaml, '123', {
      parameters: ['b'],
      region: 'aa-fakeregion-1',
      account: { accountId: '0123456789', accountAlias: 'org-dummy' },
    });
    const out = json(compiled);
    expect(out).toContain('"StackName": "test-aa-fakeregion-1-b",');
    expect(out).toContain('AppImage-dummy-0123456789');
    expect(compiled.stackName).toBe('test-aa-fakeregion-1-b-123');
  });

  const taupageYaml = (extra = '') => `SenzaInfo:
  StackName: test
  Parameters:
    - ImageVersion: {Description: version}
    - ExtraParam: {Description: extra}
    - DefParam: {Description: default, Default: DefValue}
SenzaComponents:
  - Configuration:
      Type: Senza::StupsAutoConfiguration
  - AppServer:
      Type: Senza::TaupageAutoScalingGroup
      InstanceType: t2.micro
      SecurityGroups: [app-hello-world]
      TaupageConfig:
        runtime: Docker
        source: foo/bar
        environment:
          ExtraParam: '{{Arguments.ExtraParam}}'
          DefParam: '{{Arguments.DefParam}}'
${extra}`;

  it('3. parameter defaults, and an explicit value overriding one', async () => {
    const userData = (c: CompiledStack) =>
      res(c, 'AppServerLaunchTemplate').Properties.LaunchTemplateData.UserData['Fn::Base64'] as string;
    const a = await print(taupageYaml(), '123', { parameters: ['1.0-SNAPSHOT', 'extra value'] });
    expect(userData(a.compiled)).toContain('DefParam: DefValue\n');
    expect(userData(a.compiled)).toContain('ExtraParam: extra value\n');
    const b = await print(taupageYaml(), '123', { parameters: ['1.0-SNAPSHOT', 'extra value', 'other def value'] });
    expect(userData(b.compiled)).toContain('DefParam: other def value\n');
  });

  it('4. Taupage user data with intrinsic functions becomes Fn::Join', async () => {
    const yaml = `SenzaInfo:
  StackName: test
  Parameters:
    - ApplicationId: {Description: id}
SenzaComponents:
  - Configuration:
      Type: Senza::StupsAutoConfiguration
  - AppServer:
      Type: Senza::TaupageAutoScalingGroup
      InstanceType: t2.micro
      SecurityGroups: [app-hello-world]
      TaupageConfig:
        runtime: Docker
        source: foo/bar
        ports: {80: 80}
        mint_bucket: {'Fn::Join': ['-', [{Ref: bucket1}, '{{ Arguments.ApplicationId}}']]}
        environment:
          ENV1: {Ref: resource1}
          ENV2: v2
`;
    const { compiled } = await print(yaml, '123', { parameters: ['master-mind'] });
    expect(res(compiled, 'AppServerLaunchTemplate').Properties.LaunchTemplateData.UserData['Fn::Base64']).toEqual({
      'Fn::Join': [
        '',
        [
          "#taupage-ami-config\napplication_id: test\napplication_version: '123'\nenvironment:\n  ENV1: ",
          { Ref: 'resource1' },
          '\n  ENV2: v2\nmint_bucket: ',
          { 'Fn::Join': ['-', [{ Ref: 'bucket1' }, 'master-mind']] },
          '\nnotify_cfn:\n  resource: AppServer\n  stack: test-123\nports:\n  80: 80\nruntime: Docker\nsource: foo/bar\n',
        ],
      ],
    });
  });

  it('10. create parameter handling: the original messages, usage exit code', async () => {
    const yaml = `SenzaInfo:
  StackName: test
  Parameters:
    - ImageVersion: {Description: v}
    - Other: {Default: o}
Resources: {Q: {Type: AWS::SQS::Queue}}
`;
    const cases: [string[], string][] = [
      [[], 'Missing parameter "ImageVersion". Need: "ImageVersion Other"'],
      [['x', 'y', 'z'], 'Too many parameters given. Need only: "ImageVersion Other"'],
      [['Other=2'], 'Missing parameter "ImageVersion". Need: "ImageVersion Other"'],
      [['ImageVersion=1', 'Nope=2'], 'Unrecognized keyword parameter: "Nope"'],
      [['1', 'ImageVersion=2'], 'Parameter specified multiple times: "ImageVersion"'],
      [['ImageVersion=1', 'x'], 'Positional parameters must not follow keywords.'],
    ];
    for (const [parameters, message] of cases) {
      const e = await printError(yaml, '1', { parameters });
      expect(e, message).toBeInstanceOf(UsageError);
      expect(e.message).toBe(message);
      expect((e as UsageError).exitCode).toBe(EXIT.USAGE);
    }
    const ok = await print(yaml, '1', { parameters: ['1.0', 'Other=extra=param=value'] });
    expect(ok.compiled.args.Other).toBe('extra=param=value');
  });

  it('validates the version and the stack name length', async () => {
    const yaml = 'SenzaInfo: {StackName: test}\nResources: {Q: {Type: AWS::SQS::Queue}}\n';
    expect((await printError(yaml, '1.0')).message).toBe(
      `Invalid value for 'VERSION': Version must satisfy regular expression pattern "[a-zA-Z0-9]+"`,
    );
    expect((await printError(yaml, 'a'.repeat(125))).message).toContain(
      'cannot exceed 128 characters. Please choose another name/version.',
    );
  });

  it('refuses a value outside AllowedValues before asking AWS anything', async () => {
    const yaml = `SenzaInfo:
  StackName: test
  Parameters:
    - Stage: {AllowedValues: [test, live]}
Resources: {Q: {Type: AWS::SQS::Queue}}
`;
    const e = await printError(yaml, '1', { parameters: ['prod'] });
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe('Parameter "Stage" must be one of "test", "live", not "prod"');
  });
});

describe('placeholders', () => {
  it('HTML-escapes {{x}} like pystache and escapes twice through SenzaInfo', async () => {
    // The reference's golden renders into StackName; a stack name may no longer hold such characters
    // (definition.stack-name-invalid), so another SenzaInfo key carries the value through both renders.
    const yaml = `SenzaInfo:
  StackName: tmpl
  Title: 'tmpl-{{Arguments.P}}'
  Parameters:
    - P: {}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: '{{SenzaInfo.Title}}'
      Raw: '{{{Arguments.P}}}'
`;
    const { compiled } = await print(yaml, '1', { parameters: ['a&b"<c>'] });
    expect(info(compiled).Title).toBe('tmpl-a&amp;b&quot;&lt;c&gt;');
    expect(res(compiled, 'Q').Properties.QueueName).toBe('tmpl-a&amp;amp;b&amp;quot;&amp;lt;c&amp;gt;');
    expect(res(compiled, 'Q').Properties.Raw).toBe('a&b"<c>');
  });

  it('re-reads a value the original wrote unquoted (type changes like the original)', async () => {
    const yaml = `SenzaInfo:
  StackName: test
  Parameters:
    - Port: {}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      Plain: 80{{Arguments.Port}}
      Quoted: '{{Arguments.Port}}'
`;
    const { compiled } = await print(yaml, '1', { parameters: ['80'] });
    expect(res(compiled, 'Q').Properties.Plain).toBe(8080);
    expect(res(compiled, 'Q').Properties.Quoted).toBe('80');
  });

  it('names an unknown placeholder, where it is, and exits 2', async () => {
    const yaml = `SenzaInfo:
  StackName: test
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: '{{Arguments.Nope}}'
`;
    const e = await printError(yaml, '1');
    expect(e).toBeInstanceOf(DefinitionError);
    expect(e.message).toBe(
      "app.yaml:7:18 (Resources.Q.Properties.QueueName): unknown placeholder {{Arguments.Nope}}: Key 'Arguments.Nope' not found: missing 'Nope'",
    );
    expect((e as DefinitionError).exitCode).toBe(2);
    expect((e as DefinitionError).hint).toContain('SenzaInfo.Parameters');
  });

  it('fetches only the AccountInfo facts a definition uses, placeholders first', async () => {
    const yaml = `SenzaInfo:
  StackName: test
  Tags: {Team: '{{AccountInfo.TeamID}}'}
Resources: {Q: {Type: AWS::SQS::Queue, Properties: {QueueName: '{{AccountInfo.Domain}}'}}}
`;
    const { compiled, requested } = await print(yaml, '1');
    expect(requested).toEqual([[{ kind: 'accountAlias' }, { kind: 'hostedZones' }]]);
    expect(compiled.tags).toEqual([
      { Key: 'Team', Value: 'team' },
      { Key: 'Name', Value: 'test-1' },
      { Key: 'StackName', Value: 'test' },
      { Key: 'StackVersion', Value: '1' },
    ]);
    expect(res(compiled, 'Q').Properties.QueueName).toBe('team.example.org');
  });
});

describe('definition errors', () => {
  it('an unknown component type lists the known ones and suggests the closest', async () => {
    const yaml = `SenzaInfo:
  StackName: test
SenzaComponents:
  - AppServer:
      Type: Senza::TaupageAutoscalingGroup
`;
    const e = await printError(yaml, '1');
    expect(e).toBeInstanceOf(DefinitionError);
    expect(e.message).toBe(
      'app.yaml:5:13 (SenzaComponents.0.AppServer.Type): Component type "Senza::TaupageAutoscalingGroup" does not exist',
    );
    expect((e as DefinitionError).hint).toContain('Did you mean "Senza::TaupageAutoScalingGroup"?');
    expect((e as DefinitionError).hint).toContain('Senza::WeightedDnsElasticLoadBalancerV2');
  });

  it('a missing required key names the component and the key', async () => {
    const yaml = `SenzaInfo:
  StackName: test
SenzaComponents:
  - AppServer:
      Type: Senza::TaupageAutoScalingGroup
      TaupageConfig: {runtime: Docker, source: a/b}
`;
    const e = await printError(yaml, '1');
    expect(e.message).toMatch(
      /^app\.yaml:5:7 \(SenzaComponents\.0\.AppServer\.InstanceType\): missing required key "InstanceType"/,
    );
  });

  it('a wrong type says what is expected', async () => {
    const yaml = 'SenzaInfo:\n  StackName: test\n  Parameters: {ImageVersion: x}\n';
    const e = await printError(yaml, '1');
    expect(e.message).toBe('app.yaml:3:15 (SenzaInfo.Parameters): Parameters must be a list, not a map');
  });

  it('a security group the account lacks names it and the region (exit 1)', async () => {
    const yaml = `SenzaInfo: {StackName: test}
SenzaComponents:
  - Configuration: {Type: Senza::StupsAutoConfiguration}
  - AppServer:
      Type: Senza::TaupageAutoScalingGroup
      InstanceType: t2.micro
      SecurityGroups: [app-missing]
      TaupageConfig: {runtime: Docker, source: a/b}
`;
    const e = await printError(yaml, '1');
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.message).toBe('Security Group "app-missing" does not exist in region eu-central-1');
    expect((e as NotFoundError).exitCode).toBe(1);
  });

  it('a missing Taupage AMI names what was looked up and where', async () => {
    const e = await printError(taupageLess(), '1', { account: { taupageImages: {} } });
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.message).toContain('Taupage-AMI-*');
    expect(e.message).toContain('eu-central-1');
  });
});

function taupageLess() {
  return `SenzaInfo: {StackName: test}
SenzaComponents:
  - Configuration: {Type: Senza::StupsAutoConfiguration}
  - AppServer:
      Type: Senza::TaupageAutoScalingGroup
      InstanceType: t2.micro
      SecurityGroups: [app-hello-world]
      TaupageConfig: {runtime: Docker, source: a/b}
`;
}

describe('Appendix A: a typical web application', () => {
  const webapp = `SenzaInfo:
  StackName: hello-world
  OperatorTopicId: my-operators
  Parameters:
    - ImageVersion:
        Description: "Docker image version of hello-world."
    - Stage:
        Description: "Stage"
        Default: "test"
        AllowedValues: [test, live]
  Tags:
    - Team: "{{AccountInfo.TeamID}}"
SenzaComponents:
  - Configuration:
      Type: Senza::StupsAutoConfiguration
  - AppServer:
      Type: Senza::TaupageAutoScalingGroup
      InstanceType: t2.micro
      SecurityGroups: [app-hello-world]
      IamRoles:
        - Stack: base-1
          LogicalId: ApplicationRole
      ElasticLoadBalancer: AppLoadBalancer
      AssociatePublicIpAddress: false
      AutoScaling: {Minimum: 2, Maximum: 4, MetricType: CPU, ScaleUpThreshold: 70, ScaleDownThreshold: 40, SuccessRequires: "2 within 10m"}
      TaupageConfig:
        runtime: Docker
        source: "stups/hello-world:{{Arguments.ImageVersion}}"
        health_check_path: /
        ports: {8080: 8080}
        environment: {STAGE: "{{Arguments.Stage}}", REGION: "{{AccountInfo.Region}}"}
  - AppLoadBalancer:
      Type: Senza::WeightedDnsElasticLoadBalancer
      HTTPPort: 8080
      HealthCheckPath: /health
      SecurityGroups: [app-hello-world-lb]
      Scheme: internet-facing
Outputs:
  URL:
    Value: "https://hello-world-{{SenzaInfo.StackVersion}}.{{AccountInfo.Domain}}/"
`;

  it('produces the verified template', async () => {
    const { compiled, host } = await print(webapp, '7', { parameters: ['1.0'], tags: [{ Key: 'owner', Value: 'me' }] });
    const t = compiled.template;
    expect(t.Description).toBe('Hello World (ImageVersion: 1.0, Stage: test)');
    expect(t.Mappings.Images).toEqual({ 'eu-central-1': { LatestTaupageImage: 'ami-taupage1' } });
    expect(t.Mappings.ServerSubnets).toEqual({ 'eu-central-1': { Subnets: ['subnet-int-a', 'subnet-int-b'] } });
    expect(t.Mappings.LoadBalancerInternalSubnets).toEqual({
      'eu-central-1': { Subnets: ['subnet-int-a', 'subnet-int-b'] },
    });
    expect(t.Mappings.LoadBalancerSubnets).toEqual({ 'eu-central-1': { Subnets: ['subnet-dmz-a', 'subnet-dmz-b'] } });
    expect(info(compiled).Tags).toEqual([
      { Team: 'team' },
      { Name: 'hello-world-7' },
      { StackName: 'hello-world' },
      { StackVersion: '7' },
    ]);
    expect(t.Outputs).toEqual({ URL: { Value: 'https://hello-world-7.team.example.org/' } });
    expect(t.Parameters).toEqual({
      ImageVersion: { Description: 'Docker image version of hello-world.', Type: 'String' },
      Stage: { AllowedValues: ['test', 'live'], Default: 'test', Description: 'Stage', Type: 'String' },
    });
    const lb = res(compiled, 'AppLoadBalancer').Properties;
    expect(lb.Listeners).toEqual([
      { InstancePort: 8080, LoadBalancerPort: 443, PolicyNames: [], Protocol: 'HTTPS', SSLCertificateId: ACM_ARN },
    ]);
    expect(lb.LoadBalancerName).toBe('hello-world-7');
    expect(lb.Scheme).toBe('internet-facing');
    expect(lb.SecurityGroups).toEqual(['sg-lb']);
    expect(lb.HealthCheck.Target).toBe('HTTP:8080/health');
    const main = res(compiled, 'AppLoadBalancerMainDomain').Properties;
    expect(main).toMatchObject({
      Type: 'A',
      Name: 'hello-world.team.example.org.',
      HostedZoneName: 'team.example.org.',
      SetIdentifier: 'hello-world-7',
      Weight: 0,
    });
    expect(res(compiled, 'AppLoadBalancerVersionDomain').Properties.Name).toBe('hello-world-7.team.example.org.');
    const asg = res(compiled, 'AppServer');
    expect(asg.CreationPolicy.ResourceSignal).toEqual({ Count: '2', Timeout: 'PT10M' });
    expect(asg.Properties).toMatchObject({
      DesiredCapacity: 2,
      MinSize: 2,
      MaxSize: 4,
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 300,
    });
    expect(asg.Properties.NotificationConfiguration.TopicARN).toBe(
      'arn:aws:sns:eu-central-1:123456789012:my-operators',
    );
    expect(res(compiled, 'AppServerCPUAlarmHigh').Properties.AlarmDescription).toBe(
      'Scale-up if CPU > 70% for 10.0 minutes (Average)',
    );
    expect(res(compiled, 'AppServerLaunchTemplate').Properties.LaunchTemplateData.UserData['Fn::Base64']).toBe(
      "#taupage-ami-config\napplication_id: hello-world\napplication_version: '7'\nenvironment:\n  REGION: eu-central-1\n  STAGE: test\nhealth_check_path: /\nnotify_cfn:\n  resource: AppServer\n  stack: hello-world-7\nports:\n  8080: 8080\nruntime: Docker\nsource: stups/hello-world:1.0\n",
    );
    expect(Object.values(t.Resources).map((r) => r.Type)).not.toContain('AWS::AutoScaling::LaunchConfiguration');
    expect(asg.Properties.LaunchTemplate).toEqual({
      LaunchTemplateId: { Ref: 'AppServerLaunchTemplate' },
      Version: { 'Fn::GetAtt': ['AppServerLaunchTemplate', 'LatestVersionNumber'] },
    });
    expect(res(compiled, 'AppServerInstanceProfile').Properties).toEqual({
      Path: '/',
      Roles: ['base-1-ApplicationRole-XYZ'],
    });
    expect(res(compiled, 'AppServerScaleDown').Properties).toMatchObject({ ScalingAdjustment: '-1', Cooldown: '60' });
    // The stack request (CreateStack golden).
    expect(compiled.capabilities).toEqual(['CAPABILITY_IAM']);
    expect(compiled.notificationArns).toEqual(['arn:aws:sns:eu-central-1:123456789012:my-operators']);
    expect(compiled.parameters).toEqual([
      { ParameterKey: 'ImageVersion', ParameterValue: '1.0' },
      { ParameterKey: 'Stage', ParameterValue: 'test' },
    ]);
    expect(compiled.tags.map((t) => `${t.Key}=${t.Value}`)).toEqual([
      'Team=team',
      'Name=hello-world-7',
      'StackName=hello-world',
      'StackVersion=7',
      'owner=me',
    ]);
    expect(host.codes()).toContain('senza.elb-internet-facing');
  });
});

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

describe('components not implemented yet', () => {
  it('refuses Senza::Elastigroup with a clear message, exit 2', async () => {
    const yaml =
      'SenzaInfo: {StackName: test}\nSenzaComponents:\n  - AppServer: {Type: Senza::Elastigroup, InstanceType: m5.large}\n';
    const e = await printError(yaml, '1');
    expect(e).toBeInstanceOf(DefinitionError);
    expect(e.message).toContain('Component type "Senza::Elastigroup" is not supported by this version of senza yet');
  });
});

describe('KMS-encrypted SenzaInfo values (reference §3.2)', () => {
  it('decrypts senza:kms: values into Mappings.Senza.Info only', async () => {
    const yaml = `SenzaInfo:
  StackName: test
  DbPassword: "senza:kms:Y2lwaGVy"
Resources: {Q: {Type: AWS::SQS::Queue, Properties: {QueueName: '{{SenzaInfo.DbPassword}}'}}}
`;
    const { compiled, requested } = await print(yaml, '1', { account: { kmsPlaintexts: { Y2lwaGVy: 's3cret' } } });
    expect(requested.flat()).toContainEqual({ kind: 'kmsDecrypt', ciphertexts: ['Y2lwaGVy'] });
    expect(info(compiled).DbPassword).toBe('s3cret');
    // Like the original, placeholders were rendered before decryption.
    expect(res(compiled, 'Q').Properties.QueueName).toBe('senza:kms:Y2lwaGVy');
  });
});

describe('Docker image check of Taupage sources (reference §4.5)', () => {
  const yaml = (source: string) => `SenzaInfo: {StackName: test}
SenzaComponents:
  - Configuration: {Type: Senza::StupsAutoConfiguration}
  - AppServer:
      Type: Senza::TaupageAutoScalingGroup
      InstanceType: t2.micro
      SecurityGroups: [app-hello-world]
      TaupageConfig: {runtime: Docker, source: "${source}"}
`;

  async function printChecked(source: string, dockerImages: Record<string, boolean | null>) {
    const host = new RecordingHost();
    const request: TemplateRequest = {
      definition: parseDefinition(yaml(source), 'app.yaml'),
      version: '1',
      parameters: [],
      region: 'eu-central-1',
    };
    const requested: FactNeed[][] = [];
    const compiled = await generateTemplate(
      request,
      async (needs) => {
        requested.push(needs);
        return { ...testAccount(), dockerImages };
      },
      host,
    );
    return { compiled, host, requested };
  }

  it('asks for images with a registry, and refuses a missing one (exit 2)', async () => {
    const ok = await printChecked('registry.example.org/team/app:1.0', { 'registry.example.org/team/app:1.0': true });
    expect(ok.requested.flat()).toContainEqual({ kind: 'dockerImages', images: ['registry.example.org/team/app:1.0'] });
    const e = await printChecked('registry.example.org/team/app:2.0', {
      'registry.example.org/team/app:2.0': false,
    }).catch((err) => err);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe('Docker image "registry.example.org/team/app:2.0" does not exist');
  });

  it('warns when the registry needs credentials, and does not ask for images without a registry', async () => {
    const pierone = await printChecked('pierone.example.org/team/app:1.0', {
      'pierone.example.org/team/app:1.0': null,
    });
    expect(pierone.host.codes()).toContain('senza.docker-image-unchecked');
    const plain = await printChecked('team/app:1.0', {});
    expect(plain.requested.flat().some((n) => n.kind === 'dockerImages')).toBe(false);
  });
});

describe('capabilities (API_CreateStack, "Capabilities")', () => {
  const caps = async (resources: string, extra = '') =>
    (await print(`SenzaInfo: {StackName: caps}\n${extra}Resources:\n${resources}`, '1')).compiled.capabilities;

  it.each([
    ['AWS::IAM::Role', 'RoleName: r', 'AssumeRolePolicyDocument: {}'],
    ['AWS::IAM::InstanceProfile', 'InstanceProfileName: p', 'Roles: [r]'],
    ['AWS::IAM::ManagedPolicy', 'ManagedPolicyName: m', 'PolicyDocument: {}'],
    ['AWS::IAM::User', 'UserName: u', 'Path: /'],
    ['AWS::IAM::Group', 'GroupName: g', 'Path: /'],
  ])('%s with a custom name needs CAPABILITY_NAMED_IAM', async (type, name, other) => {
    expect(await caps(`  Named: {Type: "${type}", Properties: {${name}, ${other}}}\n`)).toEqual([
      'CAPABILITY_NAMED_IAM',
    ]);
    expect(await caps(`  Unnamed: {Type: "${type}", Properties: {${other}}}\n`)).toEqual(['CAPABILITY_IAM']);
  });

  it('a Transform section or an Fn::Transform macro needs CAPABILITY_AUTO_EXPAND', async () => {
    expect(await caps('  Q: {Type: AWS::SQS::Queue}\n', 'Transform: AWS::Serverless-2016-10-31\n')).toEqual([
      'CAPABILITY_AUTO_EXPAND',
    ]);
    const macro = '  Q: {Type: AWS::SQS::Queue, Properties: {Fn::Transform: {Name: MyMacro}}}\n';
    expect(await caps(macro)).toEqual(['CAPABILITY_AUTO_EXPAND']);
    expect(await caps('  Q: {Type: AWS::SQS::Queue}\n')).toEqual([]);
  });
});

describe('stack tags from --tag (CreateStack "Tags")', () => {
  const yaml = 'SenzaInfo: {StackName: tags, Tags: [{Team: a}]}\nResources: {Q: {Type: AWS::SQS::Queue}}\n';
  const tagged = async (tags: { Key: string; Value: string }[]) => (await print(yaml, '1', { tags })).compiled.tags;

  it('adds valid tags after the stack own ones', async () => {
    expect((await tagged([{ Key: 'owner', Value: 'me@example.org' }])).map((t) => `${t.Key}=${t.Value}`)).toEqual([
      'Team=a',
      'Name=tags-1',
      'StackName=tags',
      'StackVersion=1',
      'owner=me@example.org',
    ]);
  });

  it.each([
    [{ Key: 'aws:cloudformation:x', Value: 'y' }, 'uses the prefix "aws:"'],
    [{ Key: 'owner', Value: 'a;b' }, 'contains characters AWS does not allow'],
    [{ Key: 'k'.repeat(129), Value: 'v' }, 'longer than 128 characters'],
    [{ Key: 'StackName', Value: 'x' }, 'the stack already has tag StackName ("tags")'],
    [{ Key: 'Team', Value: 'b' }, 'the stack already has tag Team ("a")'],
  ])('refuses %o as SenzaInfo.Tags would be, and keys the stack has', async (tag, text) => {
    const e = await printError(yaml, '1', { tags: [tag] });
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).code).toBe('senza.tag-option-invalid');
    expect(e.message).toContain(text);
  });

  it('refuses a second --tag of one key and more than 50 tags in all', async () => {
    const twice = await printError(yaml, '1', {
      tags: [
        { Key: 'x', Value: '1' },
        { Key: 'x', Value: '2' },
      ],
    });
    expect((twice as UsageError).code).toBe('senza.tag-option-invalid');
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `t${i}`, Value: 'v' }));
    expect(await tagged(many(46))).toHaveLength(50);
    const e = await printError(yaml, '1', { tags: many(47) });
    expect((e as UsageError).code).toBe('senza.tags-too-many');
    expect(e.message).toBe('The stack would have 51 tags; CloudFormation allows at most 50');
  });
});
