import type { ComponentType } from './component.js';
import { weightedDomainNeeds, withWeightedDomains } from './dns-domains.js';
import { ElasticLoadBalancer } from './elastic-load-balancer.js';

/**
 * `Senza::WeightedDnsElasticLoadBalancer`: a classic ELB with a weighted main domain (for blue/green
 * traffic switching) and a per-version domain, from `MainDomain`/`VersionDomain` or the account domain.
 */
export const WeightedDnsElasticLoadBalancer: ComponentType = {
  type: 'Senza::WeightedDnsElasticLoadBalancer',
  needs: (config, ctx) => [...weightedDomainNeeds(config), ...ElasticLoadBalancer.needs(config, ctx)],
  apply: (template, config, ctx) => ElasticLoadBalancer.apply(template, withWeightedDomains(config, ctx), ctx),
};
