import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../io/table.js';
import type { StackSummary } from './list-stacks.js';
import { shortResourceType, stackEventRows, unseenEvents } from './stack-events.js';
import { STACK_TABLES } from './stack-tables.js';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const t = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000);
const summary = (stackName: string, status: string, secondsAgo: number): StackSummary => ({
  stackName,
  name: stackName.replace(/-[^-]*$/, ''),
  version: stackName.replace(/^.*-/, ''),
  status,
  stackId: `arn:${stackName}`,
  creationTime: t(secondsAgo),
});

describe('senza events rows', () => {
  const stack = summary('app-1', 'CREATE_IN_PROGRESS', 100);
  const events: StackEvent[] = [
    // DescribeStackEvents answers newest first
    {
      StackId: 'arn:app-1',
      StackName: 'app-1',
      EventId: 'e3',
      LogicalResourceId: 'AppServer',
      ResourceType: 'AWS::AutoScaling::AutoScalingGroup',
      ResourceStatus: 'CREATE_FAILED',
      ResourceStatusReason:
        'Received 0 SUCCESS signal(s) out of 1. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement',
      Timestamp: t(10),
    },
    {
      StackId: 'arn:app-1',
      StackName: 'app-1',
      EventId: 'e2',
      LogicalResourceId: 'AppServer',
      ResourceType: 'AWS::AutoScaling::AutoScalingGroup',
      ResourceStatus: 'CREATE_IN_PROGRESS',
      Timestamp: t(50),
    },
    {
      StackId: 'arn:app-1',
      StackName: 'app-1',
      EventId: 'e1',
      LogicalResourceId: 'app-1',
      ResourceType: 'AWS::CloudFormation::Stack',
      ResourceStatus: 'CREATE_IN_PROGRESS',
      ResourceStatusReason: 'User Initiated',
      Timestamp: t(90),
    },
  ];

  it('strips AWS:: and orders oldest first; long reasons are cut at 50 characters', () => {
    expect(shortResourceType('AWS::EC2::Instance')).toBe('EC2::Instance');
    expect(shortResourceType('Custom::Thing')).toBe('Custom::Thing');
    const rows = stackEventRows([{ stack, events }]);
    expect(rows.map((r) => r.event_id)).toEqual(['e1', 'e2', 'e3']);
    const text = renderTable('text', STACK_TABLES.events, rows as never, { nowMs: NOW });
    expect(text.split('\n')[0]).toBe(
      'Stack Name│Ver.│Resource Type                │Resource ID│Status            │Status Reason                                     │Event Time',
    );
    expect(text.split('\n')[3]).toBe(
      'app        1    AutoScaling::AutoScalingGroup AppServer   CREATE_FAILED      Received 0 SUCCESS signal(s) out of 1. Unable to..    10s ago ',
    );
  });

  it('watching off a TTY: only events not shown before', () => {
    const seen = new Set<string>();
    const rows = stackEventRows([{ stack, events }]);
    expect(unseenEvents(rows.slice(0, 2), seen)).toHaveLength(2);
    expect(unseenEvents(rows, seen).map((r) => r.event_id)).toEqual(['e3']);
    expect(unseenEvents(rows, seen)).toEqual([]);
  });
});
