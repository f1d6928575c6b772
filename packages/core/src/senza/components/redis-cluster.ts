import { pythonInt } from '../../io/python-values.js';
import type { FactNeed } from '../template/account-facts.js';
import type { CfTemplate, JsonObject } from '../template/template-types.js';
import { type ComponentContext, type ComponentType, configError } from './component.js';
import { REDIS_DEFAULTS, redisSecurityGroups, redisSubnetGroup } from './redis-node.js';
import { securityGroupNeeds } from './security-groups.js';

export const redisCluster: ComponentType = {
  type: 'Senza::RedisCluster',
  needs(config: JsonObject): FactNeed[] {
    return securityGroupNeeds(config.SecurityGroups);
  },
  apply(template: CfTemplate, config: JsonObject, ctx: ComponentContext): void {
    const nodes = pythonInt(config.NumberOfNodes ?? '2');
    if (nodes === undefined) {
      throw configError(
        ctx,
        'NumberOfNodes',
        `NumberOfNodes must be an integer, not ${JSON.stringify(config.NumberOfNodes)}`,
        'e.g. NumberOfNodes: 2 (a primary and one replica)',
      );
    }
    // Fixed logical ids: one Redis replication group per template.
    template.Resources.RedisReplicationGroup = {
      Type: 'AWS::ElastiCache::ReplicationGroup',
      Properties: {
        AutomaticFailoverEnabled: true,
        CacheNodeType: config.CacheNodeType ?? REDIS_DEFAULTS.CacheNodeType,
        CacheSubnetGroupName: { Ref: 'RedisSubnetGroup' },
        Engine: 'redis',
        EngineVersion: config.EngineVersion ?? REDIS_DEFAULTS.EngineVersion,
        CacheParameterGroupName: config.CacheParameterGroupName ?? REDIS_DEFAULTS.CacheParameterGroupName,
        NumCacheClusters: nodes,
        SecurityGroupIds: redisSecurityGroups(config, ctx),
        ReplicationGroupDescription: `Redis replicated cache cluster: ${ctx.name}`,
      },
    };
    template.Resources.RedisSubnetGroup = redisSubnetGroup();
  },
};
