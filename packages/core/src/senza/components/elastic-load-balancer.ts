import { truthy } from '../../io/python-values.js';
import type { FactNeed } from '../template/account-facts.js';
import { type CfTemplate, isObject, type Json, type JsonObject } from '../template/template-types.js';
import { certificateLookupNeeded, listenerCertificate, type WeightedDomain } from './certificates.js';
import { type ComponentContext, type ComponentType, configError, type SenzaInfo } from './component.js';
import { addDomainRecordSets } from './dns-domains.js';
import { componentLoadBalancerName } from './load-balancer-name.js';
import { resolveSecurityGroups, securityGroupNeeds } from './security-groups.js';

/** Keys Senza interprets itself; every other key of the component is a load balancer property. */
export const LOAD_BALANCER_SENZA_PROPERTIES: ReadonlySet<string> = new Set([
  'Domains',
  'HealthCheckPath',
  'HealthCheckPort',
  'HealthCheckProtocol',
  'HTTPPort',
  'Name',
  'SecurityGroups',
  'SSLCertificateId',
  'Type',
  // The original deleted NameSuffix from the configuration once it had used it.
  'NameSuffix',
]);

const HEALTH_CHECK_PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'UDP', 'SSL'];
const SCHEMES = ['internet-facing', 'internal'];

