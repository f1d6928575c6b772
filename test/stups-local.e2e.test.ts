import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { isRunning } from '@stups/local';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/run-cli.js';

const STUPS_LOCAL = `${ROOT}packages/local/dist/cli.js`;
const dirs: string[] = [];
const pids: number[] = [];

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stups-local-e2e-'));
  dirs.push(dir);
  return dir;
}

function parseExports(stdout: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of stdout.trim().split('\n')) {
    const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) throw new Error(`not an export line: ${line}`);
    env[m[1] as string] = m[2] as string;
  }
  return env;
}

/** The daemon's PID and the AWS service's endpoints, from the record `up` leaves in the state directory. */
function platformRecord(dir: string): { pid: number; endpoint: string; motoEndpoint: string; motoPid: number } {
  const record = JSON.parse(readFileSync(join(dir, 'platform.json'), 'utf8'));
  const aws = record.services.find((s: { name: string }) => s.name === 'aws');
  const part = (label: string) => aws.parts.find((p: { label: string }) => p.label === label);
  return { pid: record.pid, endpoint: aws.endpoint, motoEndpoint: part('moto').endpoint, motoPid: part('moto').pid };
}

afterAll(async () => {
  for (const dir of dirs) {
    await runCli(STUPS_LOCAL, ['down', '--state-dir', dir]);
    await rm(dir, { recursive: true, force: true });
  }
  for (const pid of pids) expect(isRunning(pid)).toBe(false);
});

