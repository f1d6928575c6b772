import { describe, expect, it } from 'vitest';
import { DefinitionError, NotFoundError } from '../../errors.js';
import type { AccountFactsSnapshot } from '../template/account-facts.js';
import type { CfTemplate, JsonObject } from '../template/template-types.js';
import { stupsAutoConfiguration } from './stups-auto-configuration.js';
import { taupageAutoScalingGroup } from './taupage-auto-scaling-group.js';
import { emptyTemplate, runComponent, type TestContextOptions } from './test-context.js';

const region = 'eu-central-1';

/** The account of Appendix A. */
const accountA: Omit<AccountFactsSnapshot, 'region'> = {
  vpcs: [{ id: 'vpc-1', isDefault: true }],
  subnets: [
    { id: 'subnet-int-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', name: 'internal-eu-central-1a' },
    { id: 'subnet-int-b', vpcId: 'vpc-1', availabilityZone: 'eu-central-1b', name: 'internal-eu-central-1b' },
    { id: 'subnet-dmz-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', name: 'dmz-eu-central-1a' },
    { id: 'subnet-dmz-b', vpcId: 'vpc-1', availabilityZone: 'eu-central-1b', name: 'dmz-eu-central-1b' },
    { id: 'subnet-nat-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', name: 'nat-eu-central-1a' },
  ],
  taupageImages: { production: 'ami-taupage1' },
  securityGroups: [{ id: 'sg-app', name: 'app-hello-world' }],
  stackResources: {
    'base-1/ApplicationRole': {
      status: 'CREATE_COMPLETE',
      physicalId: 'base-1-ApplicationRole-XYZ',
      type: 'AWS::IAM::Role',
    },
  },
  topics: ['arn:aws:sns:eu-central-1:123456789012:my-operators'],
  natGateways: [{ id: 'nat-1', subnetId: 'subnet-nat-a', privateIp: '10.0.0.5' }],
};

function props(template: CfTemplate, id: string): JsonObject {
  return template.Resources[id].Properties as JsonObject;
}

