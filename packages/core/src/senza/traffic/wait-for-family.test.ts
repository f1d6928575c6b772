import { describe, expect, it } from 'vitest';
import type { AwsSession } from '../../aws/aws-session.js';
import { RecordingHost } from '../../io/messages.js';
import { waitForStackFamily } from './wait-for-family.js';

/** DescribeStacks answers from a list of states, one per call; the last repeats. */
function session(states: string[][]): AwsSession {
  let i = 0;
  const fake = {
    withSignal: () => fake,
    async send() {
      const statuses = states[Math.min(i++, states.length - 1)];
      return {
        Stacks: statuses.map((status, n) => ({
          StackName: `myapp-${n + 1}`,
          StackStatus: status,
          CreationTime: new Date(n * 1000),
        })),
      };
    },
  };
  return fake as unknown as AwsSession;
}

describe('senza traffic --timeout', () => {
  it('waits while a version is in progress, sleeping with back-off, and returns the settled family', async () => {
    const slept: number[] = [];
    let clock = 0;
    const host = new RecordingHost();
    const family = await waitForStackFamily(
      session([
        ['CREATE_COMPLETE', 'UPDATE_IN_PROGRESS'],
        ['CREATE_COMPLETE', 'UPDATE_IN_PROGRESS'],
        ['CREATE_COMPLETE', 'UPDATE_COMPLETE'],
      ]),
      'myapp',
      {
        timeoutSeconds: 60,
        intervalSeconds: 2,
        host,
        now: () => clock,
        sleep: async (ms) => {
          slept.push(ms);
          clock += ms;
        },
      },
    );
    expect(slept).toEqual([2000, 3000]);
    expect(family.map((s) => s.status)).toEqual(['UPDATE_COMPLETE', 'CREATE_COMPLETE']);
    expect(host.messages[0].text).toBe(
      'Waiting for stack myapp-2 (UPDATE_IN_PROGRESS) to perform requested operation..',
    );
    // One span: started once, a dot per further check, ended with OK (not a line per check without a verdict).
    expect(host.messages.map((m) => [m.span?.phase, m.span?.phase === 'end' ? m.text : undefined])).toEqual([
      ['start', undefined],
      ['progress', undefined],
      ['end', 'OK'],
    ]);
  });

  it('ends its span with FAILED when the wait times out', async () => {
    let clock = 0;
    const host = new RecordingHost();
    await expect(
      waitForStackFamily(session([['UPDATE_IN_PROGRESS']]), 'myapp', {
        timeoutSeconds: 5,
        intervalSeconds: 2,
        host,
        now: () => clock,
        sleep: async (ms: number) => {
          clock += ms;
        },
      }),
    ).rejects.toThrow('Timeout reached');
    expect(host.messages.at(-1)).toMatchObject({ text: 'FAILED', span: { phase: 'end', outcome: 'failed' } });
  });

  it('gives up at the timeout without changing anything, and needs a stack', async () => {
    let clock = 0;
    const options = {
      timeoutSeconds: 5,
      intervalSeconds: 2,
      now: () => clock,
      sleep: async (ms: number) => {
        clock += ms;
      },
    };
    await expect(waitForStackFamily(session([['DELETE_IN_PROGRESS']]), 'myapp', options)).rejects.toThrow(
      'Timeout reached, requested operation not executed.',
    );
    expect(clock).toBe(5000);
    await expect(waitForStackFamily(session([[]]), 'myapp', options)).rejects.toThrow('Stack not found!');
  });
});
