import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeSecurityGroupsCommand, EC2Client, type SecurityGroup } from '@aws-sdk/client-ec2';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { type MotoServer, seedStupsAccount, startMoto } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv, runCli, SENZA } from './support/run-cli.js';

let moto: MotoServer;
let env: NodeJS.ProcessEnv;
let work: string;
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'senza-init-e2e-'));
  moto = await startMoto({ stateDir: join(work, 'moto') });
  await seedStupsAccount(moto.endpoint, { region: 'eu-central-1' });
  env = localAwsEnv(moto.endpoint);
});

afterAll(async () => {
  await moto?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('senza init', () => {
  it('off a TTY, a missing answer names the flag that gives it (exit 2), and no file is written', async () => {
    const file = join(work, 'none.yaml');
    const r = await runCli(SENZA, ['init', file, '-t', 'webapp'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No answer for "Application ID" (no terminal to ask)');
    expect(r.stderr).toContain('Hint: Pass -v application_id=VALUE, or --yes to accept the default "hello-world".');
    expect(() => readFileSync(file)).toThrow();
  });

  it('creates the missing security groups and IAM role, then a definition that senza print compiles', async () => {
    const file = join(work, 'shop.yaml');
    const r = await runCli(
      SENZA,
      ['init', file, '-t', 'webapp', '-v', 'application_id=shop2', '-v', 'mint_bucket=my-mint', '--yes'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Generating Senza definition file ${file}.. OK`);
    const ec2 = new EC2Client({ endpoint: moto.endpoint, region: 'eu-central-1', credentials });
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['app-shop2', 'app-shop2-lb'] }] }),
    );
    const byName: Record<string, SecurityGroup> = Object.fromEntries(
      (groups.SecurityGroups ?? []).map((g) => [g.GroupName, g]),
    );
    expect(Object.keys(byName).sort()).toEqual(['app-shop2', 'app-shop2-lb']);
    expect(byName['app-shop2-lb'].IpPermissions?.map((p) => p.FromPort)).toEqual([443]);
    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'eu-central-1', credentials });
    expect((await iam.send(new GetRoleCommand({ RoleName: 'app-shop2' }))).Role?.RoleName).toBe('app-shop2');
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: 'app-shop2', PolicyName: 'app-shop2' }));
    expect(decodeURIComponent(policy.PolicyDocument ?? '')).toContain('arn:aws:s3:::my-mint/shop2/*');

    expect(readFileSync(file, 'utf8')).toContain('StackName: shop2');
    const print = await runCli(SENZA, ['print', file, '1', '1.0'], env);
    expect(print.code, print.stderr).toBe(0);
    const launchTemplate = JSON.parse(print.stdout).Resources.AppServerLaunchTemplate;
    expect(launchTemplate.Properties.LaunchTemplateData.NetworkInterfaces[0].Groups).toEqual([
      byName['app-shop2'].GroupId,
    ]);

    // Run again: everything exists, nothing is created, and the existing file is protected.
    const again = await runCli(SENZA, ['init', file, '-t', 'webapp', '-v', 'application_id=shop2', '--yes'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('writes to stdout with -', async () => {
    const r = await runCli(SENZA, ['init', '-', '-t', 'redisnode', '-v', 'application_id=cache', '--yes'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Type: Senza::RedisNode');
  });
});
