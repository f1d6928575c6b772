import { describe, expect, it } from 'vitest';
import { DefinitionError, NotFoundError } from '../../errors.js';
import type { AccountFactsSnapshot } from '../template/account-facts.js';
import type { CfTemplate, JsonObject } from '../template/template-types.js';
import { autoScalingGroup } from './auto-scaling-group.js';
import { emptyTemplate, runComponent, type TestContextOptions } from './test-context.js';

const region = 'eu-central-1';
const facts: Omit<AccountFactsSnapshot, 'region'> = {
  securityGroups: [
    { id: 'sg-111', name: 'app-foo' },
    { id: 'sg-222', name: 'other', tagName: 'tagged' },
  ],
  topics: ['arn:aws:sns:eu-central-1:123456789012:my-operators', 'arn:aws:sns:eu-central-1:123456789012:other'],
  rolePolicies: {
    RoleA: [{ PolicyName: 'pol1', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*' }] } }],
    RoleB: [
      { PolicyName: 'pol2', PolicyDocument: { foo: 'bar' } },
      { PolicyName: 'pol3', PolicyDocument: { baz: 1 } },
    ],
  },
  stackResources: {
    'base-1/ApplicationRole': {
      status: 'CREATE_COMPLETE',
      physicalId: 'base-1-ApplicationRole-XYZ',
      type: 'AWS::IAM::Role',
    },
  },
};

/** A template with the image mapping a configuration component would have written. */
function withImages(resources: CfTemplate['Resources'] = {}): CfTemplate {
  return emptyTemplate({
    Mappings: { Images: { [region]: { foo: 'ami-foo', LatestTaupageImage: 'ami-taupage' } } },
    Resources: resources,
  });
}

const info = { StackName: 'FooStack', StackVersion: 'FooVersion' };

function run(config: JsonObject, options: TestContextOptions = {}, template = withImages()) {
  return runComponent(
    autoScalingGroup,
    { Type: 'Senza::AutoScalingGroup', InstanceType: 't2.micro', Image: 'foo', ...config },
    { name: 'Foo', info, facts, ...options },
    template,
  );
}

function props(template: CfTemplate, id: string): JsonObject {
  return template.Resources[id].Properties as JsonObject;
}

/** The instance settings: the LaunchTemplateData of `<N>LaunchTemplate`. */
function data(template: CfTemplate, id = 'FooLaunchTemplate'): JsonObject {
  return props(template, id).LaunchTemplateData as JsonObject;
}

describe('Senza::AutoScalingGroup: resources', () => {
  it('generates the launch template and the group with defaults', () => {
    const { template } = run({});
    expect(template.Resources.FooLaunchTemplate).toEqual({
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: {
        LaunchTemplateData: {
          InstanceType: 't2.micro',
          ImageId: { 'Fn::FindInMap': ['Images', { Ref: 'AWS::Region' }, 'foo'] },
          EbsOptimized: false,
          MetadataOptions: { HttpTokens: 'optional' },
          NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false }],
        },
      },
    });
    expect(template.Resources.Foo).toEqual({
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      CreationPolicy: { ResourceSignal: { Count: '1', Timeout: 'PT15M' } },
      Properties: {
        LaunchTemplate: {
          LaunchTemplateId: { Ref: 'FooLaunchTemplate' },
          Version: { 'Fn::GetAtt': ['FooLaunchTemplate', 'LatestVersionNumber'] },
        },
        VPCZoneIdentifier: { 'Fn::FindInMap': ['ServerSubnets', { Ref: 'AWS::Region' }, 'Subnets'] },
        Tags: [
          { Key: 'Name', PropagateAtLaunch: true, Value: 'FooStack-FooVersion' },
          { Key: 'StackName', PropagateAtLaunch: true, Value: 'FooStack' },
          { Key: 'StackVersion', PropagateAtLaunch: true, Value: 'FooVersion' },
        ],
        HealthCheckType: 'EC2',
        HealthCheckGracePeriod: 300,
        MinSize: 1,
        MaxSize: 1,
      },
    });
    expect(Object.keys(template.Resources).sort()).toEqual(['Foo', 'FooLaunchTemplate']);
  });

  it('Deviation from senza: no launch configuration, which new AWS accounts cannot create', () => {
    const { template } = run({ IamRoles: ['RoleA'], SecurityGroups: ['app-foo'], UserData: 'x' });
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types).not.toContain('AWS::AutoScaling::LaunchConfiguration');
    expect(types).toContain('AWS::EC2::LaunchTemplate');
    expect('LaunchConfigurationName' in props(template, 'Foo')).toBe(false);
  });

  it('a public IP and the security groups go on the primary network interface', () => {
    const { template } = run({ AssociatePublicIpAddress: true, SecurityGroups: ['app-foo', 'sg-999'] });
    expect(data(template).NetworkInterfaces).toEqual([
      { DeviceIndex: 0, AssociatePublicIpAddress: true, Groups: ['sg-111', 'sg-999'] },
    ]);
    // SecurityGroupIds cannot be combined with network interfaces.
    expect('SecurityGroupIds' in data(template)).toBe(false);
    expect('SecurityGroups' in data(template)).toBe(false);
  });

  it('appends user tags after Name/StackName/StackVersion', () => {
    const { template } = run({ Tags: [{ Key: 'team', Value: 'x' }] });
    expect((props(template, 'Foo').Tags as JsonObject[]).map((t) => t.Key)).toEqual([
      'Name',
      'StackName',
      'StackVersion',
      'team',
    ]);
    expect((props(template, 'Foo').Tags as JsonObject[])[3]).toEqual({
      Key: 'team',
      PropagateAtLaunch: true,
      Value: 'x',
    });
  });

  it('resolves security groups by name and keeps sg- ids', () => {
    const { template, needs } = run({ SecurityGroups: ['app-foo', 'tagged', 'sg-999'] });
    expect((data(template).NetworkInterfaces as JsonObject[])[0].Groups).toEqual(['sg-111', 'sg-222', 'sg-999']);
    expect(needs).toContainEqual({ kind: 'securityGroups', names: ['app-foo', 'tagged'] });
  });

  it('references classic load balancers and target groups, defaulting the health check to ELB', () => {
    const { template } = run({ ElasticLoadBalancer: 'AppLB', ElasticLoadBalancerV2: ['LB1', 'LB2'] });
    const p = props(template, 'Foo');
    expect(p.LoadBalancerNames).toEqual([{ Ref: 'AppLB' }]);
    expect(p.TargetGroupARNs).toEqual([{ Ref: 'LB1TargetGroup' }, { Ref: 'LB2TargetGroup' }]);
    expect(p.HealthCheckType).toBe('ELB');
    const list = run({ ElasticLoadBalancer: ['A', 'B'], HealthCheckType: 'EC2', HealthCheckGracePeriod: 600 });
    expect(props(list.template, 'Foo').LoadBalancerNames).toEqual([{ Ref: 'A' }, { Ref: 'B' }]);
    expect(props(list.template, 'Foo').HealthCheckType).toBe('EC2');
    expect(props(list.template, 'Foo').HealthCheckGracePeriod).toBe(600);
  });

  it('sets the creation policy from SuccessRequires', () => {
    const { template } = run({ AutoScaling: { Minimum: 1, Maximum: 2, SuccessRequires: '2 within 10m' } });
    expect(template.Resources.Foo.CreationPolicy).toEqual({ ResourceSignal: { Count: '2', Timeout: 'PT10M' } });
    expect(() => run({ AutoScaling: { Minimum: 1, Maximum: 2, SuccessRequires: 'soon' } })).toThrow(
      'Unknown ASG success requirement "soon". Use something like "1 within 10m".',
    );
  });

  it('reports a missing InstanceType', () => {
    expect(() => runComponent(autoScalingGroup, { Image: 'foo' }, { name: 'Foo', info, facts }, withImages())).toThrow(
      DefinitionError,
    );
  });
});

