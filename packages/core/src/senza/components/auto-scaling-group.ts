import { NotFoundError } from '../../errors.js';
import type { AccountFacts, FactNeed } from '../template/account-facts.js';
import { type CfTemplate, isObject, type Json, type JsonObject } from '../template/template-types.js';
import { applyAutoScaling, normalizeAsgSuccess } from './auto-scaling.js';
import { type ComponentContext, type ComponentType, configError, type NeedsContext } from './component.js';
import { asCrossStackRef, crossStackNeed, resolveCrossStackRef } from './cross-stack.js';
import { ec2AssumeRolePolicy, mergedPolicies } from './iam-role.js';
import { launchTemplateData } from './launch-template-data.js';
import { resolveSecurityGroups, securityGroupNeeds } from './security-groups.js';
import { TAUPAGE_CHANNELS } from './stups-auto-configuration.js';

/** Properties Senza computes itself; a component key of the same name does not replace them. */
const SENZA_PROPERTIES = new Set(['SecurityGroups', 'Tags', 'MetadataOptions']);

/** CloudFormation properties Senza does not generate but lets the component set. */
const ADDITIONAL_PROPERTIES = {
  /** Instance settings, named as the original's launch configuration names them (see launch-template-data.ts). */
  instance: ['BlockDeviceMappings', 'IamInstanceProfile', 'SpotPrice', 'InstanceMonitoring'],
  group: ['MetricsCollection', 'TargetGroupARNs', 'TerminationPolicies', 'PlacementGroup'],
};

const NOTIFICATION_TYPES = [
  'autoscaling:EC2_INSTANCE_LAUNCH',
  'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
  'autoscaling:EC2_INSTANCE_TERMINATE',
  'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
];

/** `IamRoles` as a list; a single name or map counts as a one-entry list. */
function iamRoleEntries(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  // Deviation from senza: a bare string (`IamRoles: my-role`) was iterated character by character
  // by the original; it is one role here, like a one-entry list.
  return Array.isArray(value) ? value : [value];
}

/** An SNS topic name or ARN → the topic ARN (the ARN of the account's topic ending with `:<name>`). */
export function resolveTopicArn(topic: string, facts: AccountFacts): string {
  if (topic.startsWith('arn:')) return topic;
  // Like the original, the last matching topic wins.
  const arn = facts
    .topics()
    .filter((t) => t.endsWith(`:${topic}`))
    .at(-1);
  if (arn === undefined) {
    throw new NotFoundError(`SNS topic "${topic}" does not exist`, {
      code: 'aws.sns-topic-missing',
      hint: `Create the topic in region ${facts.region}, or set SenzaInfo.OperatorTopicId to an existing topic name or ARN.`,
      data: { topic, region: facts.region },
    });
  }
  return arn;
}

/** Facts the plain auto scaling group reads (Taupage adds its own). */
export function autoScalingGroupNeeds(config: JsonObject, ctx: NeedsContext): FactNeed[] {
  const needs: FactNeed[] = [...securityGroupNeeds(config.SecurityGroups)];
  const roles = iamRoleEntries(config.IamRoles);
  if (roles.length === 1) {
    const ref = asCrossStackRef(roles[0]);
    if (ref) needs.push(crossStackNeed(ref));
  } else if (roles.length > 1 && roles.every((r) => typeof r === 'string')) {
    needs.push({ kind: 'rolePolicies', roles: roles as string[] });
  }
  const topic = ctx.info.OperatorTopicId;
  if (typeof topic === 'string' && !topic.startsWith('arn:')) needs.push({ kind: 'topics' });
  return needs;
}

/** `<N>InstanceProfile` (and `<N>Role` when several roles are merged); returns the profile's logical id. */
function addInstanceProfile(template: CfTemplate, roles: Json[], ctx: ComponentContext): string {
  const profileId = `${ctx.name}InstanceProfile`;
  let profileRoles: Json[];
  if (roles.length > 1) {
    if (roles.some((r) => typeof r !== 'string')) {
      throw configError(
        ctx,
        'IamRoles',
        'Cannot merge policies of Cloud Formation references ({"Ref": ".."}): You can use at most one IAM role with "Ref".',
        'List only role names to merge their policies, or use a single reference.',
      );
    }
    const roleId = `${ctx.name}Role`;
    template.Resources[roleId] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: ec2AssumeRolePolicy(),
        Path: '/',
        Policies: mergedPolicies(roles as string[], ctx.facts),
      },
    };
    profileRoles = [{ Ref: roleId }];
  } else {
    const ref = asCrossStackRef(roles[0]);
    profileRoles = [ref ? resolveCrossStackRef(ref, ctx.facts) : roles[0]];
  }
  template.Resources[profileId] = {
    Type: 'AWS::IAM::InstanceProfile',
    Properties: { Path: '/', Roles: profileRoles },
  };
  return profileId;
}