/** A scalar as Python's `str.format` writes it. */
export function formatScalar(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The tags every load balancer resource carries. */
export function stackTags(info: SenzaInfo): Json[] {
  return [
    { Key: 'Name', Value: `${info.StackName}-${info.StackVersion}` },
    { Key: 'StackName', Value: info.StackName },
    { Key: 'StackVersion', Value: info.StackVersion },
  ];
}

export function requireKey(config: JsonObject, key: string, ctx: ComponentContext, hint: string): Json {
  const value = config[key];
  if (value === undefined || value === null) throw configError(ctx, null, `${key} is required`, hint);
  return value;
}

/** `HealthCheckProtocol` (default HTTP), checked against the protocols the load balancer supports. */
export function healthCheckProtocol(config: JsonObject, ctx: ComponentContext, allowed: string[]): string {
  const protocol = truthy(config.HealthCheckProtocol) ? config.HealthCheckProtocol : 'HTTP';
  if (typeof protocol !== 'string' || !allowed.includes(protocol)) {
    throw configError(
      ctx,
      'HealthCheckProtocol',
      `Protocol "${formatScalar(protocol as Json)}" is not supported for LoadBalancer`,
      `Use one of ${allowed.join(', ')}.`,
    );
  }
  return protocol;
}

/**
 * `Scheme` (default internal) and the subnet mapping it places the load balancer in. An
 * internet-facing load balancer gets a warning.
 */
export function loadBalancerScheme(config: JsonObject, ctx: ComponentContext): { scheme: string; subnetMap: string } {
  const scheme = truthy(config.Scheme) ? config.Scheme : 'internal';
  if (scheme === 'internet-facing') {
    ctx.host.notify({
      level: 'warn',
      code: 'senza.elb-internet-facing',
      text: 'You are deploying an internet-facing ELB that will be publicly accessible! You should have OAUTH2 and HTTPS in place!',
      data: { component: ctx.name },
    });
  }
  if (typeof scheme !== 'string' || !SCHEMES.includes(scheme)) {
    throw configError(
      ctx,
      'Scheme',
      `Scheme "${formatScalar(scheme as Json)}" is not supported for LoadBalancer`,
      'Use internal or internet-facing.',
    );
  }
  return { scheme, subnetMap: scheme === 'internal' ? 'LoadBalancerInternalSubnets' : 'LoadBalancerSubnets' };
}

export function subnetsOf(subnetMap: string): Json {
  return { 'Fn::FindInMap': [subnetMap, { Ref: 'AWS::Region' }, 'Subnets'] };
}

function listenerList(config: JsonObject, ctx: ComponentContext): Json[] | null {
  const given = config.Listeners;
  if (!truthy(given)) return null;
  if (!Array.isArray(given)) throw configError(ctx, 'Listeners', 'Listeners must be a list of listeners');
  return given;
}

const isSecure = (listener: Json) =>
  isObject(listener) && (listener.Protocol === 'HTTPS' || listener.Protocol === 'SSL');

function classicNeeds(config: JsonObject): FactNeed[] {
  const needs = securityGroupNeeds(config.SecurityGroups);
  const given = Array.isArray(config.Listeners) && config.Listeners.length > 0 ? config.Listeners : null;
  const certificates = given
    ? given.some((l) => isSecure(l) && certificateLookupNeeded((l as JsonObject).SSLCertificateId))
    : certificateLookupNeeded(config.SSLCertificateId);
  if (certificates) needs.push({ kind: 'certificates' });
  return needs;
}

/** The listeners (given, or one HTTPS:443 → HTTPPort), each HTTPS/SSL one with its certificate resolved. */
function classicListeners(
  config: JsonObject,
  httpPort: Json,
  weighted: WeightedDomain | null,
  ctx: ComponentContext,
): Json[] {
  const now = new Date();
  const given = listenerList(config, ctx);
  const listeners: Json[] = given
    ? structuredClone(given)
    : [
        {
          PolicyNames: [],
          SSLCertificateId: config.SSLCertificateId ?? null,
          Protocol: 'HTTPS',
          InstancePort: httpPort,
          LoadBalancerPort: 443,
        },
      ];
  listeners.forEach((listener, i) => {
    if (!isSecure(listener)) return;
    const l = listener as JsonObject;
    const key = given ? ['Listeners', i, 'SSLCertificateId'] : 'SSLCertificateId';
    l.SSLCertificateId = listenerCertificate(l.SSLCertificateId, weighted, ctx, key, now);
  });
  return listeners;
}

function applyClassic(template: CfTemplate, config: JsonObject, ctx: ComponentContext): void {
  const httpPort = requireKey(config, 'HTTPPort', ctx, 'Set HTTPPort to the port the instances serve HTTP on.');
  const securityGroups = requireKey(config, 'SecurityGroups', ctx, 'List the security groups of the load balancer.');
  const protocol = healthCheckProtocol(config, ctx, HEALTH_CHECK_PROTOCOLS);
  const path = truthy(config.HealthCheckPath) ? formatScalar(config.HealthCheckPath) : '/health';
  const port = formatScalar(truthy(config.HealthCheckPort) ? config.HealthCheckPort : httpPort);
  const target = protocol === 'HTTP' || protocol === 'HTTPS' ? `${protocol}:${port}${path}` : `${protocol}:${port}`;
  const { scheme, subnetMap } = loadBalancerScheme(config, ctx);

  const weighted = addDomainRecordSets(template, config.Domains, ctx, 'CanonicalHostedZoneNameID');
  const listeners = classicListeners(config, httpPort, weighted, ctx);

  const properties: JsonObject = {
    Scheme: scheme,
    Subnets: subnetsOf(subnetMap),
    HealthCheck: {
      HealthyThreshold: '2',
      UnhealthyThreshold: '2',
      Interval: '10',
      Timeout: '5',
      Target: target,
    },
    Listeners: listeners,
    ConnectionDrainingPolicy: { Enabled: true, Timeout: 60 },
    CrossZone: 'true',
    LoadBalancerName: componentLoadBalancerName(ctx.info, config.NameSuffix),
    SecurityGroups: resolveSecurityGroups(securityGroups, ctx),
    Tags: stackTags(ctx.info),
  };
  // Any other key is a property of the ELB and wins over the generated one (e.g. ConnectionSettings,
  // LoadBalancerName, HealthCheck). Given Listeners are copied with their certificates resolved.
  for (const [key, value] of Object.entries(config)) {
    if (LOAD_BALANCER_SENZA_PROPERTIES.has(key)) continue;
    properties[key] = key === 'Listeners' && truthy(value) ? listeners : structuredClone(value);
  }
  template.Resources[ctx.name] = { Type: 'AWS::ElasticLoadBalancing::LoadBalancer', Properties: properties };
}

/** `Senza::ElasticLoadBalancer`: a classic ELB, its DNS records and its HTTPS certificate. */
export const ElasticLoadBalancer: ComponentType = {
  type: 'Senza::ElasticLoadBalancer',
  needs: (config) => classicNeeds(config),
  apply: applyClassic,
};
