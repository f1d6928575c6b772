import type { FactNeed } from '../template/account-facts.js';
import type { CfTemplate, JsonObject } from '../template/template-types.js';
import { type ComponentContext, type ComponentType, configError } from './component.js';
import { resolveSecurityGroups, securityGroupNeeds } from './security-groups.js';

/** Redis defaults of the original (ElastiCache Redis 2.8). */
export const REDIS_DEFAULTS = {
  EngineVersion: '2.8.19',
  CacheParameterGroupName: 'default.redis2.8',
  CacheNodeType: 'cache.t2.small',
} as const;

/** `RedisSubnetGroup`: the cache nodes live in the server subnets. */
export function redisSubnetGroup(): JsonObject {
  return {
    Type: 'AWS::ElastiCache::SubnetGroup',
    Properties: {
      Description: 'Redis cluster subnet group',
      SubnetIds: { 'Fn::FindInMap': ['ServerSubnets', { Ref: 'AWS::Region' }, 'Subnets'] },
    },
  };
}

/** The component's `SecurityGroups`, resolved to ids; required like in the original. */
export function redisSecurityGroups(config: JsonObject, ctx: ComponentContext) {
  if (!('SecurityGroups' in config)) {
    throw configError(
      ctx,
      'SecurityGroups',
      'SecurityGroups must be specified for a Redis component',
      'e.g. SecurityGroups: [redis-my-app] (senza init creates one that allows port 6379)',
    );
  }
  return resolveSecurityGroups(config.SecurityGroups, ctx);
}

export const redisNode: ComponentType = {
  type: 'Senza::RedisNode',
  needs(config: JsonObject): FactNeed[] {
    return securityGroupNeeds(config.SecurityGroups);
  },
  apply(template: CfTemplate, config: JsonObject, ctx: ComponentContext): void {
    // Fixed logical ids: one Redis node per template.
    template.Resources.RedisCacheCluster = {
      Type: 'AWS::ElastiCache::CacheCluster',
      Properties: {
        ClusterName: config.ClusterName ?? ctx.name,
        Engine: 'redis',
        EngineVersion: config.EngineVersion ?? REDIS_DEFAULTS.EngineVersion,
        CacheParameterGroupName: config.CacheParameterGroupName ?? REDIS_DEFAULTS.CacheParameterGroupName,
        NumCacheNodes: 1,
        CacheNodeType: config.CacheNodeType ?? REDIS_DEFAULTS.CacheNodeType,
        CacheSubnetGroupName: { Ref: 'RedisSubnetGroup' },
        VpcSecurityGroupIds: redisSecurityGroups(config, ctx),
      },
    };
    template.Resources.RedisSubnetGroup = redisSubnetGroup();
  },
};