describe('Senza::TaupageAutoScalingGroup: Appendix A', () => {
  const info = {
    StackName: 'hello-world',
    StackVersion: '7',
    OperatorTopicId: 'my-operators',
    Parameters: [
      { ImageVersion: { Description: 'Docker image version of hello-world.' } },
      { Stage: { Description: 'Stage', Default: 'test', AllowedValues: ['test', 'live'] } },
    ],
  };
  const options: TestContextOptions = {
    info,
    facts: accountA,
    args: { region, version: '7', ImageVersion: '1.0', Stage: 'test' },
  };
  const template = emptyTemplate();
  runComponent(stupsAutoConfiguration, {}, { ...options, name: 'Configuration' }, template);
  const { needs } = runComponent(
    taupageAutoScalingGroup,
    {
      Type: 'Senza::TaupageAutoScalingGroup',
      InstanceType: 't2.micro',
      SecurityGroups: ['app-hello-world'],
      IamRoles: [{ Stack: 'base-1', LogicalId: 'ApplicationRole' }],
      ElasticLoadBalancer: 'AppLoadBalancer',
      AssociatePublicIpAddress: false,
      AutoScaling: {
        Minimum: 2,
        Maximum: 4,
        MetricType: 'CPU',
        ScaleUpThreshold: 70,
        ScaleDownThreshold: 40,
        SuccessRequires: '2 within 10m',
      },
      TaupageConfig: {
        runtime: 'Docker',
        source: 'stups/hello-world:1.0',
        health_check_path: '/',
        ports: { '8080': 8080 },
        environment: { STAGE: 'test', REGION: 'eu-central-1' },
      },
    },
    { ...options, name: 'AppServer' },
    template,
  );

  it('declares the facts it reads', () => {
    expect(needs).toEqual([
      { kind: 'securityGroups', names: ['app-hello-world'] },
      { kind: 'stackResource', stack: 'base-1', logicalId: 'ApplicationRole' },
      { kind: 'topics' },
      { kind: 'natGateways' },
    ]);
  });

  it('configuration: description, parameters, mappings', () => {
    expect(template.Description).toBe('Hello World (ImageVersion: 1.0, Stage: test)');
    expect(template.Parameters).toEqual({
      ImageVersion: { Type: 'String', Description: 'Docker image version of hello-world.' },
      Stage: { Type: 'String', Description: 'Stage', Default: 'test', AllowedValues: ['test', 'live'] },
    });
    expect(template.Mappings).toEqual({
      Images: { [region]: { LatestTaupageImage: 'ami-taupage1' } },
      ServerSubnets: { [region]: { Subnets: ['subnet-int-a', 'subnet-int-b'] } },
      LoadBalancerSubnets: { [region]: { Subnets: ['subnet-dmz-a', 'subnet-dmz-b'] } },
      LoadBalancerInternalSubnets: { [region]: { Subnets: ['subnet-int-a', 'subnet-int-b'] } },
    });
  });

  it('the auto scaling group', () => {
    expect(template.Resources.AppServer).toEqual({
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      CreationPolicy: { ResourceSignal: { Count: '2', Timeout: 'PT10M' } },
      Properties: {
        LaunchTemplate: {
          LaunchTemplateId: { Ref: 'AppServerLaunchTemplate' },
          Version: { 'Fn::GetAtt': ['AppServerLaunchTemplate', 'LatestVersionNumber'] },
        },
        VPCZoneIdentifier: { 'Fn::FindInMap': ['ServerSubnets', { Ref: 'AWS::Region' }, 'Subnets'] },
        Tags: [
          { Key: 'Name', PropagateAtLaunch: true, Value: 'hello-world-7' },
          { Key: 'StackName', PropagateAtLaunch: true, Value: 'hello-world' },
          { Key: 'StackVersion', PropagateAtLaunch: true, Value: '7' },
        ],
        NotificationConfiguration: {
          NotificationTypes: [
            'autoscaling:EC2_INSTANCE_LAUNCH',
            'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
            'autoscaling:EC2_INSTANCE_TERMINATE',
            'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
          ],
          TopicARN: 'arn:aws:sns:eu-central-1:123456789012:my-operators',
        },
        LoadBalancerNames: [{ Ref: 'AppLoadBalancer' }],
        HealthCheckType: 'ELB',
        HealthCheckGracePeriod: 300,
        MaxSize: 4,
        MinSize: 2,
        DesiredCapacity: 2,
      },
    });
  });

  it('the launch template with the Taupage user data', () => {
    expect(template.Resources.AppServerLaunchTemplate).toEqual({
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: {
        LaunchTemplateData: {
          InstanceType: 't2.micro',
          ImageId: { 'Fn::FindInMap': ['Images', { Ref: 'AWS::Region' }, 'LatestTaupageImage'] },
          EbsOptimized: false,
          MetadataOptions: { HttpTokens: 'optional' },
          IamInstanceProfile: { Arn: { 'Fn::GetAtt': ['AppServerInstanceProfile', 'Arn'] } },
          NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false, Groups: ['sg-app'] }],
          UserData: {
            'Fn::Base64':
              "#taupage-ami-config\napplication_id: hello-world\napplication_version: '7'\nenvironment:\n  REGION: eu-central-1\n  STAGE: test\nhealth_check_path: /\nnotify_cfn:\n  resource: AppServer\n  stack: hello-world-7\nports:\n  8080: 8080\nruntime: Docker\nsource: stups/hello-world:1.0\n",
          },
        },
      },
    });
  });

  it('instance profile, scaling policies and alarms', () => {
    expect(template.Resources.AppServerInstanceProfile).toEqual({
      Type: 'AWS::IAM::InstanceProfile',
      Properties: { Path: '/', Roles: ['base-1-ApplicationRole-XYZ'] },
    });
    expect(props(template, 'AppServerScaleUp')).toEqual({
      AdjustmentType: 'ChangeInCapacity',
      ScalingAdjustment: '1',
      Cooldown: '60',
      AutoScalingGroupName: { Ref: 'AppServer' },
    });
    expect(props(template, 'AppServerScaleDown')).toMatchObject({ ScalingAdjustment: '-1', Cooldown: '60' });
    expect(props(template, 'AppServerCPUAlarmHigh')).toMatchObject({
      Threshold: 70,
      Period: '300',
      EvaluationPeriods: '2',
      AlarmDescription: 'Scale-up if CPU > 70% for 10.0 minutes (Average)',
    });
    expect(props(template, 'AppServerCPUAlarmLow').Threshold).toBe(40);
    expect(Object.keys(template.Resources).sort()).toEqual([
      'AppServer',
      'AppServerCPUAlarmHigh',
      'AppServerCPUAlarmLow',
      'AppServerInstanceProfile',
      'AppServerLaunchTemplate',
      'AppServerScaleDown',
      'AppServerScaleUp',
    ]);
  });
});