describe('Senza::AutoScalingGroup: AutoScaling', () => {
  it('upstream test_component_auto_scaling_group_configurable_properties (+ §7.1 item 5)', () => {
    const { template } = run({
      AutoScaling: {
        Minimum: 2,
        Maximum: 10,
        SuccessRequires: '4 within 30m',
        MetricType: 'CPU',
        Period: 60,
        ScaleUpThreshold: 50,
        ScaleDownThreshold: 20,
        EvaluationPeriods: 1,
        ScalingAdjustment: 1,
        ScaleUpAdjustment: 3,
        Cooldown: 30,
        ScaleDownCooldown: 360,
        Statistic: 'Maximum',
      },
      MetricsCollection: { Granularity: '1Minute' },
    });
    expect(props(template, 'FooScaleUp')).toEqual({
      AdjustmentType: 'ChangeInCapacity',
      ScalingAdjustment: '3',
      Cooldown: '30',
      AutoScalingGroupName: { Ref: 'Foo' },
    });
    expect(props(template, 'FooScaleDown')).toMatchObject({ ScalingAdjustment: '-1', Cooldown: '360' });
    expect(template.Resources.Foo.CreationPolicy).toEqual({ ResourceSignal: { Count: '4', Timeout: 'PT30M' } });
    const asg = props(template, 'Foo');
    expect(asg.HealthCheckType).toBe('EC2');
    expect(asg.MinSize).toBe(2);
    expect(asg.DesiredCapacity).toBe(2);
    expect(asg.MaxSize).toBe(10);
    expect(asg.MetricsCollection).toEqual({ Granularity: '1Minute' });
    expect(props(template, 'FooCPUAlarmHigh').Statistic).toBe('Maximum');
    expect(props(template, 'FooCPUAlarmHigh').EvaluationPeriods).toBe('1');
    expect(props(template, 'FooCPUAlarmLow').Period).toBe('60');
    expect(props(template, 'FooCPUAlarmLow').AlarmDescription).toBe(
      'Scale-down if CPU < 20% for 1.0 minutes (Maximum)',
    );
  });

  it('generates the CPU alarms of Appendix A', () => {
    const { template } = run({
      AutoScaling: { Minimum: 2, Maximum: 4, MetricType: 'CPU', ScaleUpThreshold: 70, ScaleDownThreshold: 40 },
    });
    expect(template.Resources.FooCPUAlarmHigh).toEqual({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        MetricName: 'CPUUtilization',
        Namespace: 'AWS/EC2',
        Period: '300',
        EvaluationPeriods: '2',
        Statistic: 'Average',
        Threshold: 70,
        ComparisonOperator: 'GreaterThanThreshold',
        Dimensions: [{ Name: 'AutoScalingGroupName', Value: { Ref: 'Foo' } }],
        AlarmDescription: 'Scale-up if CPU > 70% for 10.0 minutes (Average)',
        AlarmActions: [{ Ref: 'FooScaleUp' }],
      },
    });
    expect(props(template, 'FooCPUAlarmLow')).toMatchObject({
      Threshold: 40,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [{ Ref: 'FooScaleDown' }],
      AlarmDescription: 'Scale-down if CPU < 40% for 10.0 minutes (Average)',
    });
    expect(props(template, 'FooScaleUp')).toMatchObject({ ScalingAdjustment: '1', Cooldown: '60' });
    expect(props(template, 'FooScaleDown')).toMatchObject({ ScalingAdjustment: '-1', Cooldown: '60' });
    expect(props(template, 'Foo').DesiredCapacity).toBe(2);
  });

  it('only creates the CPU alarms whose thresholds are given; minutes as a Python float', () => {
    const { template } = run({
      AutoScaling: {
        Minimum: 1,
        Maximum: 2,
        MetricType: 'CPU',
        ScaleUpThreshold: 80,
        Period: 90,
        EvaluationPeriods: 1,
      },
    });
    expect(template.Resources.FooCPUAlarmLow).toBeUndefined();
    expect(props(template, 'FooCPUAlarmHigh').AlarmDescription).toBe('Scale-up if CPU > 80% for 1.5 minutes (Average)');
  });

  it('upstream test_component_auto_scaling_group_metric_type (§7.1 item 6)', () => {
    const { template } = run({
      AutoScaling: {
        Minimum: 2,
        Maximum: 10,
        MetricType: 'NetworkIn',
        Period: 60,
        EvaluationPeriods: 10,
        ScaleUpThreshold: '50 TB',
        ScaleDownThreshold: '10',
        Statistic: 'Maximum',
      },
    });
    expect(props(template, 'FooNetworkAlarmHigh')).toEqual({
      MetricName: 'NetworkIn',
      Namespace: 'AWS/EC2',
      Period: '60',
      EvaluationPeriods: '10',
      Statistic: 'Maximum',
      Threshold: '50',
      Unit: 'Terabytes',
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'AutoScalingGroupName', Value: { Ref: 'Foo' } }],
      AlarmDescription: 'Scale-up if NetworkIn > 50 Terabytes for 10.0 minutes (Maximum)',
      AlarmActions: [{ Ref: 'FooScaleUp' }],
    });
    expect(props(template, 'FooNetworkAlarmLow')).toMatchObject({
      MetricName: 'NetworkIn',
      Unit: 'Bytes',
      Threshold: '10',
      Statistic: 'Maximum',
      Period: '60',
      EvaluationPeriods: '10',
      AlarmDescription: 'Scale-down if NetworkIn < 10 Bytes for 10.0 minutes (Maximum)',
    });
  });

  it('requires both thresholds for network metrics', () => {
    expect(() =>
      run({ AutoScaling: { Minimum: 1, Maximum: 2, MetricType: 'NetworkOut', ScaleUpThreshold: 10 } }),
    ).toThrow('ScaleDownThreshold is required for MetricType NetworkOut');
  });

  it('rejects unknown metric types', () => {
    expect(() => run({ AutoScaling: { Minimum: 1, Maximum: 2, MetricType: 'Disk' } })).toThrow(
      'Auto scaling MetricType "Disk" not supported.',
    );
  });

  it('Deviation from senza: MetricType is case-insensitive (lower-case cpu crashed upstream)', () => {
    const { template } = run({ AutoScaling: { Minimum: 1, Maximum: 2, MetricType: 'cpu', ScaleUpThreshold: 70 } });
    expect(props(template, 'FooCPUAlarmHigh').MetricName).toBe('CPUUtilization');
    const network = run({
      AutoScaling: {
        Minimum: 1,
        Maximum: 2,
        MetricType: 'networkout',
        ScaleUpThreshold: '1 GB',
        ScaleDownThreshold: 1,
      },
    });
    expect(props(network.template, 'FooNetworkAlarmHigh').MetricName).toBe('NetworkOut');
  });

  it('keeps the user sizes as written and sets DesiredCapacity to at least Minimum', () => {
    const { template } = run({ AutoScaling: { Minimum: '2', Maximum: '6', DesiredCapacity: 3 } });
    expect(props(template, 'Foo')).toMatchObject({ MinSize: '2', MaxSize: '6', DesiredCapacity: 3 });
  });

  it('Deviation from senza: DesiredCapacity is clamped to Maximum', () => {
    const { template } = run({ AutoScaling: { Minimum: 1, Maximum: 3, DesiredCapacity: 5 } });
    expect(props(template, 'Foo').DesiredCapacity).toBe(3);
  });

  it('upstream test_resource_overrides_autoscaling_policy: user-defined policies are kept', () => {
    const policy = (ref: string, cooldown: string, adjustment: string) => ({
      Type: 'AWS::AutoScaling::ScalingPolicy',
      Properties: {
        AdjustmentType: 'ChangeInCapacity',
        AutoScalingGroupName: { Ref: ref },
        Cooldown: cooldown,
        ScalingAdjustment: adjustment,
      },
    });
    const up = policy('Foo', '180', '2');
    const down = policy('Foo', '90', '-3');
    const { template } = run(
      { AutoScaling: { Minimum: 2, Maximum: 10 } },
      {},
      withImages({ FooScaleUp: structuredClone(up), FooScaleDown: structuredClone(down) }),
    );
    expect(template.Resources.FooScaleUp).toEqual(up);
    expect(template.Resources.FooScaleDown).toEqual(down);

    expect(() =>
      run({ AutoScaling: { Minimum: 2, Maximum: 10 } }, {}, withImages({ FooScaleUp: policy('NotFoo', '180', '2') })),
    ).toThrow('Specified ScalingPolicy FooScaleUp does not reference the autoscaling group Foo');
  });

  it('upstream test_resource_overrides_cpu_alarm: a user alarm with another name survives', () => {
    const userAlarm = { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'CPUUtilization', Threshold: 30 } };
    const { template } = run(
      {
        AutoScaling: {
          Minimum: 2,
          Maximum: 10,
          MetricType: 'NetworkIn',
          Period: 60,
          EvaluationPeriods: 10,
          ScaleUpThreshold: '50 TB',
          ScaleDownThreshold: '10',
          Statistic: 'Maximum',
        },
      },
      {},
      withImages({ FooCPUAlarmLow: structuredClone(userAlarm) }),
    );
    expect(template.Resources.FooCPUAlarmLow).toEqual(userAlarm);
  });
});

