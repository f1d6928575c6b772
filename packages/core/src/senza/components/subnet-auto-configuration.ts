import { truthy } from '../../io/python-values.js';
import type { FactNeed } from '../template/account-facts.js';
import type { CfTemplate, Json, JsonObject } from '../template/template-types.js';
import { type ComponentContext, type ComponentType, configError, type NeedsContext } from './component.js';
import { applyConfiguration, ensureMap } from './configuration.js';

export function subnetNeeds(config: JsonObject, _ctx?: NeedsContext): FactNeed[] {
  const needs: FactNeed[] = [{ kind: 'subnets' }];
  if (config.VpcId === undefined) needs.push({ kind: 'vpcs' });
  return needs;
}

/**
 * Classifies the VPC's subnets by their `Name` tag (substring match, like the original):
 * `dmz` → public load balancers; `internal` → internal load balancers and servers; `nat` → ignored;
 * anything else → servers. With `PublicOnly` only `dmz` subnets are used, for all three lists.
 */
export function classifySubnets(
  config: JsonObject,
  ctx: ComponentContext,
): { server: string[]; loadBalancer: string[]; loadBalancerInternal: string[] } {
  const vpcId = config.VpcId ?? ctx.facts.vpcId();
  if (typeof vpcId !== 'string') {
    throw configError(ctx, 'VpcId', 'VpcId must be a VPC id string', 'e.g. VpcId: vpc-12345678');
  }
  const zones = config.AvailabilityZones;
  const zoneFilter = truthy(zones) ? (Array.isArray(zones) ? zones : [zones as Json]) : undefined;
  const publicOnly = truthy(config.PublicOnly);

  let server: string[] = [];
  let loadBalancer: string[] = [];
  let loadBalancerInternal: string[] = [];
  const all: string[] = [];
  for (const subnet of ctx.facts.subnets(vpcId)) {
    if (zoneFilter && !zoneFilter.includes(subnet.availabilityZone)) continue;
    const name = subnet.name ?? '';
    all.push(subnet.id);
    if (publicOnly) {
      if (name.includes('dmz')) {
        loadBalancer.push(subnet.id);
        loadBalancerInternal.push(subnet.id);
        server.push(subnet.id);
      }
    } else if (name.includes('dmz')) {
      loadBalancer.push(subnet.id);
    } else if (name.includes('internal')) {
      loadBalancerInternal.push(subnet.id);
      server.push(subnet.id);
    } else if (!name.includes('nat')) {
      // NAT gateway subnets get neither listeners nor instances.
      server.push(subnet.id);
    }
  }

  if (loadBalancer.length === 0) {
    if (publicOnly) {
      // The default AWS VPC: every subnet is public.
      server = all;
      loadBalancer = all;
      loadBalancerInternal = all;
    } else {
      // No DMZ: load balancers share the server subnets (the internal list may stay empty).
      loadBalancer = server;
    }
  }
  return { server, loadBalancer, loadBalancerInternal };
}

/** The configuration with this region's subnet lists filled in (other regions' entries are kept). */
export function withDetectedSubnets(config: JsonObject, ctx: ComponentContext): JsonObject {
  const { server, loadBalancer, loadBalancerInternal } = classifySubnets(config, ctx);
  const out = structuredClone(config);
  ensureMap(out, 'ServerSubnets')[ctx.region] = server;
  ensureMap(out, 'LoadBalancerSubnets')[ctx.region] = loadBalancer;
  ensureMap(out, 'LoadBalancerInternalSubnets')[ctx.region] = loadBalancerInternal;
  return out;
}

export const subnetAutoConfiguration: ComponentType = {
  type: 'Senza::SubnetAutoConfiguration',
  needs: subnetNeeds,
  apply(template: CfTemplate, config: JsonObject, ctx: ComponentContext): void {
    applyConfiguration(template, withDetectedSubnets(config, ctx), ctx);
  },
};
