import { describe, expect, it } from 'vitest';
import { AwsError, NotFoundError, UsageError } from '../../errors.js';
import { FakeStackSession } from '../stacks/test-stack-session.js';
import { generationVerdict, preflightChecks, templateAmis } from './preflight.js';

const TEMPLATE = {
  Mappings: { Images: { 'eu-central-1': { LatestTaupageImage: 'ami-0aaa' } } },
  Resources: {
    AppServerConfig: {
      Type: 'AWS::AutoScaling::LaunchConfiguration',
      Properties: { ImageId: { 'Fn::FindInMap': ['Images', { Ref: 'AWS::Region' }, 'LatestTaupageImage'] } },
    },
    Other: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { ImageId: 'ami-0bbb' } } },
    Lb: { Type: 'AWS::ElasticLoadBalancing::LoadBalancer', Properties: {} },
  },
};

const session = (handlers: ConstructorParameters<typeof FakeStackSession>[0]) => {
  const s = new FakeStackSession(handlers);
  (s as unknown as { region: string }).region = 'eu-central-1';
  return s;
};

const missingStack = () => {
  throw new AwsError('CloudFormation', 'DescribeStacks', 'Stack with id hello-1 does not exist', {
    awsCode: 'ValidationError',
  });
};

describe('preflight', () => {
  it('finds the AMIs a template launches, mapped or literal', () => {
    expect(templateAmis(TEMPLATE, 'eu-central-1')).toEqual(['ami-0aaa', 'ami-0bbb']);
    expect(templateAmis(TEMPLATE, 'eu-west-1')).toEqual(['ami-0bbb']);
  });

  it('an AMI that does not exist and a stack in the way are verdicts', async () => {
    const s = session({
      DescribeStacks: () => ({ Stacks: [{ StackName: 'hello-1', StackStatus: 'CREATE_COMPLETE' }] }),
      DescribeImages: (input: { ImageIds: string[] }) => {
        if (input.ImageIds[0] === 'ami-0aaa') return { Images: [{ ImageId: 'ami-0aaa' }] };
        throw new AwsError('EC2', 'DescribeImages', "The image id '[ami-0bbb]' does not exist", {
          awsCode: 'InvalidAMIID.NotFound',
        });
      },
    });
    const verdicts = await preflightChecks(s.asSession(), { stackName: 'hello-1', template: TEMPLATE });
    expect(verdicts.map((v) => [v.code, v.summary])).toEqual([
      ['senza.diagnose-name-conflict', 'Stack hello-1 already exists (CREATE_COMPLETE)'],
      ['senza.diagnose-ami-missing', 'The AMI ami-0bbb does not exist in eu-central-1'],
    ]);
  });

  it('nothing in the way: no verdict', async () => {
    const s = session({
      DescribeStacks: missingStack,
      DescribeImages: (i: { ImageIds: string[] }) => ({ Images: [{ ImageId: i.ImageIds[0] }] }),
    });
    expect(await preflightChecks(s.asSession(), { stackName: 'hello-1', template: TEMPLATE })).toEqual([]);
  });

  it("maps generation's image, certificate and AMI errors to verdicts, not others", () => {
    const ref = { name: 'hello', version: '1' };
    expect(
      generationVerdict(
        new UsageError('Docker image "pierone.example.org/team/hello:2" does not exist', {
          code: 'senza.docker-image-missing',
        }),
        ref,
      ),
    ).toMatchObject({
      code: 'senza.diagnose-image-missing',
      next: 'pierone tags team hello',
      data: { image: 'pierone.example.org/team/hello:2' },
    });
    expect(
      generationVerdict(new NotFoundError('Could not find certificate x', { code: 'aws.certificate-missing' }), ref)
        ?.code,
    ).toBe('senza.diagnose-certificate-missing');
    expect(
      generationVerdict(new NotFoundError('No Taupage AMI found', { code: 'aws.taupage-ami-missing' }), ref)?.code,
    ).toBe('senza.diagnose-ami-missing');
    expect(generationVerdict(new UsageError('bad', { code: 'error.usage' }), ref)).toBeUndefined();
  });
});
