import { describe, expect, it } from 'vitest';
import { EXIT } from '../../errors.js';
import { mainDomainResources, type StackVersionInfo, selectTarget, usableVersions } from './traffic-discovery.js';

const stack = (stackName: string, status = 'CREATE_COMPLETE', ageMinutes = 0): StackVersionInfo => {
  const i = stackName.lastIndexOf('-');
  return {
    stackName,
    name: stackName.slice(0, i),
    version: stackName.slice(i + 1),
    identifier: stackName,
    status,
    notificationArns: [],
    creationTime: new Date(Date.UTC(2026, 0, 1) - ageMinutes * 60_000),
  };
};

describe('traffic discovery (pure parts)', () => {
  it('main domains are the RecordSets whose logical id does not mention "version", normalized', () => {
    expect(
      mainDomainResources([
        {
          LogicalResourceId: 'AppLoadBalancerMainDomain',
          PhysicalResourceId: 'MyApp.zo.ne',
          ResourceType: 'AWS::Route53::RecordSet',
        },
        {
          LogicalResourceId: 'AppLoadBalancerVersionDomain',
          PhysicalResourceId: 'myapp-1.zo.ne',
          ResourceType: 'AWS::Route53::RecordSet',
        },
        { LogicalResourceId: 'Other', PhysicalResourceId: 'other.zo.ne.', ResourceType: 'AWS::Route53::RecordSet' },
        {
          LogicalResourceId: 'AppLoadBalancer',
          PhysicalResourceId: 'myapp-1',
          ResourceType: 'AWS::ElasticLoadBalancing::LoadBalancer',
        },
      ]),
    ).toEqual([
      { logicalId: 'AppLoadBalancerMainDomain', name: 'myapp.zo.ne.' },
      { logicalId: 'Other', name: 'other.zo.ne.' },
    ]);
  });

  it('selects the given version, or the newest usable one; failed stacks are no targets', () => {
    const family = [
      stack('myapp-3', 'ROLLBACK_COMPLETE', 0),
      stack('myapp-2', 'UPDATE_COMPLETE', 5),
      stack('myapp-1', 'CREATE_COMPLETE', 10),
    ];
    expect(usableVersions(family).map((s) => s.version)).toEqual(['2', '1']);
    expect(selectTarget(family, 'myapp').stackName).toBe('myapp-2');
    expect(selectTarget(family, 'myapp', '1').stackName).toBe('myapp-1');
    expect(() => selectTarget(family, 'myapp', '3')).toThrow('Stack version 3 not found');
    try {
      selectTarget(family, 'myapp', '3');
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(EXIT.USAGE);
      expect((e as { hint: string }).hint).toContain('ROLLBACK_COMPLETE');
    }
    expect(() => selectTarget(family, 'myapp', '9')).toThrow('Stack version 9 not found');
  });

  it('no stack of the name, and a pattern matching several applications, are usage errors', () => {
    expect(() => selectTarget([], 'nope', '1')).toThrow('No stack version of "nope" found');
    expect(() => selectTarget([stack('myapp-1', 'CREATE_FAILED')], 'myapp')).toThrow(
      'No stack version of "myapp" found',
    );
    expect(() => selectTarget([stack('a-1'), stack('b-1')], 'a|b', '1')).toThrow(
      'Stack name "a|b" matches several stacks: a, b',
    );
  });
});
