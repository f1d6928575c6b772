import { type CliContext, CliHost } from '@stups/cli-kit';
import type { AwsSession } from '@stups/core/aws';
import { TAUPAGE_LINE } from '@stups/core/senza/diagnose';
import { describe, expect, it } from 'vitest';
import { watchDeployment } from './deployment-watch.js';

const STACK_ID = 'arn:aws:cloudformation:eu-central-1:123456789012:stack/hello-1/abc';

/** A creation that CloudFormation keeps in progress (a signal timeout far away) while the app exits at start. */
function session(calls: string[]): AwsSession {
  // biome-ignore lint/suspicious/noExplicitAny: canned SDK-shaped answers
  const answers: Record<string, (input: any) => unknown> = {
    DescribeStacks: () => ({
      Stacks: [{ StackId: STACK_ID, StackName: 'hello-1', StackStatus: 'CREATE_IN_PROGRESS' }],
    }),
    DescribeStackEvents: () => ({ StackEvents: [] }),
    DescribeStackResources: () => ({ StackResources: [] }),
    DescribeInstances: () => ({
      Reservations: [{ Instances: [{ InstanceId: 'i-1', Tags: [{ Key: 'Name', Value: 'hello-1' }] }] }],
    }),
    GetConsoleOutput: () => ({
      Output: Buffer.from(['starting', 'no config', TAUPAGE_LINE.exited(0, undefined)].join('\n')).toString('base64'),
    }),
    DescribeInstanceHealth: () => ({ InstanceStates: [] }),
    DeleteStack: () => ({}),
  };
  const fake = {
    region: 'eu-central-1',
    // biome-ignore lint/suspicious/noExplicitAny: mirrors AwsSession.send
    async send(_service: string, command: any) {
      const operation = String(command.constructor.name).replace(/Command$/, '');
      calls.push(operation);
      const answer = answers[operation];
      if (!answer) throw new Error(`unexpected ${operation}`);
      return answer(command.input);
    },
    withSignal: () => fake,
  };
  return fake as unknown as AwsSession;
}

function cli(): { cli: CliContext; lines: () => { code: string; level: string }[] } {
  let err = '';
  const host = new CliHost({
    stdout: { write: () => true },
    stderr: { write: (s: string) => (err += s) },
    env: { CI: '1' },
    logFormat: 'json',
  });
  const context = {
    tool: 'senza',
    host,
    env: {},
    debug: false,
    interactive: false,
    signal: new AbortController().signal,
  };
  return {
    cli: context,
    lines: () =>
      err
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
  };
}

const target = { stackName: 'hello-1', stackId: STACK_ID };

describe('create --wait with a diagnosis', () => {
  it('ends with the verdict (exit 1, its code) before CloudFormation does, and says how to stop it', async () => {
    const calls: string[] = [];
    const c = cli();
    const failed = watchDeployment(c.cli, session(calls), [target], 'create', 'senza wait hello 1', {
      name: 'hello',
      version: '1',
      failFast: false,
    });
    await expect(failed).rejects.toMatchObject({
      code: 'senza.diagnose-app-exited',
      exitCode: 1,
      hint: 'CloudFormation carries on. To stop it: senza delete hello 1',
    });
    expect(c.lines().map((l) => l.code)).toContain('senza.diagnose-app-exited');
    expect(calls).not.toContain('DeleteStack');
  }, 20_000);

  it('--fail-fast deletes the new stack', async () => {
    const calls: string[] = [];
    const c = cli();
    const failed = watchDeployment(c.cli, session(calls), [target], 'create', 'senza wait hello 1', {
      name: 'hello',
      version: '1',
      failFast: true,
    });
    await expect(failed).rejects.toMatchObject({
      code: 'senza.diagnose-app-exited',
      hint: 'To follow the deletion: senza wait --deletion hello 1',
    });
    expect(calls.filter((op) => op === 'DeleteStack')).toHaveLength(1);
    expect(c.lines().map((l) => l.code)).toEqual(
      expect.arrayContaining(['senza.diagnose-app-exited', 'senza.diagnose-cancelled']),
    );
  }, 20_000);
});