describe('Senza::AutoScalingGroup: IamRoles', () => {
  it('one role name → an instance profile', () => {
    const { template, needs } = run({ IamRoles: ['app-foo'] });
    expect(template.Resources.FooInstanceProfile).toEqual({
      Type: 'AWS::IAM::InstanceProfile',
      Properties: { Path: '/', Roles: ['app-foo'] },
    });
    expect(data(template).IamInstanceProfile).toEqual({ Arn: { 'Fn::GetAtt': ['FooInstanceProfile', 'Arn'] } });
    expect(needs.some((n) => n.kind === 'rolePolicies')).toBe(false);
  });

  it('one cross-stack reference → its physical id; another map as written', () => {
    const { template, needs } = run({ IamRoles: [{ Stack: 'base-1', LogicalId: 'ApplicationRole' }] });
    expect(props(template, 'FooInstanceProfile').Roles).toEqual(['base-1-ApplicationRole-XYZ']);
    expect(needs).toContainEqual({ kind: 'stackResource', stack: 'base-1', logicalId: 'ApplicationRole' });
    const ref = run({ IamRoles: [{ Ref: 'MyRole' }] });
    expect(props(ref.template, 'FooInstanceProfile').Roles).toEqual([{ Ref: 'MyRole' }]);
  });

  it('several role names → a new role merging their inline policies', () => {
    const { template, needs } = run({ IamRoles: ['RoleA', 'RoleB'] });
    expect(needs).toContainEqual({ kind: 'rolePolicies', roles: ['RoleA', 'RoleB'] });
    expect(template.Resources.FooRole).toEqual({
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
        },
        Path: '/',
        Policies: [
          { PolicyName: 'pol1', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*' }] } },
          { PolicyName: 'pol2', PolicyDocument: { foo: 'bar' } },
          { PolicyName: 'pol3', PolicyDocument: { baz: 1 } },
        ],
      },
    });
    expect(props(template, 'FooInstanceProfile').Roles).toEqual([{ Ref: 'FooRole' }]);
  });

  it('refuses to merge references', () => {
    expect(() => run({ IamRoles: ['RoleA', { Ref: 'X' }] })).toThrow(
      'Cannot merge policies of Cloud Formation references ({"Ref": ".."}): You can use at most one IAM role with "Ref".',
    );
  });

  it('Deviation from senza: a bare role name is one role (upstream iterated its characters)', () => {
    const { template } = run({ IamRoles: 'app-foo' });
    expect(props(template, 'FooInstanceProfile').Roles).toEqual(['app-foo']);
    expect(template.Resources.FooRole).toBeUndefined();
  });
});