describe('stups-local (built CLI)', () => {
  it('up → env → status → down, idempotent, nothing left running', async () => {
    const dir = await stateDir();
    const up = await runCli(STUPS_LOCAL, ['up', '--state-dir', dir]);
    expect(up.code, up.stderr).toBe(0);
    const env = parseExports(up.stdout);
    expect(Object.keys(env)).toEqual([
      'AWS_ENDPOINT_URL',
      'AWS_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'SENZA_TAUPAGE_OWNERS',
      'OAUTH2_ACCESS_TOKEN_URL',
      'TOKENINFO_URL',
      'CREDENTIALS_DIR',
      'ZIGN_ISSUER',
      'ZIGN_CLIENT_ID',
      'PIERONE_URL',
      'EVEN_URL',
      'ODD_HOST',
      'PIU_ODD_HOST',
      'PIU_TARGET_HOST',
      'PIU_ODD_PORT',
      'PIU_TARGET_PORT',
      'PIU_SSH_CONFIG',
    ]);
    expect(env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.AWS_REGION).toBe('eu-central-1');
    expect(env.SENZA_TAUPAGE_OWNERS).toBe('self');
    expect(up.stderr).toContain('stups-local is up');

    const record = platformRecord(dir);
    pids.push(record.pid, record.motoPid);
    expect(env.AWS_ENDPOINT_URL).toBe(record.endpoint);
    expect(record.endpoint).not.toBe(record.motoEndpoint);
    expect(isRunning(record.pid)).toBe(true);
    expect(isRunning(record.motoPid)).toBe(true);

    // The endpoint is the layer in front of a seeded moto: the SDK talks to it through the environment.
    const cfn = new CloudFormationClient({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' },
    });
    expect((await cfn.send(new DescribeStacksCommand({}))).Stacks).toEqual([]);
    cfn.destroy();

    const again = await runCli(STUPS_LOCAL, ['up', '--state-dir', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(up.stdout);
    expect(again.stderr).toContain('already runs');
    expect(platformRecord(dir).pid).toBe(record.pid);

    const printed = await runCli(STUPS_LOCAL, ['env'], { STUPS_LOCAL_STATE_DIR: dir });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(up.stdout);

    const status = await runCli(STUPS_LOCAL, ['status', '--state-dir', dir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`layer +${record.endpoint}  PID ${record.pid}`));
    expect(status.stdout).toMatch(new RegExp(`moto +${record.motoEndpoint}  PID ${record.motoPid}`));

    const down = await runCli(STUPS_LOCAL, ['down', '--state-dir', dir]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toBe('');
    expect(isRunning(record.pid)).toBe(false);
    expect(isRunning(record.motoPid)).toBe(false);
    for (const f of ['platform.json', 'platform.pid', 'moto.pid', 'endpoint'])
      expect(existsSync(join(dir, f))).toBe(false);

    const downAgain = await runCli(STUPS_LOCAL, ['down', '--state-dir', dir]);
    expect(downAgain.code).toBe(0);
    expect(downAgain.stderr).toContain('not running');
    const stopped = await runCli(STUPS_LOCAL, ['status', '--state-dir', dir]);
    expect(stopped.code).toBe(1);
    const noEnv = await runCli(STUPS_LOCAL, ['env', '--state-dir', dir]);
    expect(noEnv.code).toBe(1);
    expect(noEnv.stdout).toBe('');
    expect(noEnv.stderr).toMatch(/^Error: stups-local is not running.*\n/);
    // The hint names the state directory given, so that the command it names starts this platform.
    expect(noEnv.stderr).toContain(`\nHint: Start it with: eval "$(stups-local up --state-dir ${dir})"\n`);
  });

  it('keeps the emulated AWS and the ports across down and up; a killed moto comes back at its last snapshot, and up says so', async () => {
    const dir = await stateDir();
    let upText = '';
    const start = async () => {
      const r = await runCli(STUPS_LOCAL, ['up', '--state-dir', dir], { STUPS_LOCAL_MOTO_SNAPSHOT_SECONDS: '1' });
      upText = r.stderr;
      expect(r.code, r.stderr).toBe(0);
      const env = parseExports(r.stdout);
      const config = {
        region: env.AWS_REGION,
        endpoint: env.AWS_ENDPOINT_URL,
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      };
      const record = platformRecord(dir);
      pids.push(record.pid, record.motoPid);
      return { cfn: new CloudFormationClient(config), route53: new Route53Client(config), record, env };
    };
    const stacks = async (cfn: CloudFormationClient) =>
      ((await cfn.send(new DescribeStacksCommand({}))).Stacks ?? []).map((s) => `${s.StackName} ${s.StackStatus}`);
    const template = JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } });

    const first = await start();
    await first.cfn.send(new CreateStackCommand({ StackName: 'kept-1', TemplateBody: template }));
    const zones = (await first.route53.send(new ListHostedZonesCommand({}))).HostedZones?.map((z) => z.Name);
    expect((await runCli(STUPS_LOCAL, ['down', '--state-dir', dir])).code).toBe(0);
    const saved = join(dir, 'moto-state.pickle');
    expect(statSync(saved).mode & 0o777).toBe(0o600);

    const second = await start();
    expect(await stacks(second.cfn)).toEqual(['kept-1 CREATE_COMPLETE']);
    // on the ports of the last run: the environment exported then is still valid
    expect(second.env).toEqual(first.env);
    // seeded once: seeding again finds the team's hosted zone instead of adding a second one
    expect((await second.route53.send(new ListHostedZonesCommand({}))).HostedZones?.map((z) => z.Name)).toEqual(zones);
    expect(upText).not.toContain('RESTORED FROM SNAPSHOT');
    // the file is consumed at start: a moto killed from now on comes back at its snapshot, not at it
    expect(existsSync(saved)).toBe(false);
    await second.cfn.send(new CreateStackCommand({ StackName: 'snap-1', TemplateBody: template }));
    const snapshot = `${saved}.snapshot`;
    const deadline = Date.now() + 20_000;
    const createdAt = Date.now();
    // a snapshot written after snap-1 was created (every second, when the state changed)
    while (!(existsSync(snapshot) && statSync(snapshot).mtimeMs > createdAt + 1_000) && Date.now() < deadline)
      await sleep(200);
    expect(statSync(snapshot).mode & 0o777).toBe(0o600);
    process.kill(second.record.motoPid, 'SIGKILL');
    const third = await start();
    expect((await stacks(third.cfn)).sort()).toEqual(['kept-1 CREATE_COMPLETE', 'snap-1 CREATE_COMPLETE']);
    expect(upText).toContain('moto did not stop cleanly');
    expect(upText).toContain('changes made after it are lost');
    const status = await runCli(STUPS_LOCAL, ['status', '--state-dir', dir]);
    expect(status.stdout).toMatch(/^aws +NOTE: moto did not stop cleanly; .*changes made after it are lost/m);
    for (const c of [first, second, third]) {
      c.cfn.destroy();
      c.route53.destroy();
    }
  }, 240_000);

  it('fails clearly when the requested port is taken, and when moto is missing', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dir = await stateDir();
      const taken = await runCli(STUPS_LOCAL, ['up', '--state-dir', dir, '--port', String(port)]);
      expect(taken.code).toBe(1);
      expect(taken.stdout).toBe('');
      expect(taken.stderr).toContain(`Error: Port ${port} on 127.0.0.1 is already in use`);
      expect(taken.stderr).toContain('Hint: Choose another --port');
      expect(existsSync(join(dir, 'moto.pid'))).toBe(false);
      // a service's own port by name: the registry's
      const registry = await runCli(STUPS_LOCAL, ['up', '--state-dir', dir, '--port', `pierone=${port}`]);
      expect(registry.code).toBe(1);
      expect(registry.stderr).toContain(`Error: Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }

    const dir = await stateDir();
    const missing = await runCli(STUPS_LOCAL, ['up', '--state-dir', dir], { PATH: '/nonexistent' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('moto is not installed');
    expect(missing.stderr).toContain('Hint: Install moto with its server extras');
  });

  it('exits 2 on usage errors', async () => {
    const bad = await runCli(STUPS_LOCAL, ['up', '--port', 'many']);
    expect(bad.code).toBe(2);
    const unknown = await runCli(STUPS_LOCAL, ['frobnicate']);
    expect(unknown.code).toBe(2);
    const service = await runCli(STUPS_LOCAL, ['up', '--port', 'bogus=4000']);
    expect(service.code).toBe(2);
    expect(service.stderr).toContain("unknown service 'bogus' (one of: aws, oauth, pierone, even, runtime)");
  });
});
