import { describe, expect, it } from 'vitest';
import { EXIT, UsageError } from '../../../errors.js';
import { type MessageCatalog, RecordingHost } from '../../../io/messages.js';
import { FakeStackSession } from '../test-stack-session.js';
import { waitForStacks } from './wait-for-stacks.js';
import { WAIT_MESSAGES } from './wait-messages.js';

const summary = (name: string, status: string) => ({
  StackName: name,
  StackStatus: status,
  StackId: `arn:${name}`,
  CreationTime: new Date(0),
});

function session(statuses: string[][], events: unknown[] = []) {
  let i = 0;
  return new FakeStackSession({
    ListStacks: () => ({
      StackSummaries: statuses[Math.min(i++, statuses.length - 1)].map((s) => summary('test-1', s)),
    }),
    DescribeStackEvents: () => ({ StackEvents: events }),
  });
}

describe('waitForStacks (goldens of the original)', () => {
  it('waits while in progress, then OK', async () => {
    const host = new RecordingHost();
    let now = 0;
    await waitForStacks(
      session([['CREATE_IN_PROGRESS'], ['UPDATE_COMPLETE']]).asSession(),
      [{ name: 'test', version: '1' }],
      {
        host,
        timeoutSeconds: 2,
        intervalSeconds: 1,
        now: () => now,
        sleep: async (ms) => {
          now += ms;
        },
      },
    );
    expect(host.messages.map((m) => m.text)).toEqual([
      'Waiting up to 2 more secs for stack test-1 (CREATE_IN_PROGRESS)..',
      'OK: Stack(s) test-1 updated successfully.',
    ]);
  });

  it('a failed stack: its failure events, then the status, exit 1', async () => {
    const host = new RecordingHost();
    const e = await waitForStacks(
      session(
        [['ROLLBACK_COMPLETE']],
        [
          {
            LogicalResourceId: 'foo',
            ResourceStatus: 'FAIL',
            ResourceStatusReason: 'myreason',
            Timestamp: new Date(1),
          },
          {
            LogicalResourceId: 'bar',
            ResourceStatus: 'CREATE_COMPLETE',
            ResourceStatusReason: 'x',
            Timestamp: new Date(2),
          },
        ],
      ).asSession(),
      [{ name: 'test' }],
      { host },
    ).catch((x) => x);
    expect(host.messages.map((m) => m.text)).toEqual(['ERROR: foo FAIL: myreason']);
    expect(e.message).toBe('Stack test-1 has status ROLLBACK_COMPLETE');
    expect(e.exitCode).toBe(EXIT.FAILED);
  });

  it('no matching stack is a usage error (exit 2)', async () => {
    const e = await waitForStacks(
      new FakeStackSession({ ListStacks: () => ({ StackSummaries: [] }) }).asSession(),
      [{ name: 'nope', version: '1' }],
      { refText: 'nope 1' },
    ).catch((x) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe('No matching stack for "nope 1" found');
  });

  it('the deadline passes: Aborted!, exit 1', async () => {
    let now = 0;
    const e = await waitForStacks(session([['CREATE_IN_PROGRESS']]).asSession(), [{ name: 'test' }], {
      timeoutSeconds: 3,
      intervalSeconds: 1,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    }).catch((x) => x);
    expect(e.message).toBe('Aborted!');
    expect(e.exitCode).toBe(1);
  });

  it('--deletion waits for a stack not yet being deleted (the original failed on it)', async () => {
    const host = new RecordingHost();
    await waitForStacks(session([['CREATE_COMPLETE'], ['DELETE_COMPLETE']]).asSession(), [{ name: 'test' }], {
      host,
      deletion: true,
      sleep: async () => {},
    });
    expect(host.messages.at(-1)?.text).toBe('OK: Stack(s) test-1 deleted successfully.');
  });

  it('-t 0 on a finished stack: looks once and succeeds', async () => {
    const host = new RecordingHost();
    const aws = session([['CREATE_COMPLETE']]);
    const r = await waitForStacks(aws.asSession(), [{ name: 'test', version: '1' }], { host, timeoutSeconds: 0 });
    expect(r.stacks).toEqual([{ stackName: 'test-1', status: 'CREATE_COMPLETE' }]);
    expect(host.messages.map((m) => m.text)).toEqual(['OK: Stack(s) test-1 created successfully.']);
    expect(aws.operations()).toEqual(['ListStacks']);
  });

  it('-t 0 on a stack in progress: the timeout names what is still running', async () => {
    const e = await waitForStacks(session([['CREATE_IN_PROGRESS']]).asSession(), [{ name: 'test' }], {
      timeoutSeconds: 0,
    }).catch((x) => x);
    expect(e.message).toBe('Aborted!');
    expect(e.hint).toBe(
      'Timed out after 0 s; still in progress: test-1 (CREATE_IN_PROGRESS). Run senza wait again to keep waiting.',
    );
  });

  it('every code it emits is registered in WAIT_MESSAGES with its level', async () => {
    const host = new RecordingHost();
    let now = 0;
    const clock = {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    };
    await waitForStacks(session([['CREATE_IN_PROGRESS'], ['CREATE_COMPLETE']]).asSession(), [{ name: 'test' }], {
      host,
      ...clock,
    });
    await waitForStacks(
      session(
        [['ROLLBACK_COMPLETE']],
        [{ LogicalResourceId: 'x', ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'r' }],
      ).asSession(),
      [{ name: 'test' }],
      { host },
    ).catch(() => undefined);
    // The messages it notifies: the catalog's entries without an exit code (those are its errors).
    const catalog: MessageCatalog = WAIT_MESSAGES;
    const notified = Object.entries(catalog).filter(([, d]) => d.exitCode === undefined);
    expect(new Set(host.codes())).toEqual(new Set(notified.map(([code]) => code)));
    for (const m of host.messages) expect(m.level).toBe(catalog[m.code].level);
  });
});
