import { describe, expect, it } from 'vitest';
import { FakeStackSession, type Handler } from '../stacks/test-stack-session.js';
import { cancelCommand, cancelDeployment, diagnoseVersion, watchWithDiagnosis } from './diagnose-version.js';
import { TAUPAGE_LINE } from './taupage-console.js';

const STACK_ID = 'arn:aws:cloudformation:eu-central-1:123456789012:stack/hello-1/abc';
const IMAGE = 'pierone.example.org/team/hello:1.0';

function handlers(status: () => string, consoleLines: () => string[], patch: Record<string, Handler> = {}) {
  return {
    DescribeStacks: () => ({ Stacks: [{ StackId: STACK_ID, StackName: 'hello-1', StackStatus: status() }] }),
    DescribeStackResources: () => ({
      StackResources: [{ ResourceType: 'AWS::AutoScaling::AutoScalingGroup', PhysicalResourceId: 'g' }],
    }),
    DescribeStackEvents: () => ({ StackEvents: [] }),
    DescribeScalingActivities: () => ({ Activities: [] }),
    DescribeInstances: () => ({
      Reservations: [{ Instances: [{ InstanceId: 'i-1', Tags: [{ Key: 'Name', Value: 'hello-1' }] }] }],
    }),
    GetConsoleOutput: () => ({ Output: Buffer.from(consoleLines().join('\n')).toString('base64') }),
    DescribeInstanceHealth: () => ({ InstanceStates: [] }),
    DescribeAutoScalingGroups: () => ({ AutoScalingGroups: [] }),
    DeleteStack: () => ({}),
    CancelUpdateStack: () => ({}),
    ...patch,
  };
}

const target = { stackName: 'hello-1', stackId: STACK_ID };
const ref = { name: 'hello', version: '1' };

describe('watchWithDiagnosis', () => {
  it('ends with the verdict while CloudFormation is still in progress', async () => {
    let polls = 0;
    const session = new FakeStackSession(
      handlers(
        () => 'CREATE_IN_PROGRESS',
        () =>
          ++polls < 2
            ? [TAUPAGE_LINE.starting(IMAGE)]
            : [TAUPAGE_LINE.starting(IMAGE), 'bye', TAUPAGE_LINE.exited(0, undefined)],
      ),
    );
    const started = Date.now();
    const out = await watchWithDiagnosis(session.asSession(), target, ref, { operation: 'create', intervalMs: 20 });
    expect(out.result).toBeUndefined();
    expect(out.verdict).toMatchObject({ code: 'senza.diagnose-app-exited', data: { applicationLines: ['bye'] } });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reads the evidence once more when CloudFormation fails first', async () => {
    const session = new FakeStackSession(
      handlers(
        () => 'ROLLBACK_COMPLETE',
        () => [],
        {
          DescribeStackEvents: () => ({
            StackEvents: [
              {
                EventId: 'e1',
                StackName: 'hello-1',
                LogicalResourceId: 'AppServer',
                ResourceType: 'AWS::AutoScaling::AutoScalingGroup',
                ResourceStatus: 'CREATE_FAILED',
                ResourceStatusReason: 'Failed to receive 1 resource signal(s) within the specified duration',
                Timestamp: new Date(),
              },
            ],
          }),
        },
      ),
    );
    const out = await watchWithDiagnosis(session.asSession(), target, ref, { operation: 'create', intervalMs: 60_000 });
    expect(out.result?.ok).toBe(false);
    expect(out.verdict?.code).toBe('senza.diagnose-no-signal');
  });

  it('ends without a verdict when the stack succeeds', async () => {
    const session = new FakeStackSession(
      handlers(
        () => 'CREATE_COMPLETE',
        () => [],
      ),
    );
    const out = await watchWithDiagnosis(session.asSession(), target, ref, { operation: 'create', intervalMs: 60_000 });
    expect(out).toMatchObject({ result: { ok: true } });
    expect(out.verdict).toBeUndefined();
  });
});

describe('diagnoseVersion', () => {
  it('reads the health again until the failing answer is certain', async () => {
    const session = new FakeStackSession(
      handlers(
        () => 'CREATE_COMPLETE',
        () => [],
        {
          DescribeInstanceHealth: () => ({
            InstanceStates: [
              { InstanceId: 'i-1', State: 'OutOfService', ReasonCode: 'Instance', Description: 'failed' },
            ],
          }),
        },
      ),
    );
    const d = await diagnoseVersion(session.asSession(), 'hello', '1', { sleep: async () => undefined });
    expect(d.verdicts.map((v) => v.code)).toEqual(['senza.diagnose-health-failing']);
    expect(session.operations().filter((o) => o === 'DescribeInstanceHealth')).toHaveLength(3);
  });

  it('reads once for a healthy version', async () => {
    const session = new FakeStackSession(
      handlers(
        () => 'CREATE_COMPLETE',
        () => [],
      ),
    );
    const d = await diagnoseVersion(session.asSession(), 'hello', '1');
    expect(d).toEqual({ stackName: 'hello-1', stackStatus: 'CREATE_COMPLETE', verdicts: [], unavailable: {} });
  });
});

describe('cancelDeployment', () => {
  it('deletes a creation and cancels an update', async () => {
    const session = new FakeStackSession(
      handlers(
        () => '',
        () => [],
      ),
    );
    expect(await cancelDeployment(session.asSession(), STACK_ID, 'hello-1', 'create')).toBe('deleted');
    expect(await cancelDeployment(session.asSession(), STACK_ID, 'hello-1', 'update')).toBe('cancelled');
    expect(session.calls.map((c) => [c.operation, c.input.StackName])).toEqual([
      ['DeleteStack', STACK_ID],
      ['CancelUpdateStack', STACK_ID],
    ]);
    expect(cancelCommand('hello-1', 'create', 'eu-west-1')).toBe('senza delete hello 1 --region eu-west-1');
    expect(cancelCommand('hello-1', 'update')).toBe('aws cloudformation cancel-update-stack --stack-name hello-1');
  });
});
