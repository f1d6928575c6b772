import { UsageError } from '../../errors.js';
import { pythonStr, truthy } from '../../io/python-values.js';
import type { FactNeed } from '../template/account-facts.js';
import { parseDockerImage } from '../template/docker-image.js';
import { type CfTemplate, isObject, type Json, type JsonObject } from '../template/template-types.js';
import { applyAutoScalingGroup, autoScalingGroupNeeds } from './auto-scaling-group.js';
import { type ComponentContext, type ComponentType, configError, type NeedsContext } from './component.js';
import { crossStackNeedsIn } from './cross-stack.js';
import { associatesPublicIp } from './launch-template-data.js';
import { generateUserData } from './taupage-user-data.js';

/** Application ids and versions as Kio (the application registry) accepts them. */
const APPLICATION_ID = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const APPLICATION_VERSION = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

function withDefaultImage(config: JsonObject): JsonObject {
  return 'Image' in config ? config : { ...config, Image: 'LatestTaupageImage' };
}

function subnetsOf(template: CfTemplate, mapping: string, region: string): Set<string> {
  const entry = template.Mappings?.[mapping]?.[region];
  const subnets = isObject(entry) ? entry.Subnets : undefined;
  return new Set((Array.isArray(subnets) ? subnets : []).map((s) => (typeof s === 'string' ? s : JSON.stringify(s))));
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/**
 * Instances without a public IP in subnets that also hold internal load balancers (a DMZ-less or
 * public-only VPC) reach the internet through NAT gateways; Taupage learns their private IPs per subnet.
 */
function natGatewaysFor(template: CfTemplate, data: JsonObject, ctx: ComponentContext): JsonObject | undefined {
  const server = subnetsOf(template, 'ServerSubnets', ctx.region);
  if (server.size === 0 || truthy(associatesPublicIp(data))) return undefined;
  if (!sameSet(server, subnetsOf(template, 'LoadBalancerInternalSubnets', ctx.region))) return undefined;
  const gateways: JsonObject = {};
  for (const gw of ctx.facts.natGateways()) {
    if (server.has(gw.subnetId) && gw.privateIp !== undefined) gateways[gw.subnetId] = gw.privateIp;
  }
  return Object.keys(gateways).length > 0 ? gateways : undefined;
}

function validateTaupageConfig(taupage: JsonObject, ctx: ComponentContext): void {
  const at = (key: string) => ['TaupageConfig', key];
  if (!APPLICATION_ID.test(pythonStr(taupage.application_id))) {
    throw configError(
      ctx,
      at('application_id'),
      `Application id must satisfy regular expression pattern "${APPLICATION_ID.source}"`,
      'Use lower-case letters, digits and dashes, starting with a letter (the default is SenzaInfo.StackName).',
    );
  }
  if (!APPLICATION_VERSION.test(pythonStr(taupage.application_version))) {
    throw configError(
      ctx,
      at('application_version'),
      `Application version must satisfy regular expression pattern "${APPLICATION_VERSION.source}"`,
      'Use letters, digits, dots, underscores and dashes (the default is the stack version).',
    );
  }
  if (taupage.runtime !== 'Docker') {
    throw configError(
      ctx,
      at('runtime'),
      'Taupage only supports the "Docker" runtime currently',
      'Set TaupageConfig.runtime: Docker',
    );
  }
  const source = taupage.source;
  if (!truthy(source)) {
    throw configError(
      ctx,
      at('source'),
      'The "source" property of TaupageConfig must be specified',
      'Set TaupageConfig.source to the Docker image, e.g. source: "registry.example.org/team/app:1.0"',
    );
  }
  // The original's image parser raised this even with --force (as an unexpected error, exit 1).
  if (typeof source === 'string' && source.split('/').length < 2) {
    throw configError(
      ctx,
      at('source'),
      `Invalid docker image "${source}" (format must be [REGISTRY/]TEAM/ARTIFACT:TAG)`,
      'e.g. source: "registry.example.org/team/app:1.0"',
    );
  }
}

/** The Taupage `source` when it names a registry whose tags are checked (not with --force). */
function checkedImage(config: JsonObject, force: boolean): string | undefined {
  const source = isObject(config.TaupageConfig) ? config.TaupageConfig.source : undefined;
  if (force || typeof source !== 'string' || source.includes('{{')) return undefined;
  return parseDockerImage(source).registry ? source : undefined;
}

/** The image must exist in its registry; a registry that wants credentials is reported, not failed. */
function checkImageExists(config: JsonObject, ctx: ComponentContext): void {
  const image = checkedImage(config, ctx.force);
  if (!image) return;
  const exists = ctx.facts.dockerImageExists(image);
  if (exists === false) {
    throw new UsageError(`Docker image "${image}" does not exist`, {
      code: 'senza.docker-image-missing',
      hint: 'Push the image (or fix TaupageConfig.source), or skip this check with --force.',
    });
  }
  if (exists === null) {
    ctx.host.notify({
      level: 'warn',
      code: 'senza.docker-image-unchecked',
      text: `Docker image "${image}" not checked: its registry needs credentials (use --force to skip the check)`,
    });
  }
}

export const taupageAutoScalingGroup: ComponentType = {
  type: 'Senza::TaupageAutoScalingGroup',
  needs(config: JsonObject, ctx: NeedsContext): FactNeed[] {
    const needs = autoScalingGroupNeeds(withDefaultImage(config), ctx);
    // Only {Stack, Output} references are resolved inside TaupageConfig (like the original).
    needs.push(...crossStackNeedsIn(config.TaupageConfig).filter((n) => n.kind === 'stackOutputs'));
    if (!truthy(config.AssociatePublicIpAddress)) needs.push({ kind: 'natGateways' });
    const image = checkedImage(config, ctx.force);
    if (image) needs.push({ kind: 'dockerImages', images: [image] });
    return needs;
  },
  apply(template: CfTemplate, config: JsonObject, ctx: ComponentContext): void {
    const full = withDefaultImage(config);
    const launchTemplateData = applyAutoScalingGroup(template, full, ctx);

    if (!isObject(full.TaupageConfig)) {
      throw configError(
        ctx,
        'TaupageConfig',
        'TaupageConfig must be specified (a map)',
        'e.g. TaupageConfig: {runtime: Docker, source: "team/app:1.0"}',
      );
    }
    const taupage: JsonObject = structuredClone(full.TaupageConfig);
    const { StackName, StackVersion } = ctx.info;
    // Each only if absent: an explicit value (even null) is the user's.
    if (!('notify_cfn' in taupage)) taupage.notify_cfn = { stack: `${StackName}-${StackVersion}`, resource: ctx.name };
    if (!('application_id' in taupage)) taupage.application_id = StackName;
    if (!('application_version' in taupage)) taupage.application_version = StackVersion;
    validateTaupageConfig(taupage, ctx);
    checkImageExists(full, ctx);

    const natGateways = natGatewaysFor(template, launchTemplateData, ctx);
    if (natGateways) taupage.nat_gateways = natGateways;

    launchTemplateData.UserData = { 'Fn::Base64': generateUserData(taupage, ctx.facts) as Json };
  },
};
