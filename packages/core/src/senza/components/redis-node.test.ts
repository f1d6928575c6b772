import { describe, expect, it } from 'vitest';
import { redisNode } from './redis-node.js';
import { runComponent } from './test-context.js';

const facts = { securityGroups: [{ id: 'sg-redis', name: 'redis-foo' }] };

describe('Senza::RedisNode', () => {
  it('upstream test_component_redis_node', () => {
    const { template, needs } = runComponent(redisNode, { SecurityGroups: ['redis-foo'] }, { name: 'foo', facts });
    expect(needs).toEqual([{ kind: 'securityGroups', names: ['redis-foo'] }]);
    expect(template.Resources.RedisCacheCluster).toEqual({
      Type: 'AWS::ElastiCache::CacheCluster',
      Properties: {
        ClusterName: 'foo',
        Engine: 'redis',
        EngineVersion: '2.8.19',
        CacheParameterGroupName: 'default.redis2.8',
        NumCacheNodes: 1,
        CacheNodeType: 'cache.t2.small',
        CacheSubnetGroupName: { Ref: 'RedisSubnetGroup' },
        VpcSecurityGroupIds: ['sg-redis'],
      },
    });
    expect(template.Resources.RedisSubnetGroup).toEqual({
      Type: 'AWS::ElastiCache::SubnetGroup',
      Properties: {
        Description: 'Redis cluster subnet group',
        SubnetIds: { 'Fn::FindInMap': ['ServerSubnets', { Ref: 'AWS::Region' }, 'Subnets'] },
      },
    });
  });

  it('takes the node type, engine and cluster name from the configuration', () => {
    const { template } = runComponent(
      redisNode,
      {
        SecurityGroups: ['sg-1'],
        CacheNodeType: 'cache.m3.medium',
        EngineVersion: '3.2.4',
        CacheParameterGroupName: 'default.redis3.2',
        ClusterName: 'my-cache',
      },
      { name: 'foo' },
    );
    expect(template.Resources.RedisCacheCluster.Properties).toMatchObject({
      ClusterName: 'my-cache',
      CacheNodeType: 'cache.m3.medium',
      EngineVersion: '3.2.4',
      CacheParameterGroupName: 'default.redis3.2',
      VpcSecurityGroupIds: ['sg-1'],
    });
  });

  it('requires SecurityGroups', () => {
    expect(() => runComponent(redisNode, {}, { name: 'foo' })).toThrow(
      'SecurityGroups must be specified for a Redis component',
    );
  });
});