describe('Senza::AutoScalingGroup: notifications', () => {
  const notification = (arn: string) => ({
    NotificationTypes: [
      'autoscaling:EC2_INSTANCE_LAUNCH',
      'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
      'autoscaling:EC2_INSTANCE_TERMINATE',
      'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
    ],
    TopicARN: arn,
  });

  it('resolves an OperatorTopicId name to the topic ARN', () => {
    const { template, needs } = run({}, { info: { ...info, OperatorTopicId: 'my-operators' } });
    expect(needs).toContainEqual({ kind: 'topics' });
    expect(props(template, 'Foo').NotificationConfiguration).toEqual(
      notification('arn:aws:sns:eu-central-1:123456789012:my-operators'),
    );
  });

  it('uses an ARN as is, without listing topics', () => {
    const arn = 'arn:aws:sns:eu-west-1:1:elsewhere';
    const { template, needs } = run({}, { info: { ...info, OperatorTopicId: arn } });
    expect(needs.some((n) => n.kind === 'topics')).toBe(false);
    expect(props(template, 'Foo').NotificationConfiguration).toEqual(notification(arn));
  });

  it('fails when the topic does not exist', () => {
    expect(() => run({}, { info: { ...info, OperatorTopicId: 'nope' } })).toThrow(NotFoundError);
    expect(() => run({}, { info: { ...info, OperatorTopicId: 'nope' } })).toThrow('SNS topic "nope" does not exist');
  });
});