function loadBalancerRefs(value: Json | undefined, suffix: string): Json[] | undefined {
  if (typeof value === 'string') return [{ Ref: value + suffix }];
  if (Array.isArray(value))
    return value.map((name) => ({ Ref: `${typeof name === 'string' ? name : JSON.stringify(name)}${suffix}` }));
  return undefined;
}

function requireString(config: JsonObject, key: string, ctx: ComponentContext, hint: string): string {
  const value = config[key];
  if (typeof value !== 'string' || value === '') {
    throw configError(ctx, key, `${key} is required for ${String(config.Type ?? 'an auto scaling group')}`, hint);
  }
  return value;
}

/**
 * Deviation from senza: the original emitted the Fn::FindInMap whatever the key, and CloudFormation
 * rejected the template later; an image key missing from `Mappings.Images.<region>` is reported here.
 * Missing Taupage channels come from StupsAutoConfiguration leaving them out (issue #230, see there),
 * so they are reported as the missing AMI the original would have complained about.
 */
function checkImage(template: CfTemplate, image: string, ctx: ComponentContext): void {
  const images = template.Mappings?.Images?.[ctx.region];
  if (isObject(images) && image in images) return;
  const channel = TAUPAGE_CHANNELS.find((c) => c.mapping === image);
  if (channel) {
    throw new NotFoundError(`No Taupage AMI found (looked up ${channel.pattern} in region ${ctx.region})`, {
      code: 'aws.taupage-ami-missing',
      hint: 'Deploy to a region that has Taupage AMIs, or set Image to a key of Mappings.Images (or ImageId to an AMI id).',
      data: { image, pattern: channel.pattern, region: ctx.region },
    });
  }
  const available = isObject(images) ? Object.keys(images) : [];
  throw configError(
    ctx,
    'Image',
    `Image "${image}" is not defined in Mappings.Images for region ${ctx.region}`,
    available.length > 0
      ? `Available images: ${available.join(', ')}.`
      : 'Define it with a Senza::Configuration component (Images: {<name>: {<region>: <ami>}}), or set ImageId to an AMI id.',
  );
}

/**
 * The launch template `<N>LaunchTemplate`, the auto scaling group `<N>` and what they need (instance
 * profile, scaling policies, alarms). Returns the launch template's `LaunchTemplateData`.
 *
 * Deviation from senza: the original made a launch configuration `<N>Config`, which new AWS accounts
 * cannot create (see launch-template-data.ts). The launch template has another logical id because
 * CloudFormation does not change the type of a resource in place: an update of a stack made with a
 * launch configuration adds the template, points the group at it (an update without interruption:
 * running instances are not replaced, as the group has no UpdatePolicy) and then deletes the launch
 * configuration.
 */
