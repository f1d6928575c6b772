import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type MotoServer, type SeededAccount, seedStupsAccount, startMoto } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv, ROOT, runCli, SENZA } from './support/run-cli.js';

const execFileP = promisify(execFile);
let moto: MotoServer;
let account: SeededAccount;
let env: NodeJS.ProcessEnv;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'senza-print-e2e-'));
  moto = await startMoto({ stateDir: join(work, 'moto') });
  account = await seedStupsAccount(moto.endpoint, { region: 'eu-central-1' });
  env = localAwsEnv(moto.endpoint);
});

afterAll(async () => {
  await moto?.stop();
  rmSync(work, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: templates are plain JSON
const parse = (s: string): any => JSON.parse(s);

describe('senza print against the seeded local account', () => {
  it('compiles hello-world with the account facts, in few AWS calls', async () => {
    const r = await runCli(SENZA, ['print', 'examples/hello-world.yaml', '1', '0.1', '--debug'], env);
    // hello-world's load balancer is internet-facing: the warning has its own line, and the span its OK.
    expect(r.stderr).toContain(
      'Warning: You are deploying an internet-facing ELB that will be publicly accessible! You should have OAUTH2 and HTTPS in place!\nGenerating Cloud Formation template.. OK\n',
    );
    expect(r.code, r.stderr).toBe(0);
    const t = parse(r.stdout);
    expect(t.Mappings.Images['eu-central-1'].LatestTaupageImage).toBe(account.amis['Taupage-AMI-20261101-120000']);
    expect(t.Resources.AppServerLaunchTemplate.Properties.LaunchTemplateData.NetworkInterfaces[0].Groups).toEqual([
      account.securityGroups['app-hello-world'],
    ]);
    expect(t.Resources.AppLoadBalancer.Properties.SecurityGroups).toEqual([
      account.securityGroups['app-hello-world-lb'],
    ]);
    expect(t.Resources.AppLoadBalancerMainDomain.Properties).toMatchObject({
      Name: 'hello-world.team.example.org.',
      SetIdentifier: 'hello-world-1',
      Weight: 0,
    });
    expect(t.Mappings.ServerSubnets['eu-central-1'].Subnets.sort()).toEqual(
      ['a', 'b', 'c'].map((z) => account.subnets[`internal-eu-central-1${z}`]).sort(),
    );
    // The pretty JSON of the original: sorted keys, 4-space indentation.
    expect(
      r.stdout.startsWith(
        '{\n    "AWSTemplateFormatVersion": "2010-09-09",\n    "Description": "Hello World (ImageVersion: 0.1)",',
      ),
    ).toBe(true);
    const calls = /(\d+) AWS calls/.exec(r.stderr);
    expect(calls, r.stderr).not.toBeNull();
    expect(Number(calls?.[1])).toBeLessThanOrEqual(10);
  });

  it('--parameter-file values are Python str() of the YAML value; a changed one is warned about', async () => {
    const file = join(work, 'params.yaml');
    writeFileSync(file, 'ImageVersion: 2.0\n');
    const kept = await runCli(SENZA, ['print', 'examples/hello-world.yaml', '1', '--parameter-file', file], env);
    expect(kept.code, kept.stderr).toBe(0);
    expect(parse(kept.stdout).Description).toBe('Hello World (ImageVersion: 2.0)');
    expect(kept.stderr).not.toContain('YAML reads');
    writeFileSync(file, 'ImageVersion: 1.10\n');
    const changed = await runCli(SENZA, ['print', 'examples/hello-world.yaml', '1', '--parameter-file', file], env);
    expect(changed.code, changed.stderr).toBe(0);
    expect(parse(changed.stdout).Description).toBe('Hello World (ImageVersion: 1.1)');
    expect(changed.stderr).toContain(
      `${file}:1:15: parameter ImageVersion: YAML reads 1.10 as a float, so the value used is "1.1"`,
    );
  });

  it('prints YAML with -o yaml', async () => {
    const r = await runCli(SENZA, ['print', 'examples/redis-node.yaml', '1', '-o', 'yaml'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("AWSTemplateFormatVersion: '2010-09-09'");
    expect(r.stdout).toContain('    RedisCacheCluster:');
  });

  it('every example compiles and passes cfn-lint with zero errors', async () => {
    const params: Record<string, string[]> = {
      'hello-world.yaml': ['1', '0.1'],
      'elbv2.yaml': ['v3', '2.0'],
      'https-listener.yaml': ['1', '1.0'],
      'autoscaling-cpu.yaml': ['1', '1.0', 'Stage=live'],
      'redis-node.yaml': ['1'],
      // -f: the registry is only named here (the image check would ask it)
      'hello-world-local.yaml': ['1', '1', 'pierone.example.org', '-f'],
    };
    const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml'));
    expect(examples.sort()).toEqual(Object.keys(params).sort());
    for (const example of examples) {
      const r = await runCli(SENZA, ['print', `examples/${example}`, ...params[example]], env);
      expect(r.code, `${example}: ${r.stderr}`).toBe(0);
      const file = join(work, `${example}.json`);
      writeFileSync(file, r.stdout);
      const lint = await execFileP('cfn-lint', ['--', file]).then(
        (out) => ({ code: 0, out: out.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
      // cfn-lint's exit code is a bit mask: 2 = errors, 4 = warnings, 8 = informational.
      expect(lint.code & 2, `${example}:\n${lint.out}`).toBe(0);
    }
  });
});

describe('senza print: bad input', () => {
  it('a missing security group names it and the region, exit 1', async () => {
    const def = join(work, 'missing-sg.yaml');
    writeFileSync(
      def,
      'SenzaInfo: {StackName: x}\nSenzaComponents:\n  - Configuration: {Type: Senza::StupsAutoConfiguration}\n  - AppServer:\n      Type: Senza::TaupageAutoScalingGroup\n      InstanceType: t2.micro\n      SecurityGroups: [app-nope]\n      TaupageConfig: {runtime: Docker, source: a/b}\n',
    );
    const r = await runCli(SENZA, ['print', def, '1'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: Security Group "app-nope" does not exist in region eu-central-1');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
  });

  it('a YAML syntax error names file:line:column, exit 2', async () => {
    const def = join(work, 'broken.yaml');
    writeFileSync(def, 'SenzaInfo:\n  StackName: x\n  Tags: [a\n');
    const r = await runCli(SENZA, ['print', def, '1'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`Error: ${def.replaceAll('/', '\\/')}:\\d+:\\d+`));
  });

  it('not YAML at all, exit 2', async () => {
    const def = join(work, 'binary.yaml');
    writeFileSync(def, '\u0000\u0001\u0002 this is not yaml: [');
    const r = await runCli(SENZA, ['print', def, '1'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(def);
  });

  it('a missing argument is a usage error, exit 2', async () => {
    const r = await runCli(SENZA, ['print', 'examples/hello-world.yaml'], env);
    expect(r.code).toBe(2);
    // commander's usage errors go through the one handler: `Error: …` and a hint, not `error: …`.
    expect(r.stderr).toContain("Error: Missing required argument 'VERSION'\nHint: Run 'senza print --help' for usage.");
  });

  it('a missing parameter names it, exit 2, before any AWS call', async () => {
    const r = await runCli(SENZA, ['print', 'examples/hello-world.yaml', '1'], {
      ...env,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Error: Missing parameter "ImageVersion". Need: "ImageVersion"');
  });

  it('an unreachable endpoint names it and what to do, exit 1', async () => {
    const r = await runCli(SENZA, ['print', 'examples/hello-world.yaml', '1', '0.1'], {
      ...env,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach http://127.0.0.1:9 (ECONNREFUSED)');
    expect(r.stderr).toContain('AWS_ENDPOINT_URL on loopback): run `stups-local status`');
  });

  it('no region anywhere is a usage error naming the fix', async () => {
    const { AWS_REGION: _r, ...noRegion } = env;
    const r = await runCli(SENZA, ['print', 'examples/hello-world.yaml', '1', '0.1'], {
      ...noRegion,
      XDG_CONFIG_HOME: work,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Please specify the AWS region on the command line (--region) or in ~/.aws/config');
  });
});

describe('senza print: KMS-encrypted values', () => {
  it('decrypts senza:kms: SenzaInfo values with KMS in the target region', async () => {
    const { KMSClient, CreateKeyCommand, EncryptCommand } = await import('@aws-sdk/client-kms');
    const kms = new KMSClient({
      endpoint: moto.endpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    });
    const key = await kms.send(new CreateKeyCommand({}));
    const encrypted = await kms.send(
      new EncryptCommand({ KeyId: key.KeyMetadata?.KeyId, Plaintext: Buffer.from('db-pa$$word') }),
    );
    const ciphertext = Buffer.from(encrypted.CiphertextBlob ?? new Uint8Array()).toString('base64');
    const def = join(work, 'kms.yaml');
    writeFileSync(
      def,
      `SenzaInfo:\n  StackName: kms\n  Secret: "senza:kms:${ciphertext}"\nResources: {Q: {Type: AWS::SQS::Queue}}\n`,
    );
    const r = await runCli(SENZA, ['print', def, '1'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r.stdout).Mappings.Senza.Info.Secret).toBe('db-pa$$word');
  });
});
