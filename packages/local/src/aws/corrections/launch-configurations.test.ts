import { describe, expect, it } from 'vitest';
import type { AwsResponse } from '../aws-errors.js';
import type { LayerContext } from '../aws-proxy.js';
import { describeRequest } from '../aws-request.js';
import { FaultSwitch } from '../faults.js';
import { LAUNCH_CONFIGURATION_UNAVAILABLE, launchConfigurations } from './launch-configurations.js';

function request(service: string, body: Record<string, string>) {
  const auth = `AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-central-1/${service}/aws4_request, SignedHeaders=host, Signature=x`;
  return describeRequest(
    'POST',
    '/',
    { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    Buffer.from(new URLSearchParams(body).toString()),
    'eu-central-1',
  );
}

const moto = async (): Promise<AwsResponse> => ({ status: 200, headers: {}, body: Buffer.from('moto') });
const layer = (accountCreatedOn: string) =>
  ({ accountCreatedOn, faults: new FaultSwitch() }) as unknown as LayerContext;
const TEMPLATE = JSON.stringify({
  Resources: {
    AppServerConfig: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: {} },
    AppServer: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: {} },
  },
});

describe('launch-configurations', () => {
  it('an account created on or after 2024-10-01: CreateLaunchConfiguration refused as AWS refuses it', async () => {
    for (const day of ['2024-10-01', '2025-01-01']) {
      const res = await launchConfigurations.handle(
        request('autoscaling', { Action: 'CreateLaunchConfiguration', LaunchConfigurationName: 'lc' }),
        moto,
        layer(day),
      );
      expect(res.status).toBe(400);
      expect(res.body.toString()).toContain('<Code>UnsupportedOperation</Code>');
      expect(res.body.toString()).toContain(`<Message>${LAUNCH_CONFIGURATION_UNAVAILABLE}</Message>`);
    }
  });

  it('a new account: a stack with a launch configuration is set to fail at it', async () => {
    const l = layer('2025-01-01');
    await launchConfigurations.handle(
      request('cloudformation', { Action: 'CreateStack', StackName: 'app-1', TemplateBody: TEMPLATE }),
      moto,
      l,
    );
    const fault = l.faults.takeStackFailure('app-1');
    expect(fault?.logicalId).toBe('AppServerConfig');
    expect(fault?.reason).toContain(`Resource handler returned message: "${LAUNCH_CONFIGURATION_UNAVAILABLE}`);
    expect(fault?.reason).toContain('HandlerErrorCode: GeneralServiceException');
  });

  it('an older account: launch configurations pass to moto; reading and deleting them always do', async () => {
    const old = layer('2024-09-30');
    const created = await launchConfigurations.handle(
      request('autoscaling', { Action: 'CreateLaunchConfiguration', LaunchConfigurationName: 'lc' }),
      moto,
      old,
    );
    expect(created.body.toString()).toBe('moto');
    await launchConfigurations.handle(
      request('cloudformation', { Action: 'CreateStack', StackName: 'app-1', TemplateBody: TEMPLATE }),
      moto,
      old,
    );
    expect(old.faults.takeStackFailure('app-1')).toBeUndefined();
    for (const action of ['DescribeLaunchConfigurations', 'DeleteLaunchConfiguration']) {
      const res = await launchConfigurations.handle(
        request('autoscaling', { Action: action }),
        moto,
        layer('2025-01-01'),
      );
      expect(res.body.toString()).toBe('moto');
    }
  });
});