export function applyAutoScalingGroup(template: CfTemplate, config: JsonObject, ctx: ComponentContext): JsonObject {
  const name = ctx.name;
  const launchTemplateName = `${name}LaunchTemplate`;
  const instanceType = requireString(config, 'InstanceType', ctx, 'e.g. InstanceType: t3.micro');
  const image = requireString(config, 'Image', ctx, 'The key of the image in Mappings.Images, e.g. LatestTaupageImage');

  const settings: JsonObject = {
    InstanceType: instanceType,
    ImageId: { 'Fn::FindInMap': ['Images', { Ref: 'AWS::Region' }, image] },
    AssociatePublicIpAddress: config.AssociatePublicIpAddress ?? false,
    EbsOptimized: config.EbsOptimized ?? false,
    // Kept optional so that instances can still use IMDSv1; not overridable.
    MetadataOptions: { HttpTokens: 'optional' },
  };
  // Its LaunchTemplateData is written below, once the settings are complete.
  const launchTemplateProps: JsonObject = {};
  template.Resources[launchTemplateName] = { Type: 'AWS::EC2::LaunchTemplate', Properties: launchTemplateProps };

  if ('IamRoles' in config) {
    const roles = iamRoleEntries(config.IamRoles);
    if (roles.length === 0) {
      throw configError(ctx, 'IamRoles', 'IamRoles must name at least one IAM role', 'e.g. IamRoles: [app-my-app]');
    }
    settings.IamInstanceProfile = { Arn: { 'Fn::GetAtt': [addInstanceProfile(template, roles, ctx), 'Arn'] } };
  }
  if ('SecurityGroups' in config) {
    settings.SecurityGroups = resolveSecurityGroups(config.SecurityGroups, ctx);
  }
  if ('UserData' in config) {
    // Deviation from senza: the original wrapped UserData in Fn::Base64 and then let the property
    // override below replace the wrapper with the raw value, so a plain string reached CloudFormation
    // unencoded. A string is wrapped; a map (e.g. {Fn::Base64: ...}) is used as written.
    const userData = config.UserData as Json;
    settings.UserData = isObject(userData) ? userData : { 'Fn::Base64': userData };
  }

  const autoScaling = config.AutoScaling;
  if (autoScaling !== undefined && !isObject(autoScaling)) {
    throw configError(ctx, 'AutoScaling', 'AutoScaling must be a map', 'e.g. AutoScaling: {Minimum: 1, Maximum: 3}');
  }
  const [count, timeout] = normalizeAsgSuccess(autoScaling?.SuccessRequires, {
    ctx,
    key: ['AutoScaling', 'SuccessRequires'],
  });

  const tags: Json[] = [
    { Key: 'Name', PropagateAtLaunch: true, Value: `${ctx.info.StackName}-${ctx.info.StackVersion}` },
    { Key: 'StackName', PropagateAtLaunch: true, Value: ctx.info.StackName },
    { Key: 'StackVersion', PropagateAtLaunch: true, Value: ctx.info.StackVersion },
  ];
  const userTags = config.Tags ?? [];
  (Array.isArray(userTags) ? userTags : [userTags]).forEach((tag, i) => {
    if (!isObject(tag) || !('Key' in tag) || !('Value' in tag)) {
      throw configError(
        ctx,
        ['Tags', i],
        'Tags must be a list of {Key, Value} maps',
        'e.g. Tags: [{Key: team, Value: my-team}]',
      );
    }
    tags.push({ Key: tag.Key, PropagateAtLaunch: true, Value: tag.Value });
  });

  const asgProps: JsonObject = {
    LaunchTemplate: {
      LaunchTemplateId: { Ref: launchTemplateName },
      Version: { 'Fn::GetAtt': [launchTemplateName, 'LatestVersionNumber'] },
    },
    VPCZoneIdentifier: { 'Fn::FindInMap': ['ServerSubnets', { Ref: 'AWS::Region' }, 'Subnets'] },
    Tags: tags,
  };
  template.Resources[name] = {
    Type: 'AWS::AutoScaling::AutoScalingGroup',
    // Wait for instances to signal that they booted.
    CreationPolicy: { ResourceSignal: { Count: count, Timeout: timeout } },
    Properties: asgProps,
  };

  const topic = ctx.info.OperatorTopicId;
  if (topic !== undefined) {
    if (typeof topic !== 'string') {
      throw configError({ path: ['SenzaInfo'] }, 'OperatorTopicId', 'OperatorTopicId must be an SNS topic name or ARN');
    }
    asgProps.NotificationConfiguration = {
      NotificationTypes: NOTIFICATION_TYPES,
      TopicARN: resolveTopicArn(topic, ctx.facts),
    };
  }

  let defaultHealthCheck = 'EC2';
  if ('ElasticLoadBalancer' in config) {
    const refs = loadBalancerRefs(config.ElasticLoadBalancer, '');
    if (refs) asgProps.LoadBalancerNames = refs;
    defaultHealthCheck = 'ELB';
  }
  if ('ElasticLoadBalancerV2' in config) {
    const refs = loadBalancerRefs(config.ElasticLoadBalancerV2, 'TargetGroup');
    if (refs) asgProps.TargetGroupARNs = refs;
    defaultHealthCheck = 'ELB';
  }
  asgProps.HealthCheckType = config.HealthCheckType ?? defaultHealthCheck;
  asgProps.HealthCheckGracePeriod = config.HealthCheckGracePeriod ?? 300;

  if (autoScaling) {
    applyAutoScaling(template, name, asgProps, autoScaling, ctx);
  } else {
    asgProps.MinSize = 1;
    asgProps.MaxSize = 1;
  }

  // A component key that names an instance setting or a property of the group replaces the
  // generated value verbatim (ImageId: ami-x, MaxSize: 7, SpotPrice: 0.25, ...).
  for (const [props, additional] of [
    [settings, ADDITIONAL_PROPERTIES.instance],
    [asgProps, ADDITIONAL_PROPERTIES.group],
  ] as const) {
    const allowed = new Set([...Object.keys(props).filter((k) => !SENZA_PROPERTIES.has(k)), ...additional]);
    // UserData was handled above (see the deviation note); the group's launch template is Senza's.
    allowed.delete('UserData');
    allowed.delete('LaunchTemplate');
    for (const key of allowed) {
      if (key in config) props[key] = config[key];
    }
  }
  const data = launchTemplateData(settings);
  launchTemplateProps.LaunchTemplateData = data;

  if (!('ImageId' in config)) checkImage(template, image, ctx);
  return data;
}

export const autoScalingGroup: ComponentType = {
  type: 'Senza::AutoScalingGroup',
  needs: autoScalingGroupNeeds,
  apply(template: CfTemplate, config: JsonObject, ctx: ComponentContext): void {
    applyAutoScalingGroup(template, config, ctx);
  },
};
