import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../../errors.js';
import { RecordingHost } from '../../../io/messages.js';
import { DEFAULT_POLL_SCHEDULE, pollDelay, pollsPerMinute } from '../../../io/poll-schedule.js';
import { FakeStackSession } from '../test-stack-session.js';
import {
  failuresOf,
  formatStackEvent,
  type StackEvent,
  StackProgressBoard,
  watchFailure,
  watchStacks,
} from './stack-events-watch.js';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));
const ev = (id: string, logicalId: string, status: string, s: number, reason?: string, type = 'AWS::SQS::Queue') => ({
  EventId: id,
  StackName: 'app-1',
  LogicalResourceId: logicalId,
  ResourceType: logicalId === 'app-1' ? 'AWS::CloudFormation::Stack' : type,
  ResourceStatus: status,
  ResourceStatusReason: reason,
  Timestamp: t(s),
});

describe('poll schedule', () => {
  it('backs off 1 s → 2 s → 5 s and stays at the cap', () => {
    expect([0, 1, 2, 3, 10, 100].map((a) => pollDelay(DEFAULT_POLL_SCHEDULE, a))).toEqual([
      1000, 2000, 5000, 5000, 5000, 5000,
    ]);
    expect(pollsPerMinute(DEFAULT_POLL_SCHEDULE)).toBe(12);
  });
});

describe('event formatting', () => {
  const e: StackEvent = {
    eventId: '1',
    stackName: 'app-1',
    logicalId: 'AppServer',
    resourceType: 'AWS::AutoScaling::AutoScalingGroup',
    status: 'CREATE_FAILED',
    reason: 'Instance failed to launch',
    timestamp: t(7),
  };
  it('one line per event: time, stack, status, resource, reason', () => {
    expect(formatStackEvent(e)).toBe(
      '12:00:07 app-1 CREATE_FAILED AppServer (AutoScaling::AutoScalingGroup): Instance failed to launch',
    );
    expect(formatStackEvent({ ...e, status: 'CREATE_IN_PROGRESS', reason: undefined })).toBe(
      '12:00:07 app-1 CREATE_IN_PROGRESS AppServer (AutoScaling::AutoScalingGroup)',
    );
  });
  it('failures: *_FAILED with a reason, resources before the stack', () => {
    const stackFailed = {
      ...e,
      eventId: '2',
      logicalId: 'app-1',
      resourceType: 'AWS::CloudFormation::Stack',
      timestamp: t(1),
    };
    expect(failuresOf([stackFailed, e, { ...e, eventId: '3', reason: undefined }]).map((f) => f.logicalId)).toEqual([
      'AppServer',
      'app-1',
    ]);
  });
  it('the live board keeps the latest status per resource', () => {
    const board = new StackProgressBoard(['app-1']);
    board.apply({ ...e, status: 'CREATE_IN_PROGRESS', reason: undefined });
    board.apply(e);
    board.setStatus('app-1', 'ROLLBACK_IN_PROGRESS');
    expect(board.lines()).toEqual([
      'app-1 ROLLBACK_IN_PROGRESS',
      '  AppServer CREATE_FAILED: Instance failed to launch',
    ]);
  });
});

describe('watchStacks', () => {
  it('streams new events, backs off, and names the failed resource and its reason', async () => {
    const rounds = [
      { status: 'CREATE_IN_PROGRESS', events: [ev('e1', 'app-1', 'CREATE_IN_PROGRESS', 1, 'User Initiated')] },
      { status: 'CREATE_IN_PROGRESS', events: [] },
      {
        status: 'ROLLBACK_COMPLETE',
        events: [
          ev('e2', 'Queue', 'CREATE_IN_PROGRESS', 2),
          ev('e3', 'Queue', 'CREATE_FAILED', 3, 'Queue name already taken'),
          ev('e4', 'app-1', 'ROLLBACK_IN_PROGRESS', 4, 'The following resource(s) failed to create: [Queue].'),
          ev('e5', 'app-1', 'ROLLBACK_COMPLETE', 5),
        ],
      },
    ];
    let round = -1;
    const seen: unknown[] = [];
    const session = new FakeStackSession({
      DescribeStacks: () => {
        round++;
        return { Stacks: [{ StackStatus: rounds[round].status }] };
      },
      // Newest first, all events so far, as CloudFormation pages them.
      DescribeStackEvents: () => ({
        StackEvents: rounds
          .slice(0, round + 1)
          .flatMap((r) => r.events)
          .reverse(),
      }),
    });
    const sleeps: number[] = [];
    const host = new RecordingHost();
    const result = await watchStacks([{ stackName: 'app-1', stackId: 'arn:app-1' }], session.asSession(), {
      operation: 'create',
      host,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    seen.push(...host.messages.filter((m) => m.code === 'senza.stack-event').map((m) => m.text));
    expect(seen).toHaveLength(5);
    expect(sleeps).toEqual([1000, 2000]);
    expect(result.ok).toBe(false);
    const error = watchFailure(result);
    expect(error?.exitCode).toBe(1);
    expect(error?.message).toBe(
      'Stack app-1 has status ROLLBACK_COMPLETE (Queue CREATE_FAILED: Queue name already taken)',
    );
    expect(error?.hint).toBe(
      'The version keeps its name until it is deleted: senza delete app 1, then create it again (or create another version).',
    );
    // Two calls per poll, nothing more.
    expect(session.calls).toHaveLength(6);
  });

  it('backs off to the cap while nothing happens, and Ctrl-C ends it with AbortedError', async () => {
    const session = new FakeStackSession({
      DescribeStacks: () => ({ Stacks: [{ StackStatus: 'UPDATE_IN_PROGRESS' }] }),
      DescribeStackEvents: () => ({ StackEvents: [ev('old', 'app-1', 'UPDATE_IN_PROGRESS', 1)] }),
    });
    const controller = new AbortController();
    const sleeps: number[] = [];
    const e = await watchStacks([{ stackName: 'app-1', stackId: 'arn', afterEventId: 'old' }], session.asSession(), {
      operation: 'update',
      signal: controller.signal,
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 4) controller.abort();
      },
    }).catch((x) => x);
    expect(e).toBeInstanceOf(AbortedError);
    expect(e.exitCode).toBe(130);
    expect(sleeps).toEqual([1000, 2000, 5000, 5000]);
  });

  it('a deleted stack that no longer resolves counts as DELETE_COMPLETE', async () => {
    const session = new FakeStackSession({
      DescribeStacks: () => ({ Stacks: [{ StackStatus: 'DELETE_COMPLETE' }] }),
      DescribeStackEvents: () => ({ StackEvents: [] }),
    });
    const r = await watchStacks([{ stackName: 'app-1', stackId: 'arn' }], session.asSession(), { operation: 'delete' });
    expect(r.ok).toBe(true);
  });
});
