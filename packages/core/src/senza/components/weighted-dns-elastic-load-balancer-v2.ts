import type { ComponentType } from './component.js';
import { weightedDomainNeeds, withWeightedDomains } from './dns-domains.js';
import { ElasticLoadBalancerV2 } from './elastic-load-balancer-v2.js';

/** `Senza::WeightedDnsElasticLoadBalancerV2`: the weighted DNS domains of §4.7 on an ELBv2. */
export const WeightedDnsElasticLoadBalancerV2: ComponentType = {
  type: 'Senza::WeightedDnsElasticLoadBalancerV2',
  needs: (config, ctx) => [...weightedDomainNeeds(config), ...ElasticLoadBalancerV2.needs(config, ctx)],
  apply: (template, config, ctx) => ElasticLoadBalancerV2.apply(template, withWeightedDomains(config, ctx), ctx),
};
