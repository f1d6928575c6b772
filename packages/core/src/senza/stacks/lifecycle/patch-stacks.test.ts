import { describe, expect, it } from 'vitest';
import { EXIT, NotFoundError, OperationError, UsageError } from '../../../errors.js';
import { RecordingHost } from '../../../io/messages.js';
import { FakeStackSession, type Handler } from '../test-stack-session.js';
import { patchStacks, patchUserData } from './patch-stacks.js';

const TAUPAGE =
  "#taupage-ami-config\napplication_id: app\napplication_version: '1'\nports:\n  8080: 8080\nsource: x/y:1\n";
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const NOW = () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5));

function fakeAws(lc: Record<string, unknown>, extra: Record<string, Handler> = {}) {
  return new FakeStackSession({
    ListStacks: () => ({
      StackSummaries: [
        { StackName: 'app-1', StackStatus: 'CREATE_COMPLETE', StackId: 'arn:app-1', CreationTime: new Date(0) },
      ],
    }),
    ListStackResources: () => ({
      StackResourceSummaries: [
        {
          LogicalResourceId: 'AppServer',
          ResourceType: 'AWS::AutoScaling::AutoScalingGroup',
          PhysicalResourceId: 'app-1-AppServer-X',
        },
      ],
    }),
    DescribeAutoScalingGroups: () => ({
      AutoScalingGroups: [{ AutoScalingGroupName: 'app-1-AppServer-X', LaunchConfigurationName: 'app-1-LC-X' }],
    }),
    DescribeLaunchConfigurations: () => ({
      LaunchConfigurations: [
        {
          LaunchConfigurationName: 'app-1-LC-X',
          LaunchConfigurationARN: 'arn:lc',
          ImageId: 'ami-old',
          InstanceType: 't2.micro',
          KernelId: '',
          RamdiskId: '',
          SecurityGroups: ['sg-1'],
          ClassicLinkVPCSecurityGroups: [],
          AssociatePublicIpAddress: false,
          InstanceMonitoring: { Enabled: true },
          IamInstanceProfile: 'app-profile',
          UserData: b64(TAUPAGE),
          CreatedTime: new Date(0),
          ...lc,
        },
      ],
    }),
    CreateLaunchConfiguration: () => ({}),
    UpdateAutoScalingGroup: () => ({}),
    ...extra,
  });
}

const input = (aws: FakeStackSession, operation: string) => aws.calls.find((c) => c.operation === operation)?.input;
const texts = (host: RecordingHost) => host.messages.map((m) => m.text);

describe('patchUserData', () => {
  it('merges a map below the Taupage header, dumped like PyYAML (sorted keys)', () => {
    expect(patchUserData(TAUPAGE, { source: 'x/y:2', environment: { A: 'b' } })).toBe(
      "#taupage-ami-config\napplication_id: app\napplication_version: '1'\nenvironment:\n  A: b\nports:\n  8080: 8080\nsource: x/y:2\n",
    );
  });

  it('a string for map user data is refused with the original message; plain user data is replaced', () => {
    const e = (() => {
      try {
        patchUserData(TAUPAGE, 'echo hi');
      } catch (x) {
        return x as OperationError;
      }
    })();
    expect(e).toBeInstanceOf(OperationError);
    expect(e?.message).toBe('Current user data is a map but provided user data is a string.');
    expect(e?.exitCode).toBe(EXIT.FAILED);
    expect(patchUserData('#!/bin/sh\necho hi', 'echo ho')).toBe('echo ho');
    expect(() => patchUserData('#!/bin/sh\necho hi', { a: 1 })).toThrow(
      'Current user data is a string but provided user data is a map.',
    );
  });
});

