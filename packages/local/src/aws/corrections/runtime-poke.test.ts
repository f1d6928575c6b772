import { describe, expect, it } from 'vitest';
import type { AwsResponse } from '../aws-errors.js';
import type { LayerContext } from '../aws-proxy.js';
import { describeRequest } from '../aws-request.js';
import { runtimePoke } from './runtime-poke.js';

function request(service: string, action: string) {
  const auth = `AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-central-1/${service}/aws4_request, SignedHeaders=host, Signature=x`;
  return describeRequest(
    'POST',
    '/',
    { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    Buffer.from(`Action=${action}&Version=2011-01-01`),
    'eu-central-1',
  );
}

describe('runtime-poke', () => {
  const answer = (status: number) => async (): Promise<AwsResponse> => ({ status, headers: {}, body: Buffer.from('') });

  it('pokes the runtime after a successful stack or group change, not after reads or errors', async () => {
    let pokes = 0;
    const layer = { links: { instances: { poke: () => pokes++ } } } as unknown as LayerContext;
    for (const [service, action] of [
      ['cloudformation', 'CreateStack'],
      ['cloudformation', 'UpdateStack'],
      ['cloudformation', 'DeleteStack'],
      ['autoscaling', 'SetDesiredCapacity'],
      ['autoscaling', 'UpdateAutoScalingGroup'],
      ['autoscaling', 'TerminateInstanceInAutoScalingGroup'],
    ] as const) {
      await runtimePoke.handle(request(service, action), answer(200), layer);
    }
    expect(pokes).toBe(6);
    await runtimePoke.handle(request('cloudformation', 'DescribeStacks'), answer(200), layer);
    await runtimePoke.handle(request('autoscaling', 'SetDesiredCapacity'), answer(400), layer);
    expect(pokes).toBe(6);
  });

  it('answers as moto does when no runtime runs', async () => {
    const layer = { links: {} } as unknown as LayerContext;
    const res = await runtimePoke.handle(request('cloudformation', 'CreateStack'), answer(200), layer);
    expect(res.status).toBe(200);
  });
});
