import { describe, expect, it } from 'vitest';
import { AwsError } from '../../errors.js';
import { FakeStackSession, type Handler } from '../stacks/test-stack-session.js';
import { classify } from './classify.js';
import { EvidenceCollector } from './collect-evidence.js';
import { TAUPAGE_LINE } from './taupage-console.js';

const STACK_ID = 'arn:aws:cloudformation:eu-central-1:123456789012:stack/hello-1/abc';
const NESTED_ID = 'arn:aws:cloudformation:eu-central-1:123456789012:stack/hello-1-Nested-XYZ/def';
const IMAGE = 'pierone.example.org/team/hello:1.0';
const T = (s: number) => new Date(Date.parse('2026-12-07T03:00:00Z') + s * 1000);
const userData = Buffer.from(`#taupage-ami-config\napplication_id: hello\nsource: ${IMAGE}\n`).toString('base64');

/** Canned answers of a stack version with one group, one instance, a classic ELB and a nested stack. */
function handlers(patch: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    DescribeStacks: () => ({
      Stacks: [{ StackId: STACK_ID, StackName: 'hello-1', StackStatus: 'CREATE_IN_PROGRESS' }],
    }),
    DescribeStackResources: () => ({
      StackResources: [
        { ResourceType: 'AWS::AutoScaling::AutoScalingGroup', PhysicalResourceId: 'hello-1-AppServer-1' },
        { ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: NESTED_ID },
      ],
    }),
    DescribeStackEvents: (input: { StackName: string }) =>
      input.StackName === NESTED_ID
        ? {
            StackEvents: [
              {
                EventId: 'n2',
                StackName: 'hello-1-Nested-XYZ',
                LogicalResourceId: 'Role',
                ResourceType: 'AWS::IAM::Role',
                ResourceStatus: 'CREATE_FAILED',
                ResourceStatusReason:
                  'User: arn:aws:sts::123456789012:assumed-role/deployer/ci is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/hello (Service: Iam, Status Code: 403)',
                Timestamp: T(20),
              },
            ],
          }
        : {
            StackEvents: [
              {
                EventId: 'e2',
                StackName: 'hello-1',
                LogicalResourceId: 'Nested',
                ResourceType: 'AWS::CloudFormation::Stack',
                ResourceStatus: 'CREATE_IN_PROGRESS',
                Timestamp: T(10),
              },
              {
                EventId: 'e1',
                StackName: 'hello-1',
                LogicalResourceId: 'hello-1',
                ResourceType: 'AWS::CloudFormation::Stack',
                ResourceStatus: 'CREATE_IN_PROGRESS',
                Timestamp: T(0),
              },
            ],
          },
    DescribeScalingActivities: () => ({ Activities: [] }),
    DescribeInstances: () => ({
      Reservations: [
        {
          Instances: [
            {
              InstanceId: 'i-1',
              PrivateIpAddress: '10.0.0.1',
              Tags: [{ Key: 'aws:cloudformation:stack-name', Value: 'hello-1' }],
            },
          ],
        },
      ],
    }),
    GetConsoleOutput: () => ({ Output: Buffer.from('boot\n').toString('base64') }),
    DescribeInstanceHealth: () => ({ InstanceStates: [] }),
    DescribeAutoScalingGroups: () => ({
      AutoScalingGroups: [{ AutoScalingGroupName: 'hello-1-AppServer-1', LaunchConfigurationName: 'lc-1' }],
    }),
    DescribeLaunchConfigurations: () => ({ LaunchConfigurations: [{ UserData: userData }] }),
    ...patch,
  };
}

const exists = async () => true;

