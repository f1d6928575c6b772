import type { HostedZone, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import type { AwsSession } from '../../../aws/aws-session.js';
import { unescapeRoute53 } from '../../../aws/dns-names.js';
import { renderTable } from '../../../io/table.js';
import type { StackSummary } from './list-stacks.js';
import { domainRows, RecordSetCache, recordValue } from './stack-domains.js';
import { STACK_TABLES } from './stack-tables.js';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

interface Call {
  HostedZoneId?: string;
  StartRecordName?: string;
  StartRecordIdentifier?: string;
}

/**
 * A cache over canned Route53 answers (no AWS): each zone's records in Route53's order, two per page,
 * a page starting at `StartRecordName` (and `StartRecordIdentifier`) as Route53 does (`*` and `\\052` alike).
 */
function cacheWith(zones: HostedZone[], records: Record<string, ResourceRecordSet[]>, calls: Call[] = []) {
  const session = {
    send: async (_service: string, command: { input: Call }) => {
      const input = command.input;
      calls.push(input);
      const all = records[input.HostedZoneId ?? ''] ?? [];
      const at = all.findIndex(
        (r) =>
          unescapeRoute53(r.Name ?? '') === unescapeRoute53(input.StartRecordName ?? '') &&
          (input.StartRecordIdentifier === undefined || r.SetIdentifier === input.StartRecordIdentifier),
      );
      if (at < 0) return { ResourceRecordSets: [], IsTruncated: false };
      const page = all.slice(at, at + 2);
      const next = all[at + 2];
      return next
        ? {
            ResourceRecordSets: page,
            IsTruncated: true,
            NextRecordName: next.Name,
            NextRecordType: next.Type,
            NextRecordIdentifier: next.SetIdentifier,
          }
        : { ResourceRecordSets: page, IsTruncated: false };
    },
  } as unknown as AwsSession;
  const cache = new RecordSetCache(session);
  cache.hostedZones = async () => zones;
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

  it('reads only the records of each name (StartRecordName, pages while the name lasts), names unescaped', async () => {
    const zone = [{ Id: 'org', Name: 'example.org.', CallerReference: 'a' }];
    const weighted = (id: string, weight: number) => ({
      Name: 'mydomain.example.org.',
      Type: 'CNAME' as const,
      SetIdentifier: id,
      Weight: weight,
      ResourceRecords: [{ Value: `${id}.example.org` }],
    });
    const zoneRecords = {
      org: [
        { Name: 'example.org.', Type: 'SOA' as const, ResourceRecords: [{ Value: 'soa' }] },
        { Name: 'a.example.org.', Type: 'CNAME' as const, ResourceRecords: [{ Value: 'x' }] },
        weighted('test-0', 0),
        weighted('test-2', 0),
        weighted('test-1', 30),
        { Name: 'other.example.org.', Type: 'CNAME' as const, ResourceRecords: [{ Value: 'y' }] },
        { Name: 'more.example.org.', Type: 'CNAME' as const, ResourceRecords: [{ Value: 'z' }] },
        { Name: 'zzz.example.org.', Type: 'CNAME' as const, ResourceRecords: [{ Value: 'w' }] },
        { Name: '\\052.example.org.', Type: 'CNAME' as const, ResourceRecords: [{ Value: 'wild.example.org' }] },
      ],
    };
    const calls: Call[] = [];
    const cache = cacheWith(zone, zoneRecords, calls);
    expect((await cache.recordFor('mydomain.example.org', 'test-1'))?.Weight).toBe(30);
    expect(calls.map((c) => [c.StartRecordName, c.StartRecordIdentifier])).toEqual([
      ['mydomain.example.org.', undefined],
      ['mydomain.example.org.', 'test-1'],
    ]);
    // Cached per name: a second stack's look-up makes no call.
    expect((await cache.recordFor('mydomain.example.org', 'test-2'))?.Weight).toBe(0);
    expect(calls).toHaveLength(2);
    // Route53 answers `*` as `\052`.
    expect(recordValue((await cache.recordFor('*.example.org', 'test-1')) ?? ({} as never))).toBe('wild.example.org');
  });
});