/** A template with the mappings of the default STUPS VPC. */
function configured(server = ['subnet-int-a'], internal = server): CfTemplate {
  return emptyTemplate({
    Mappings: {
      Images: { [region]: { LatestTaupageImage: 'ami-taupage1' } },
      ServerSubnets: { [region]: { Subnets: server } },
      LoadBalancerInternalSubnets: { [region]: { Subnets: internal } },
    },
  });
}

function run(config: JsonObject, options: TestContextOptions = {}, template = configured()) {
  return runComponent(
    taupageAutoScalingGroup,
    { InstanceType: 't2.micro', ...config },
    { name: 'AppServer', info: { StackName: 'test', StackVersion: '123' }, facts: accountA, ...options },
    template,
  );
}

function userData(template: CfTemplate): unknown {
  return (launchTemplateData(template).UserData as JsonObject)['Fn::Base64'];
}

function launchTemplateData(template: CfTemplate): JsonObject {
  return props(template, 'AppServerLaunchTemplate').LaunchTemplateData as JsonObject;
}

describe('Senza::TaupageAutoScalingGroup: user data', () => {
  it('test_print_taupage_config_without_ref golden', () => {
    const { template } = run({
      TaupageConfig: {
        runtime: 'Docker',
        source: 'foo/bar',
        ports: { '80': 80 },
        mint_bucket: 'zalando-mint-bucket',
        environment: { ENV1: 'v1', ENV2: 'v2' },
      },
    });
    expect(userData(template)).toBe(
      "#taupage-ami-config\napplication_id: test\napplication_version: '123'\nenvironment:\n  ENV1: v1\n  ENV2: v2\nmint_bucket: zalando-mint-bucket\nnotify_cfn:\n  resource: AppServer\n  stack: test-123\nports:\n  80: 80\nruntime: Docker\nsource: foo/bar\n",
    );
  });

  it('§7.1 item 3: rendered parameter values end up in the user data', () => {
    const { template } = run({
      TaupageConfig: {
        runtime: 'Docker',
        source: 'foo/bar:1.0-SNAPSHOT',
        environment: { DefParam: 'DefValue', ExtraParam: 'extra value' },
      },
    });
    expect(userData(template)).toContain('DefParam: DefValue\n');
    expect(userData(template)).toContain('ExtraParam: extra value\n');
  });

  it('Appendix B: a Ref in the environment splits the user data into Fn::Join', () => {
    const { template } = run(
      {
        ElasticLoadBalancerV2: 'AppLoadBalancer',
        TaupageConfig: { runtime: 'Docker', source: 'stups/shop:2.0', environment: { BUCKET: { Ref: 'Bucket' } } },
      },
      { info: { StackName: 'shop', StackVersion: 'v3' } },
    );
    expect(userData(template)).toEqual({
      'Fn::Join': [
        '',
        [
          '#taupage-ami-config\napplication_id: shop\napplication_version: v3\nenvironment:\n  BUCKET: ',
          { Ref: 'Bucket' },
          '\nnotify_cfn:\n  resource: AppServer\n  stack: shop-v3\nruntime: Docker\nsource: stups/shop:2.0\n',
        ],
      ],
    });
    expect(props(template, 'AppServer')).toMatchObject({
      TargetGroupARNs: [{ Ref: 'AppLoadBalancerTargetGroup' }],
      HealthCheckType: 'ELB',
      MinSize: 1,
      MaxSize: 1,
    });
    expect('DesiredCapacity' in props(template, 'AppServer')).toBe(false);
  });

  it('keeps explicit notify_cfn, application_id and application_version', () => {
    const { template } = run({
      TaupageConfig: {
        runtime: 'Docker',
        source: 'team/app:1',
        application_id: 'my-app',
        application_version: '1.2.3',
        notify_cfn: { stack: 'x', resource: 'y' },
      },
    });
    expect(userData(template)).toBe(
      '#taupage-ami-config\napplication_id: my-app\napplication_version: 1.2.3\nnotify_cfn:\n  resource: y\n  stack: x\nruntime: Docker\nsource: team/app:1\n',
    );
  });

  it('resolves {Stack, Output} in TaupageConfig and declares it', () => {
    const { template, needs } = run(
      { TaupageConfig: { runtime: 'Docker', source: 'team/app:1', mint_bucket: { Stack: 'base-1', Output: 'Mint' } } },
      {
        facts: { ...accountA, stacks: { 'base-1': { status: 'CREATE_COMPLETE', outputs: { Mint: 'the-mint' } } } },
      },
    );
    expect(needs).toContainEqual({ kind: 'stackOutputs', stack: 'base-1' });
    expect(userData(template)).toContain('mint_bucket: the-mint\n');
  });

  it('replaces a user UserData with the Taupage one', () => {
    const { template } = run({ UserData: 'raw', TaupageConfig: { runtime: 'Docker', source: 'team/app:1' } });
    expect(typeof userData(template)).toBe('string');
    expect(userData(template)).toMatch(/^#taupage-ami-config\n/);
  });

  it('does not mutate the configuration', () => {
    const config = { TaupageConfig: { runtime: 'Docker', source: 'team/app:1' } };
    run(config);
    expect(config).toEqual({ TaupageConfig: { runtime: 'Docker', source: 'team/app:1' } });
  });
});

describe('Senza::TaupageAutoScalingGroup: images', () => {
  it('defaults Image to LatestTaupageImage', () => {
    const { template } = run({ TaupageConfig: { runtime: 'Docker', source: 'team/app:1' } });
    expect(launchTemplateData(template).ImageId).toEqual({
      'Fn::FindInMap': ['Images', { Ref: 'AWS::Region' }, 'LatestTaupageImage'],
    });
  });

  it('uses another image of the mapping', () => {
    const template = configured();
    (template.Mappings.Images[region] as JsonObject).LatestTaupageStagingImage = 'ami-s';
    run(
      { Image: 'LatestTaupageStagingImage', TaupageConfig: { runtime: 'Docker', source: 'team/app:1' } },
      {},
      template,
    );
    expect((launchTemplateData(template).ImageId as JsonObject)['Fn::FindInMap']).toContain(
      'LatestTaupageStagingImage',
    );
  });

  it('Deviation from senza (#230): the missing Taupage AMI is reported by the group that uses it', () => {
    const template = emptyTemplate();
    runComponent(stupsAutoConfiguration, {}, { facts: { ...accountA, taupageImages: {} } }, template);
    const use = () => run({ TaupageConfig: { runtime: 'Docker', source: 'team/app:1' } }, {}, template);
    expect(use).toThrow(NotFoundError);
    expect(use).toThrow('No Taupage AMI found (looked up Taupage-AMI-* in region eu-central-1)');
    const staging = () =>
      run({ Image: 'LatestTaupageStagingImage', TaupageConfig: { runtime: 'Docker', source: 'a/b' } }, {}, template);
    expect(staging).toThrow('No Taupage AMI found (looked up TaupageStaging-AMI-* in region eu-central-1)');
  });
});

describe('Senza::TaupageAutoScalingGroup: validation', () => {
  const expectError = (config: JsonObject, reason: string, key: string[], info?: TestContextOptions['info']) => {
    try {
      run(config, info ? { info } : {});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DefinitionError);
      const err = e as DefinitionError;
      expect(err.reason).toBe(reason);
      expect(err.hint).toBeTruthy();
      expect(err.location.path).toEqual(['SenzaComponents', 0, 'AppServer', ...key]);
    }
  };

  it('requires TaupageConfig', () => {
    expectError({}, 'TaupageConfig must be specified (a map)', ['TaupageConfig']);
  });

  it('checks the application id', () => {
    expectError(
      { TaupageConfig: { runtime: 'Docker', source: 'a/b' } },
      'Application id must satisfy regular expression pattern "^[a-z][a-z0-9-]*[a-z0-9]$"',
      ['TaupageConfig', 'application_id'],
      { StackName: 'Bad_Name', StackVersion: '1' },
    );
  });

  it('checks the application version', () => {
    expectError(
      { TaupageConfig: { runtime: 'Docker', source: 'a/b', application_version: '1.0-' } },
      'Application version must satisfy regular expression pattern "^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$"',
      ['TaupageConfig', 'application_version'],
    );
  });

  it('requires the Docker runtime', () => {
    expectError({ TaupageConfig: { source: 'a/b' } }, 'Taupage only supports the "Docker" runtime currently', [
      'TaupageConfig',
      'runtime',
    ]);
  });

  it('requires a source', () => {
    expectError({ TaupageConfig: { runtime: 'Docker' } }, 'The "source" property of TaupageConfig must be specified', [
      'TaupageConfig',
      'source',
    ]);
  });

  it('requires a [REGISTRY/]TEAM/ARTIFACT:TAG source', () => {
    expectError(
      { TaupageConfig: { runtime: 'Docker', source: 'app:1' } },
      'Invalid docker image "app:1" (format must be [REGISTRY/]TEAM/ARTIFACT:TAG)',
      ['TaupageConfig', 'source'],
    );
  });
});