describe('EvidenceCollector', () => {
  it('reads nested stacks: an AccessDenied there is the verdict', async () => {
    const session = new FakeStackSession(handlers());
    const c = new EvidenceCollector(session.asSession(), 'hello', '1', { imageExists: exists });
    const e = await c.collect();
    expect(e.events.map((x) => x.eventId)).toEqual(['e1', 'e2', 'n2']);
    expect(e.image).toEqual({ image: IMAGE, exists: true });
    expect(classify(e)[0]).toMatchObject({
      code: 'senza.diagnose-access-denied',
      data: { action: 'iam:CreateRole', principal: 'arn:aws:sts::123456789012:assumed-role/deployer/ci' },
    });
  });

  it('reads failed scaling activities (no capacity)', async () => {
    const session = new FakeStackSession(
      handlers({
        DescribeStackEvents: () => ({ StackEvents: [] }),
        DescribeScalingActivities: (input: { AutoScalingGroupName: string }) => ({
          Activities: [
            {
              ActivityId: 'a2',
              AutoScalingGroupName: input.AutoScalingGroupName,
              StatusCode: 'Failed',
              StatusMessage:
                'You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit. Launching EC2 instance failed.',
              StartTime: T(40),
            },
            { ActivityId: 'a1', StatusCode: 'Successful', StartTime: T(30) },
          ],
        }),
        DescribeInstances: () => ({ Reservations: [] }),
      }),
    );
    const e = await new EvidenceCollector(session.asSession(), 'hello', '1', { imageExists: exists }).collect();
    expect(e.scalingActivities.map((a) => a.activityId)).toEqual(['a1', 'a2']);
    expect(e.consoles).toEqual([]);
    expect(classify(e)[0]?.code).toBe('senza.diagnose-capacity');
  });

  it('accumulates health answers with their reasons across polls; the registry is asked once', async () => {
    let asked = 0;
    let now = 0;
    const session = new FakeStackSession(
      handlers({
        DescribeStackEvents: () => ({ StackEvents: [] }),
        DescribeLoadBalancers: () => ({
          LoadBalancerDescriptions: [{ LoadBalancerName: 'hello-1', HealthCheck: { Target: 'HTTP:9090/health' } }],
        }),
        DescribeInstanceHealth: () => ({
          InstanceStates: [
            {
              InstanceId: 'i-1',
              State: 'OutOfService',
              ReasonCode: 'Instance',
              Description: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
            },
          ],
        }),
      }),
    );
    const c = new EvidenceCollector(session.asSession(), 'hello', '1', {
      imageExists: async () => {
        asked++;
        return true;
      },
      now: () => T(now++),
    });
    await c.collect();
    await c.collect();
    const verdicts = classify(await c.collect());
    expect(verdicts).toMatchObject([
      { code: 'senza.diagnose-health-failing', data: { count: 3, reasonCode: 'Instance', check: 'HTTP:9090/health' } },
    ]);
    // The classic ELB's check names the port and path the application must answer on; read once.
    expect(verdicts[0].evidence).toContain('health check of hello-1: HTTP:9090/health');
    expect(session.operations().filter((o) => o === 'DescribeLoadBalancers')).toHaveLength(1);
    expect(asked).toBe(1);
  });

  it('reads the console lines and the target group reasons (ELBv2)', async () => {
    const session = new FakeStackSession(
      handlers({
        DescribeStackEvents: () => ({ StackEvents: [] }),
        GetConsoleOutput: () => ({
          Output: Buffer.from(
            [TAUPAGE_LINE.pulling(IMAGE), TAUPAGE_LINE.pullFailed(IMAGE, 'manifest unknown'), ''].join('\n'),
          ).toString('base64'),
        }),
        DescribeInstanceHealth: () => {
          throw new AwsError('ELB', 'DescribeInstanceHealth', 'not found', { awsCode: 'LoadBalancerNotFound' });
        },
        DescribeTargetGroups: () => ({
          TargetGroups: [
            {
              TargetGroupArn: 'arn:tg',
              TargetGroupName: 'hello-1',
              HealthCheckProtocol: 'HTTP',
              HealthCheckPort: 'traffic-port',
              HealthCheckPath: '/health',
            },
          ],
        }),
        DescribeTargetHealth: () => ({
          TargetHealthDescriptions: [
            {
              Target: { Id: 'i-1' },
              TargetHealth: {
                State: 'unhealthy',
                Reason: 'Target.ResponseCodeMismatch',
                Description: 'Health checks failed with these codes: [500]',
              },
            },
          ],
        }),
      }),
    );
    const e = await new EvidenceCollector(session.asSession(), 'hello', '1', { imageExists: exists }).collect();
    expect(e.health).toMatchObject([
      {
        instanceId: 'i-1',
        source: 'hello-1',
        state: 'unhealthy',
        reasonCode: 'Target.ResponseCodeMismatch',
        check: 'HTTP:traffic-port/health',
      },
    ]);
    expect(classify(e)[0]?.code).toBe('senza.diagnose-image-missing');
  });

  it('notes a source it may not read and reads the others; no stack: no evidence', async () => {
    const session = new FakeStackSession(
      handlers({
        GetConsoleOutput: () => ({}),
        DescribeInstances: () => {
          throw new AwsError('EC2', 'DescribeInstances', 'You are not authorized to perform this operation.', {
            awsCode: 'UnauthorizedOperation',
          });
        },
      }),
    );
    const c = new EvidenceCollector(session.asSession(), 'hello', '1', { imageExists: exists });
    const e = await c.collect();
    expect([...c.unavailable.keys()]).toEqual(['console']);
    expect(e.events.length).toBe(3);
    const gone = new FakeStackSession({
      DescribeStacks: () => {
        throw new AwsError('CloudFormation', 'DescribeStacks', 'Stack with id hello-1 does not exist', {
          awsCode: 'ValidationError',
        });
      },
    });
    const none = await new EvidenceCollector(gone.asSession(), 'hello', '1').collect();
    expect(none.stackStatus).toBeUndefined();
    expect(gone.operations()).toEqual(['DescribeStacks']);
  });
});
