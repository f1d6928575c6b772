import { truthy } from '../../io/python-values.js';
import type { FactNeed } from '../template/account-facts.js';
import { type CfTemplate, isObject, type Json, type JsonObject } from '../template/template-types.js';
import { certificateLookupNeeded, listenerCertificate, type WeightedDomain } from './certificates.js';
import { type ComponentContext, type ComponentType, configError } from './component.js';
import { addDomainRecordSets } from './dns-domains.js';
import {
  healthCheckProtocol,
  LOAD_BALANCER_SENZA_PROPERTIES,
  loadBalancerScheme,
  requireKey,
  stackTags,
  subnetsOf,
} from './elastic-load-balancer.js';
import { cleanCloudName, componentLoadBalancerName, MAX_LOAD_BALANCER_NAME_LENGTH } from './load-balancer-name.js';
import { resolveSecurityGroups, securityGroupNeeds } from './security-groups.js';

const HEALTH_CHECK_PROTOCOLS = ['HTTP', 'HTTPS'];

/**
 * `SSLCertificateId` as a list of (value, location) pairs: a list, a comma-separated string or a
 * single value; empty when absent (the certificate is then chosen for the weighted domain).
 */
function certificateEntries(value: Json | undefined): { value: Json; key: string | (string | number)[] }[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map((v, i) => ({ value: v, key: ['SSLCertificateId', i] }));
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map((v) => ({ value: v, key: 'SSLCertificateId' }));
  }
  return [{ value, key: 'SSLCertificateId' }];
}

function listenerResources(config: JsonObject, ctx: ComponentContext): JsonObject[] | null {
  const given = config.Listeners;
  if (!truthy(given)) return null;
  if (!Array.isArray(given) || !given.every(isObject)) {
    throw configError(
      ctx,
      'Listeners',
      'Listeners must be a list of AWS::ElasticLoadBalancingV2::Listener resource definitions',
    );
  }
  return structuredClone(given) as JsonObject[];
}

function v2Needs(config: JsonObject): FactNeed[] {
  const needs = securityGroupNeeds(config.SecurityGroups);
  if (!truthy(config.VpcId)) needs.push({ kind: 'vpcs' });
  if (!truthy(config.Listeners)) {
    const entries = certificateEntries(config.SSLCertificateId);
    if (entries.length === 0 || entries.some((e) => certificateLookupNeeded(e.value))) {
      needs.push({ kind: 'certificates' });
    }
  }
  return needs;
}

/**
 * The HTTPS listener of the load balancer with the first certificate, and the further certificates:
 * CloudFormation takes exactly one certificate in `Listener.Certificates` for an HTTPS listener; the
 * others belong in `AWS::ElasticLoadBalancingV2::ListenerCertificate` resources, one certificate each.
 */
function defaultListener(
  config: JsonObject,
  targetGroup: string,
  weighted: WeightedDomain | null,
  ctx: ComponentContext,
): { listener: JsonObject; extraCertificates: Json[] } {
  const now = new Date();
  const entries = certificateEntries(config.SSLCertificateId);
  const arns =
    entries.length > 0
      ? entries.map((e) => listenerCertificate(e.value, weighted, ctx, e.key, now))
      : [listenerCertificate(undefined, weighted, ctx, 'SSLCertificateId', now)];
  const listener = {
    Type: 'AWS::ElasticLoadBalancingV2::Listener',
    Properties: {
      Certificates: [{ CertificateArn: arns[0] }],
      Protocol: 'HTTPS',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: targetGroup } }],
      LoadBalancerArn: { Ref: ctx.name },
      Port: 443,
    },
  };
  return { listener, extraCertificates: arns.slice(1) };
}

function applyV2(template: CfTemplate, config: JsonObject, ctx: ComponentContext): void {
  const lb = ctx.name;
  const targetGroup = `${lb}TargetGroup`;
  const httpPort = requireKey(config, 'HTTPPort', ctx, 'Set HTTPPort to the port the instances serve HTTP on.');
  const securityGroups = requireKey(config, 'SecurityGroups', ctx, 'List the security groups of the load balancer.');
  const protocol = healthCheckProtocol(config, ctx, HEALTH_CHECK_PROTOCOLS);
  const path = truthy(config.HealthCheckPath) ? config.HealthCheckPath : '/health';
  const port = truthy(config.HealthCheckPort) ? config.HealthCheckPort : httpPort;
  const { scheme, subnetMap } = loadBalancerScheme(config, ctx);
  const vpcId = truthy(config.VpcId) ? config.VpcId : ctx.facts.vpcId();

  const weighted = addDomainRecordSets(template, config.Domains, ctx, 'CanonicalHostedZoneID');
  const given = listenerResources(config, ctx);
  const generated = given ? null : defaultListener(config, targetGroup, weighted, ctx);
  const listeners = given ?? [generated?.listener as JsonObject];

  const name = truthy(config.LoadBalancerName)
    ? cleanCloudName(String(config.LoadBalancerName), MAX_LOAD_BALANCER_NAME_LENGTH)
    : componentLoadBalancerName(ctx.info, config.NameSuffix);

  const resources: Record<string, JsonObject> = {
    [lb]: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: {
        Name: name,
        Scheme: scheme,
        SecurityGroups: resolveSecurityGroups(securityGroups, ctx),
        Subnets: subnetsOf(subnetMap),
        LoadBalancerAttributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '60' }],
        Tags: stackTags(ctx.info),
      },
    },
    [targetGroup]: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        Name: name,
        HealthCheckIntervalSeconds: '10',
        HealthCheckPath: path,
        HealthCheckPort: port,
        HealthCheckProtocol: protocol,
        HealthCheckTimeoutSeconds: '5',
        HealthyThresholdCount: '2',
        Port: httpPort,
        Protocol: 'HTTP',
        UnhealthyThresholdCount: '2',
        VpcId: vpcId,
        Tags: stackTags(ctx.info),
        TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '60' }],
      },
    },
  };
  listeners.forEach((listener, i) => {
    resources[`${lb}Listener${i === 0 ? '' : i + 1}`] = listener;
  });
  // A configuration key that names a property of any generated resource overrides it in all of them
  // (e.g. TargetGroupAttributes; Port changes both the target group and the listener).
  for (const [key, value] of Object.entries(config)) {
    if (LOAD_BALANCER_SENZA_PROPERTIES.has(key)) continue;
    for (const resource of Object.values(resources)) {
      const properties = resource.Properties;
      if (isObject(properties) && key in properties) properties[key] = structuredClone(value);
    }
  }
  generated?.extraCertificates.forEach((arn, i) => {
    resources[`${lb}ListenerCertificate${i === 0 ? '' : i + 1}`] = {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerCertificate',
      Properties: { Certificates: [{ CertificateArn: arn }], ListenerArn: { Ref: `${lb}Listener` } },
    };
  });
  Object.assign(template.Resources, resources);
}

/** `Senza::ElasticLoadBalancerV2`: an application load balancer, its target group, listeners and DNS records. */
export const ElasticLoadBalancerV2: ComponentType = {
  type: 'Senza::ElasticLoadBalancerV2',
  needs: (config) => v2Needs(config),
  apply: applyV2,
};
