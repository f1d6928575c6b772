import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { type Platform, startPlatform } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKey } from './support/piu-platform.js';
import { localAwsEnv, ROOT, runCli } from './support/run-cli.js';

/**
 * The EC2 Instance Connect path against moto behind the AWS layer: piu finds the bastion by its public
 * IP and the target by its private IP, pushes the key to both (logins `odd` and `ubuntu`) and carries
 * the reason in the User-Agent (seen in moto's request recorder).
 */
const PIU = `${ROOT}packages/piu/dist/bin.js`;
let work: string;
let platform: Platform;
let bastion: { publicIp: string };
let targetIp: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'piu-eic-'));
  // moto's request recorder writes into its working directory unless told otherwise.
  process.env.MOTO_RECORDER_FILEPATH = join(work, 'moto_recording');
  platform = await startPlatform({ stateDir: join(work, 'platform') });
  const ec2 = new EC2Client({
    region: platform.region,
    endpoint: platform.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  const subnetId = subnets[0]?.SubnetId;
  const run = async (name: string, publicIp: boolean) => {
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        MinCount: 1,
        MaxCount: 1,
        NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, AssociatePublicIpAddress: publicIp }],
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: name }] }],
      }),
    );
    return out.Instances?.[0];
  };
  const odd = await run('odd', true);
  const app = await run('app', false);
  bastion = { publicIp: odd?.PublicIpAddress ?? '' };
  targetIp = app?.PrivateIpAddress ?? '';
  ec2.destroy();
});

afterAll(async () => {
  await platform?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('piu --eic', () => {
  it('pushes the key to the bastion and the target, reason in the User-Agent, and prints the jump command', async () => {
    expect(bastion.publicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const key = newKey(work, 'id_ed25519');
    await fetch(`${platform.motoEndpoint}/moto-api/recorder/reset-recording`, { method: 'POST' });
    await fetch(`${platform.motoEndpoint}/moto-api/recorder/start-recording`, { method: 'POST' });
    const out = await runCli(
      PIU,
      [
        'request-access',
        targetIp,
        'Ticket #7: disk full',
        '--eic',
        '-O',
        bastion.publicIp,
        '-i',
        `${key.path}.pub`,
        '--no-check',
      ],
      {
        ...localAwsEnv(platform.endpoint, platform.region),
        HOME: work,
        XDG_CONFIG_HOME: join(work, 'config'),
        USER: 'jdoe',
      },
    );
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain(`Requesting access with EIC to host ${targetIp}`);
    expect(out.stderr).toContain('Please login within the next 60 seconds.');
    expect(out.stdout.trim()).toBe(`ssh -J odd@${bastion.publicIp} ubuntu@${targetIp}`);

    await fetch(`${platform.motoEndpoint}/moto-api/recorder/stop-recording`, { method: 'POST' });
    const recording = await (await fetch(`${platform.motoEndpoint}/moto-api/recorder/download-recording`)).text();
    const pushes = recording
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { headers: Record<string, string>; body: string })
      .filter((r) => /SendSSHPublicKey/.test(JSON.stringify(r.headers)));
    // The recorder keeps bodies base64-encoded.
    const body = (p: { body: string }) => JSON.parse(Buffer.from(p.body, 'base64').toString('utf8'));
    expect(pushes.map((p) => body(p).InstanceOSUser)).toEqual(['odd', 'ubuntu']);
    expect(pushes.map((p) => body(p).SSHPublicKey)).toEqual([
      key.publicKey.split(' ').slice(0, 2).join(' '),
      key.publicKey.split(' ').slice(0, 2).join(' '),
    ]);
    for (const p of pushes) {
      const agent = Object.entries(p.headers).find(([k]) => k.toLowerCase() === 'user-agent')?.[1];
      expect(agent).toMatch(/^Piu\/\d+\.\d+\.\d+ \(Ticket \?7\? disk full\)$/);
    }
  });

  it('--check: a 172.31.x.x host without a running instance is not requested unless confirmed', async () => {
    const env = {
      ...localAwsEnv(platform.endpoint, platform.region),
      HOME: work,
      XDG_CONFIG_HOME: join(work, 'c2'),
      OAUTH2_ACCESS_TOKENS: 'piu=fixed-test-token',
    };
    const args = ['why', '-O', bastion.publicIp, '-E', 'http://127.0.0.1:9'];
    const missing = await runCli(PIU, [`jdoe@172.31.250.250`, ...args], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'No running instances found for 172.31.250.250, do you still want to request access? (no terminal to ask)',
    );
    expect(missing.stderr).toContain('Pass --no-check');
    // A running one passes the check and goes on to even (here: unreachable, named).
    const running = await runCli(PIU, [`jdoe@${targetIp}`, ...args], env);
    expect(running.code).toBe(1);
    expect(running.stderr).toContain('Could not reach POST http://127.0.0.1:9/access-requests');
  });

  it('says where it looked when there is no SSH public key, and how to make one', async () => {
    const home = join(work, 'empty-home');
    const out = await runCli(PIU, ['request-access', targetIp, 'why', '--eic', '-O', bastion.publicIp, '--no-check'], {
      ...localAwsEnv(platform.endpoint, platform.region),
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      USER: 'jdoe',
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`Error: No SSH public key found (looked at ${home}/.ssh/id_ed25519.pub,`);
    expect(out.stderr).toContain('ssh-keygen -t ed25519');
  });
});
