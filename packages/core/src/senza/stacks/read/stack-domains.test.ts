import type { HostedZone, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import type { AwsSession } from '../../../aws/aws-session.js';
import { renderTable } from '../../../io/table.js';
import type { StackSummary } from './list-stacks.js';
import { domainRows, RecordSetCache, recordValue } from './stack-domains.js';
import { STACK_TABLES } from './stack-tables.js';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

/** A cache pre-filled with SDK-shaped answers: no AWS. */
function cacheWith(zones: HostedZone[], records: Record<string, ResourceRecordSet[]>): RecordSetCache {
  const cache = new RecordSetCache({} as AwsSession);
  cache.hostedZones = async () => zones;
  cache.recordSets = async (id: string) => records[id] ?? [];
  return cache;
}

const stack: StackSummary = {
  stackName: 'test-1',
  name: 'test',
  version: '1',
  status: 'CREATE_COMPLETE',
  stackId: 'arn:test-1',
  creationTime: new Date(NOW),
};

describe('senza domains rows (reference §2.11 golden)', () => {
  const zones = [
    { Id: '/hostedzone/org', Name: 'example.org.', CallerReference: 'a' },
    { Id: '/hostedzone/zo', Name: 'zo.ne.', CallerReference: 'b' },
  ];
  const records: Record<string, ResourceRecordSet[]> = {
    '/hostedzone/org': [
      {
        Name: 'test-1.example.org.',
        Type: 'CNAME',
        ResourceRecords: [{ Value: 'test-1-123.myregion.elb.amazonaws.com' }],
      },
      {
        Name: 'mydomain.example.org.',
        Type: 'CNAME',
        SetIdentifier: 'test-2',
        Weight: 0,
        ResourceRecords: [{ Value: 'test-2.example.org' }],
      },
      {
        Name: 'mydomain.example.org.',
        Type: 'CNAME',
        SetIdentifier: 'test-1',
        Weight: 20,
        ResourceRecords: [{ Value: 'test-1.example.org' }],
      },
    ],
  };
  const resources = [
    {
      LogicalResourceId: 'VersionDomain',
      ResourceType: 'AWS::Route53::RecordSet',
      PhysicalResourceId: 'test-1.example.org',
      LastUpdatedTimestamp: new Date(NOW),
      ResourceStatus: 'CREATE_COMPLETE' as const,
    },
    {
      LogicalResourceId: 'MainDomain',
      ResourceType: 'AWS::Route53::RecordSet',
      PhysicalResourceId: 'mydomain.example.org',
      LastUpdatedTimestamp: new Date(NOW),
      ResourceStatus: 'CREATE_COMPLETE' as const,
    },
    {
      LogicalResourceId: 'AppServer',
      ResourceType: 'AWS::AutoScaling::AutoScalingGroup',
      PhysicalResourceId: 'asg',
      LastUpdatedTimestamp: new Date(NOW),
      ResourceStatus: 'CREATE_COMPLETE' as const,
    },
  ];

  it("picks the stack's weighted record and renders the golden table", async () => {
    const rows = await domainRows(cacheWith(zones, records), [{ stack, resources }]);
    expect(renderTable('text', STACK_TABLES.domains, rows as never, { nowMs: NOW })).toBe(
      [
        'Stack Name│Ver.│Resource ID  │Domain              │Weight│Type │Value                                │Create Time',
        'test       1    VersionDomain test-1.example.org          CNAME test-1-123.myregion.elb.amazonaws.com      0s ago ',
        'test       1    MainDomain    mydomain.example.org 20     CNAME test-1.example.org                         0s ago ',
        '',
      ].join('\n'),
    );
  });

  it('skips ROLLBACK_COMPLETE stacks; the longest matching zone wins; aliases show their target', async () => {
    expect(
      await domainRows(cacheWith(zones, records), [{ stack: { ...stack, status: 'ROLLBACK_COMPLETE' }, resources }]),
    ).toEqual([]);
    const nested = cacheWith([...zones, { Id: '/hostedzone/sub', Name: 'sub.example.org.', CallerReference: 'c' }], {});
    expect((await nested.zoneOf('a.sub.example.org'))?.Id).toBe('/hostedzone/sub');
    expect((await nested.zoneOf('a.xsub.example.org'))?.Id).toBe('/hostedzone/org');
    expect(
      recordValue({
        Name: 'a',
        Type: 'A',
        AliasTarget: { DNSName: 'lb.aws.', HostedZoneId: 'Z', EvaluateTargetHealth: false },
      }),
    ).toBe('lb.aws.');
  });
});