describe('Senza::TaupageAutoScalingGroup: NAT gateways', () => {
  const facts = {
    ...accountA,
    natGateways: [
      { id: 'nat-1', subnetId: 'subnet-a', privateIp: '10.0.1.5' },
      { id: 'nat-2', subnetId: 'subnet-b', privateIp: '10.0.2.5' },
      { id: 'nat-3', subnetId: 'subnet-elsewhere', privateIp: '10.0.3.5' },
      { id: 'nat-4', subnetId: 'subnet-a' },
    ],
  };
  const taupage = { runtime: 'Docker', source: 'team/app:1' };

  it('adds the NAT gateways of the server subnets when they are also the internal LB subnets', () => {
    const { template } = run({ TaupageConfig: taupage }, { facts }, configured(['subnet-a', 'subnet-b']));
    expect(userData(template)).toContain('nat_gateways:\n  subnet-a: 10.0.1.5\n  subnet-b: 10.0.2.5\n');
  });

  it('not with a public IP', () => {
    const { template, needs } = run(
      { TaupageConfig: taupage, AssociatePublicIpAddress: true },
      { facts },
      configured(['subnet-a', 'subnet-b']),
    );
    expect(needs.some((n) => n.kind === 'natGateways')).toBe(false);
    expect(userData(template)).not.toContain('nat_gateways');
  });

  it('not when server and internal load balancer subnets differ', () => {
    const { template } = run({ TaupageConfig: taupage }, { facts }, configured(['subnet-a'], ['subnet-b']));
    expect(userData(template)).not.toContain('nat_gateways');
  });

  it('not without server subnets', () => {
    const { template } = run({ TaupageConfig: taupage }, { facts }, configured([], []));
    expect(userData(template)).not.toContain('nat_gateways');
  });
});
