import { describe, expect, it } from 'vitest';
import type { AwsSession } from '../../../aws/aws-session.js';
import { consoleSelection, fetchConsoleOutput, lastLines } from './console-output.js';

describe('senza console selection', () => {
  it('instance ids, private IPs, else stack refs', () => {
    expect(consoleSelection(['i-1', 'i-2'])).toEqual({
      mode: 'id',
      filters: [{ Name: 'instance-id', Values: ['i-1', 'i-2'] }],
    });
    expect(consoleSelection(['10.0.0.1']).mode).toBe('ip');
    expect(consoleSelection(['myapp', '1']).mode).toBe('stack');
    expect(consoleSelection([]).mode).toBe('stack');
  });

  it('keeps the last N lines', () => {
    expect(lastLines('a\nb\nc\n', 2)).toEqual(['b', 'c']);
    expect(lastLines('a\r\nb', 5)).toEqual(['a', 'b']);
  });

  it('asks for the latest output (GetConsoleOutput Latest: true)', async () => {
    const inputs: Record<string, unknown>[] = [];
    // Canned EC2 answers: what a Nitro instance's latest output is cannot be produced locally.
    const session = {
      region: 'eu-central-1',
      send: async (_service: string, command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        inputs.push(command.input);
        if (command.constructor.name === 'DescribeInstancesCommand') {
          return { Reservations: [{ Instances: [{ InstanceId: 'i-1', PrivateIpAddress: '10.0.0.1' }] }] };
        }
        return { InstanceId: 'i-1', Output: Buffer.from('boot\nready\n').toString('base64') };
      },
    } as unknown as AwsSession;
    const [out] = await fetchConsoleOutput(session, ['i-1']);
    expect(out.lines).toEqual(['boot', 'ready']);
    expect(inputs.at(-1)).toEqual({ InstanceId: 'i-1', Latest: true });
  });
});
