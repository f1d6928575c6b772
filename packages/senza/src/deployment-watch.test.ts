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
  const { context, err } = watchHost('json');
  return {
    cli: context,
    lines: () =>
      err.text
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

/** A deletion CloudFormation has finished: two events, then DELETE_COMPLETE at the first look. */
function deleted(): AwsSession {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s));
  const events = [
    // Newest first, as DescribeStackEvents pages.
    { EventId: 'e2', StackName: 'hello-1', LogicalResourceId: 'hello-1', ResourceType: 'AWS::CloudFormation::Stack' },
    {
      EventId: 'e1',
      StackName: 'hello-1',
      LogicalResourceId: 'AppServer',
      ResourceType: 'AWS::AutoScaling::AutoScalingGroup',
    },
  ].map((e, i) => ({ ...e, ResourceStatus: i === 0 ? 'DELETE_COMPLETE' : 'DELETE_IN_PROGRESS', Timestamp: at(2 - i) }));
  // biome-ignore lint/suspicious/noExplicitAny: canned SDK-shaped answers
  const answers: Record<string, (input: any) => unknown> = {
    DescribeStacks: () => ({ Stacks: [{ StackId: STACK_ID, StackName: 'hello-1', StackStatus: 'DELETE_COMPLETE' }] }),
    DescribeStackEvents: () => ({ StackEvents: events }),
  };
  const fake = {
    region: 'eu-central-1',
    // biome-ignore lint/suspicious/noExplicitAny: mirrors AwsSession.send
    async send(_service: string, command: any) {
      return answers[String(command.constructor.name).replace(/Command$/, '')]?.(command.input);
    },
    withSignal: () => fake,
  };
  return fake as unknown as AwsSession;
}

function watchHost(kind: 'live' | 'ci' | 'json') {
  const err = { text: '', isTTY: kind === 'live', write: (s: string) => (err.text += s) };
  const host = new CliHost({
    stdout: { write: () => true },
    stderr: err,
    env: kind === 'live' ? {} : { CI: '1' },
    logFormat: kind === 'json' ? 'json' : 'text',
  });
  const context = {
    tool: 'senza',
    host,
    env: {},
    debug: false,
    interactive: false,
    signal: new AbortController().signal,
  };
  return { context, err };
}

describe('delete --wait: the stack events as the host renders them', () => {
  const event = { level: 'info', code: 'senza.stack-event', text: 'a later event' } as const;

  it('on a live terminal, a board redrawn in place; no line per event or final status', async () => {
    const { context, err } = watchHost('live');
    await expect(
      watchDeployment(context, deleted(), [target], 'delete', 'senza wait --deletion hello 1'),
    ).resolves.toBe(0);
    expect(err.text).toBe(
      [
        'hello-1 WAITING\n',
        '\u001b[1A\u001b[Jhello-1 WAITING\n  AppServer DELETE_IN_PROGRESS\n',
        '\u001b[2A\u001b[Jhello-1 DELETE_COMPLETE\n  AppServer DELETE_IN_PROGRESS\n',
        '\u001b[2A\u001b[Jhello-1 DELETE_COMPLETE\n  AppServer DELETE_IN_PROGRESS\n',
        'OK: Stack(s) hello-1 deleted successfully.\n',
      ].join(''),
    );
    // The board is the watch's: afterwards an event is a line again.
    context.host.notify(event);
    expect(err.text.endsWith('successfully.\na later event\n')).toBe(true);
  });

  it('off a terminal, one line per event and none for the final status', async () => {
    const { context, err } = watchHost('ci');
    await watchDeployment(context, deleted(), [target], 'delete', 'senza wait --deletion hello 1');
    expect(err.text).toBe(
      [
        '10:00:01 hello-1 DELETE_IN_PROGRESS AppServer (AutoScaling::AutoScalingGroup)',
        '10:00:02 hello-1 DELETE_COMPLETE hello-1 (CloudFormation::Stack)',
        'OK: Stack(s) hello-1 deleted successfully.',
        '',
      ].join('\n'),
    );
  });

  it('as JSON lines, every message as it is, the final status too (docs/messages.md: one JSON line per message)', async () => {
    const { context, err } = watchHost('json');
    await watchDeployment(context, deleted(), [target], 'delete', 'senza wait --deletion hello 1');
    const codes = err.text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).code);
    expect(codes).toEqual(['senza.stack-event', 'senza.stack-event', 'senza.stack-done', 'senza.watch-succeeded']);
  });
});
