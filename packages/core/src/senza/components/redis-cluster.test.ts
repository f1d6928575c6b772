import { describe, expect, it } from 'vitest';
import { redisCluster } from './redis-cluster.js';
import { runComponent } from './test-context.js';

const facts = { securityGroups: [{ id: 'sg-redis', name: 'redis-foo' }] };

describe('Senza::RedisCluster', () => {
  it('upstream test_component_redis_cluster', () => {
    const { template } = runComponent(redisCluster, { SecurityGroups: ['redis-foo'] }, { name: 'foo', facts });
    expect(template.Resources.RedisReplicationGroup).toEqual({
      Type: 'AWS::ElastiCache::ReplicationGroup',
      Properties: {
        AutomaticFailoverEnabled: true,
        CacheNodeType: 'cache.t2.small',
        CacheSubnetGroupName: { Ref: 'RedisSubnetGroup' },
        Engine: 'redis',
        EngineVersion: '2.8.19',
        CacheParameterGroupName: 'default.redis2.8',
        NumCacheClusters: 2,
        SecurityGroupIds: ['sg-redis'],
        ReplicationGroupDescription: 'Redis replicated cache cluster: foo',
      },
    });
    expect(template.Resources.RedisSubnetGroup.Type).toBe('AWS::ElastiCache::SubnetGroup');
  });

  it('takes NumberOfNodes as a number or a string', () => {
    const n = (v: number | string) =>
      (
        runComponent(redisCluster, { SecurityGroups: ['sg-1'], NumberOfNodes: v }, { name: 'c' }).template.Resources
          .RedisReplicationGroup.Properties as { NumCacheClusters: number }
      ).NumCacheClusters;
    expect(n(3)).toBe(3);
    expect(n('5')).toBe(5);
    expect(() => n('many')).toThrow('NumberOfNodes must be an integer, not "many"');
  });
});