describe('patchStacks', () => {
  it('no option: the original usage error (exit 2) before any AWS call', async () => {
    const aws = fakeAws({});
    const e = await patchStacks(aws.asSession(), [{ name: 'app' }], {}).catch((x) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe('Nothing to patch. Please specify at least one patch option (e.g. "--image").');
    expect(aws.calls).toEqual([]);
  });

  it('a new instance type: a copy of the launch configuration (non-empty values) named <old>-<UTC stamp>', async () => {
    const aws = fakeAws({});
    const host = new RecordingHost();
    const result = await patchStacks(aws.asSession(), [{ name: 'app', version: '1' }], {
      host,
      instanceType: 't2.large',
      now: NOW,
    });
    expect(texts(host)).toEqual(['Patching Auto Scaling Group app-1-AppServer-X..', 'OK']);
    expect(input(aws, 'CreateLaunchConfiguration')).toEqual({
      LaunchConfigurationName: 'app-1-LC-X-20260102T030405',
      AssociatePublicIpAddress: false,
      IamInstanceProfile: 'app-profile',
      ImageId: 'ami-old',
      InstanceMonitoring: { Enabled: true },
      InstanceType: 't2.large',
      SecurityGroups: ['sg-1'],
      UserData: b64(TAUPAGE),
    });
    expect(input(aws, 'UpdateAutoScalingGroup')).toEqual({
      AutoScalingGroupName: 'app-1-AppServer-X',
      LaunchConfigurationName: 'app-1-LC-X-20260102T030405',
    });
    expect(result.groups[0]).toMatchObject({ changed: true, launchConfigurationName: 'app-1-LC-X-20260102T030405' });
  });

  it('the old name is cut to 64 characters before the stamp', async () => {
    const long = `app-1-${'L'.repeat(80)}`;
    const aws = fakeAws(
      { LaunchConfigurationName: long },
      {
        DescribeAutoScalingGroups: () => ({
          AutoScalingGroups: [{ AutoScalingGroupName: 'app-1-AppServer-X', LaunchConfigurationName: long }],
        }),
      },
    );
    await patchStacks(aws.asSession(), [{ name: 'app' }], { image: 'ami-new', now: NOW });
    expect(input(aws, 'CreateLaunchConfiguration')?.LaunchConfigurationName).toBe(
      `${long.slice(0, 64)}-20260102T030405`,
    );
    expect(input(aws, 'CreateLaunchConfiguration')?.ImageId).toBe('ami-new');
  });

  it('nothing differs: NO CHANGES and no new launch configuration', async () => {
    const aws = fakeAws({});
    const host = new RecordingHost();
    await patchStacks(aws.asSession(), [{ name: 'app' }], {
      host,
      image: 'ami-old',
      instanceType: 't2.micro',
      userData: 'source: x/y:1',
    });
    expect(texts(host)).toEqual(['Patching Auto Scaling Group app-1-AppServer-X..', 'NO CHANGES']);
    expect(aws.operations()).not.toContain('CreateLaunchConfiguration');
  });

  it('--user-data: merged into the Taupage config', async () => {
    const aws = fakeAws({});
    await patchStacks(aws.asSession(), [{ name: 'app' }], { userData: '{source: "x/y:2"}', now: NOW });
    const created = input(aws, 'CreateLaunchConfiguration');
    expect(Buffer.from(String(created?.UserData), 'base64').toString('utf8')).toBe(
      TAUPAGE.replace('source: x/y:1', 'source: x/y:2'),
    );
  });

  it('latest/staging/dev: the newest Taupage AMI of the channel; none found is exit 1', async () => {
    const images = (names: string[]) => ({
      DescribeImages: () => ({
        Images: names.map((n, i) => ({ Name: n, ImageId: `ami-${i}`, Public: false })),
      }),
    });
    const aws = fakeAws({}, images(['Taupage-AMI-20200101', 'Taupage-AMI-20210101', 'TaupageDev-AMI-20220101']));
    await patchStacks(aws.asSession(), [{ name: 'app' }], { image: 'latest', now: NOW });
    expect(input(aws, 'CreateLaunchConfiguration')?.ImageId).toBe('ami-1');

    const none = fakeAws({}, images(['Taupage-AMI-20200101']));
    const e = await patchStacks(none.asSession(), [{ name: 'app' }], { image: 'staging' }).catch((x) => x);
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.message).toBe('No Taupage AMI found for staging');
    expect(e.exitCode).toBe(EXIT.FAILED);
  });

  it("a group with a launch template: a new version from the group's, and the group pointed at it", async () => {
    const aws = fakeAws(
      {},
      {
        DescribeAutoScalingGroups: () => ({
          AutoScalingGroups: [
            { AutoScalingGroupName: 'app-1-AppServer-X', LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '4' } },
          ],
        }),
        DescribeLaunchTemplateVersions: () => ({
          LaunchTemplateVersions: [
            {
              LaunchTemplateId: 'lt-1',
              VersionNumber: 4,
              LaunchTemplateData: { ImageId: 'ami-old', InstanceType: 't2.micro', UserData: b64(TAUPAGE) },
            },
          ],
        }),
        CreateLaunchTemplateVersion: () => ({ LaunchTemplateVersion: { LaunchTemplateId: 'lt-1', VersionNumber: 5 } }),
      },
    );
    const host = new RecordingHost();
    const result = await patchStacks(aws.asSession(), [{ name: 'app' }], {
      host,
      image: 'ami-new',
      userData: '{source: x/y:2}',
      now: NOW,
    });
    expect(input(aws, 'DescribeLaunchTemplateVersions')).toEqual({ LaunchTemplateId: 'lt-1', Versions: ['4'] });
    const created = input(aws, 'CreateLaunchTemplateVersion');
    expect(created).toMatchObject({
      LaunchTemplateId: 'lt-1',
      SourceVersion: '4',
      VersionDescription: 'senza patch 20260102T030405',
    });
    const data = (created?.LaunchTemplateData ?? {}) as { ImageId?: string; UserData?: string };
    expect(Object.keys(data).sort()).toEqual(['ImageId', 'UserData']);
    expect(data.ImageId).toBe('ami-new');
    expect(Buffer.from(data.UserData ?? '', 'base64').toString('utf8')).toContain('source: x/y:2');
    expect(input(aws, 'UpdateAutoScalingGroup')).toEqual({
      AutoScalingGroupName: 'app-1-AppServer-X',
      LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '5' },
    });
    expect(aws.operations()).not.toContain('CreateLaunchConfiguration');
    expect(result.groups[0]).toMatchObject({ changed: true, launchTemplate: { id: 'lt-1', version: '5' } });
    expect(texts(host)).toContain('Patching Auto Scaling Group app-1-AppServer-X..');
  });

  it('a group with a launch template and nothing to change: NO CHANGES, no new version', async () => {
    const aws = fakeAws(
      {},
      {
        DescribeAutoScalingGroups: () => ({
          AutoScalingGroups: [
            { AutoScalingGroupName: 'app-1-AppServer-X', LaunchTemplate: { LaunchTemplateId: 'lt-1' } },
          ],
        }),
        DescribeLaunchTemplateVersions: () => ({
          LaunchTemplateVersions: [
            { LaunchTemplateId: 'lt-1', VersionNumber: 1, LaunchTemplateData: { ImageId: 'ami-old' } },
          ],
        }),
      },
    );
    const result = await patchStacks(aws.asSession(), [{ name: 'app' }], { image: 'ami-old' });
    // No version on the group: AWS uses the default version.
    expect(input(aws, 'DescribeLaunchTemplateVersions')?.Versions).toEqual(['$Default']);
    expect(aws.operations()).not.toContain('CreateLaunchTemplateVersion');
    expect(result.groups[0]).toMatchObject({ changed: false, launchTemplate: { id: 'lt-1', version: '1' } });
  });

  it('a group with a mixed instances policy is refused', async () => {
    const aws = fakeAws(
      {},
      {
        DescribeAutoScalingGroups: () => ({
          AutoScalingGroups: [
            {
              AutoScalingGroupName: 'app-1-AppServer-X',
              MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: 'lt-1' } } },
            },
          ],
        }),
      },
    );
    const e = await patchStacks(aws.asSession(), [{ name: 'app' }], { image: 'ami-new' }).catch((x) => x);
    expect(e.code).toBe('senza.patch-launch-template');
    expect(e.message).toContain('has a mixed instances policy: patching it is not supported');
    expect(aws.operations()).not.toContain('CreateLaunchTemplateVersion');
  });
});