describe('Senza::AutoScalingGroup: property overrides', () => {
  it('replaces generated properties and allows the additional ones', () => {
    const { template } = run({
      ImageId: 'ami-x',
      SpotPrice: 0.25,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvdk' }],
      HealthCheckType: 'EC2',
      ElasticLoadBalancer: 'LB',
      AutoScaling: { Minimum: 1, Maximum: 3 },
      MaxSize: 7,
      TerminationPolicies: ['OldestInstance'],
    });
    const lt = data(template);
    expect(lt.ImageId).toBe('ami-x');
    expect(lt.InstanceMarketOptions).toEqual({ MarketType: 'spot', SpotOptions: { MaxPrice: '0.25' } });
    expect(lt.BlockDeviceMappings).toEqual([{ DeviceName: '/dev/xvdk' }]);
    const asg = props(template, 'Foo');
    expect(asg.HealthCheckType).toBe('EC2');
    expect(asg.MaxSize).toBe(7);
    expect(asg.TerminationPolicies).toEqual(['OldestInstance']);
  });

  it('does not override SecurityGroups, Tags or MetadataOptions, nor add unknown properties', () => {
    const { template } = run({ MetadataOptions: { HttpTokens: 'required' }, Tags: [{ Key: 'k', Value: 'v' }], Foo: 1 });
    expect(data(template).MetadataOptions).toEqual({ HttpTokens: 'optional' });
    expect(props(template, 'Foo').Tags).toHaveLength(4);
    expect('Foo' in props(template, 'Foo')).toBe(false);
    expect('DesiredCapacity' in props(template, 'Foo')).toBe(false);
  });

  it('Deviation from senza: a UserData string is wrapped in Fn::Base64 (upstream left it raw)', () => {
    const { template } = run({ UserData: '#!/bin/sh\necho hi\n' });
    expect(data(template).UserData).toEqual({ 'Fn::Base64': '#!/bin/sh\necho hi\n' });
  });

  it('a UserData map is used as written', () => {
    const userData = { 'Fn::Base64': { 'Fn::Join': ['', ['a', { Ref: 'X' }]] } };
    const { template } = run({ UserData: userData });
    expect(data(template).UserData).toEqual(userData);
  });
});

