import { autoScalingGroup } from './auto-scaling-group.js';
import type { ComponentType } from './component.js';
import { configuration } from './configuration.js';
import { ElasticLoadBalancer } from './elastic-load-balancer.js';
import { ElasticLoadBalancerV2 } from './elastic-load-balancer-v2.js';
import { iamRole } from './iam-role.js';
import { redisCluster } from './redis-cluster.js';
import { redisNode } from './redis-node.js';
import { stupsAutoConfiguration } from './stups-auto-configuration.js';
import { subnetAutoConfiguration } from './subnet-auto-configuration.js';
import { taupageAutoScalingGroup } from './taupage-auto-scaling-group.js';
import { WeightedDnsElasticLoadBalancer } from './weighted-dns-elastic-load-balancer.js';
import { WeightedDnsElasticLoadBalancerV2 } from './weighted-dns-elastic-load-balancer-v2.js';

const all: ComponentType[] = [
  configuration,
  subnetAutoConfiguration,
  stupsAutoConfiguration,
  autoScalingGroup,
  taupageAutoScalingGroup,
  ElasticLoadBalancer,
  WeightedDnsElasticLoadBalancer,
  ElasticLoadBalancerV2,
  WeightedDnsElasticLoadBalancerV2,
  iamRole,
  redisNode,
  redisCluster,
];

/** Component types by their `Type` name (`Senza::TaupageAutoScalingGroup`, ...). */
export const componentTypes: ReadonlyMap<string, ComponentType> = new Map(all.map((c) => [c.type, c]));