describe('Senza::AutoScalingGroup: launch configuration settings in a launch template', () => {
  it('translates the instance profile, monitoring and block devices', () => {
    const byName = run({
      IamInstanceProfile: 'my-profile',
      InstanceMonitoring: true,
      BlockDeviceMappings: [
        { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: 'gp3' } },
        { DeviceName: '/dev/xvdb', NoDevice: true },
      ],
    });
    expect(data(byName.template).IamInstanceProfile).toEqual({ Name: 'my-profile' });
    expect(data(byName.template).Monitoring).toEqual({ Enabled: true });
    expect(data(byName.template).BlockDeviceMappings).toEqual([
      { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: 'gp3' } },
      { DeviceName: '/dev/xvdb', NoDevice: '' },
    ]);
    const byArn = run({ IamInstanceProfile: 'arn:aws:iam::123456789012:instance-profile/p' });
    expect(data(byArn.template).IamInstanceProfile).toEqual({ Arn: 'arn:aws:iam::123456789012:instance-profile/p' });
    const byRef = run({ IamInstanceProfile: { Ref: 'Profile' } });
    expect(data(byRef.template).IamInstanceProfile).toEqual({ Name: { Ref: 'Profile' } });
  });

  it('the group cannot be pointed elsewhere by a component key', () => {
    const { template } = run({ LaunchTemplate: { LaunchTemplateId: 'lt-other' } });
    expect((props(template, 'Foo').LaunchTemplate as JsonObject).LaunchTemplateId).toEqual({
      Ref: 'FooLaunchTemplate',
    });
  });
});

describe('Senza::AutoScalingGroup: images', () => {
  it('reports a missing Taupage AMI with what was looked up (deviation for #230)', () => {
    const template = emptyTemplate({ Mappings: { Images: { [region]: {} } } });
    try {
      run({ Image: 'LatestTaupageImage' }, {}, template);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NotFoundError);
      expect((e as Error).message).toBe('No Taupage AMI found (looked up Taupage-AMI-* in region eu-central-1)');
      expect((e as NotFoundError).hint).toBeTruthy();
    }
  });

  it('reports an unknown image key with the available ones', () => {
    try {
      run({ Image: 'Nope' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DefinitionError);
      const err = e as DefinitionError;
      expect(err.reason).toBe('Image "Nope" is not defined in Mappings.Images for region eu-central-1');
      expect(err.hint).toBe('Available images: foo, LatestTaupageImage.');
      expect(err.location.path).toEqual(['SenzaComponents', 0, 'Foo', 'Image']);
    }
  });

  it('does not need the mapping when ImageId is set', () => {
    const { template } = run({ Image: 'Nope', ImageId: 'ami-123' }, {}, emptyTemplate());
    expect(data(template).ImageId).toBe('ami-123');
  });
});
