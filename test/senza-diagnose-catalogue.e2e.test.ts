import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AutoScalingClient, DescribeScalingActivitiesCommand } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeInstanceHealthCommand, ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFINITION, type DiagnosePlatform, demoImageRef, startDiagnosePlatform } from './support/diagnose-platform.js';
import { ROOT, runCli, SENZA } from './support/run-cli.js';

/**
 * The fault catalogue of docs/diagnose.md on the local platform (a runtime with a dockerd of its own):
 * each fault here is provoked for real — a pull Pier One refuses, an application that listens on another
 * port than the definition's, a health check answering 500, a launch beyond the account's vCPU quota — and `senza diagnose NAME VERSION -o json`
 * names it as its top verdict within 5 s of the fault becoming observable (the console line is there, or
 * the load balancer first calls the instance failing).
 */
/** From the fault being observable to the verdict (issue 19's goal). */
const VERDICT_WITHIN_S = 5;
/** From `senza create` to the fault being observable, on a machine shared by many test runs. */
const OBSERVABLE_WITHIN_MS = 90_000;

let platform: DiagnosePlatform | undefined;
let work: string;
let stateDir: string;
let env: NodeJS.ProcessEnv;
let registry: string;
let elb: ElasticLoadBalancingClient;
let asg: AutoScalingClient;
let cfn: CloudFormationClient;

const senza = (...args: string[]) => runCli(SENZA, args, env);
const image = (v: string) => demoImageRef(registry, v);

interface DiagnoseJson {
  stackName: string;
  verdicts: { code: string; summary: string; evidence: string[]; data: Record<string, unknown> }[];
}

/** Polls until `observed` is true: the fault can be seen in AWS's (or the instance's) own answers. */
async function until(what: string, observed: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + OBSERVABLE_WITHIN_MS;
  while (!(await observed())) {
    if (Date.now() > deadline) throw new Error(`not observable in time: ${what}`);
    await sleep(250);
  }
}

/** `senza diagnose NAME VERSION -o json` once the fault is observable: its verdicts and how long it took. */
async function diagnose(v: string): Promise<{ diagnosis: DiagnoseJson; seconds: number }> {
  const started = Date.now();
  const r = await senza('diagnose', 'hello-world', v, '-o', 'json');
  const seconds = (Date.now() - started) / 1000;
  expect(r.code, r.stdout + r.stderr).toBe(1);
  return { diagnosis: JSON.parse(r.stdout) as DiagnoseJson, seconds };
}

const FAILED_CHECKS = 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.';

/** The classic ELB's first answer that the instance fails its health check (not "registering", not "not running"). */
async function loadBalancerCallsFailing(v: string): Promise<boolean> {
  try {
    const out = await elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: `hello-world-${v}` }));
    return (out.InstanceStates ?? []).some((s) => s.State === 'OutOfService' && s.Description === FAILED_CHECKS);
  } catch {
    return false;
  }
}

/** The example definition with its line `from` replaced by `to` (each must occur). */
function definitionWith(file: string, ...edits: [from: string, to: string][]): string {
  let text = readFileSync(join(ROOT, DEFINITION), 'utf8');
  for (const [from, to] of edits) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  const path = join(work, file);
  writeFileSync(path, text);
  return path;
}

describe('the fault catalogue on the local runtime', () => {
  beforeAll(async () => {
    // 40: a healthy image in Pier One only (the runtime must pull it). 41: healthy, 42: its health check
    // answers 500; both stay in the engine, so that no pull (and no token) is needed for them.
    platform = await startDiagnosePlatform(
      'sdc',
      // The account's On-Demand Standard vCPU quota (moto-capacity-patches.ts): room for the t2.micro
      // instances of the other cases, not for one m5.8xlarge (32 vCPUs).
      { STUPS_LOCAL_VCPU_LIMIT: '16' },
      [{ version: '40' }, { version: '41', keepLocal: true }, { version: '42', healthy: false, keepLocal: true }],
    );
    ({ work, stateDir, env, registry } = platform);
    const aws = {
      endpoint: env.AWS_ENDPOINT_URL,
      region: env.AWS_REGION,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
    elb = new ElasticLoadBalancingClient(aws);
    asg = new AutoScalingClient(aws);
    cfn = new CloudFormationClient(aws);
  }, 180_000);

  afterAll(async () => {
    elb?.destroy();
    asg?.destroy();
    cfn?.destroy();
    await platform?.down();
  }, 120_000);

  it('pull refused: the instances pull with a token Pier One refuses → senza.diagnose-pull-denied with its 401', async () => {
    // The instances' credentials (Taupage's /meta/credentials; here the runtime's, in the platform's
    // stups-tokens directory) hold a token the OAuth provider never issued, as an expired or revoked one.
    writeFileSync(join(stateDir, 'oauth', 'credentials', 'stups-local-runtime-token-secret'), 'not-a-valid-token\n');
    // The user may read the image: the registry answers that it exists.
    const created = await senza('create', DEFINITION, '40', '40', registry);
    expect(created.code, created.stderr).toBe(0);
    let console = '';
    await until('the failed pull on the console', async () => {
      console = (await senza('console', 'hello-world', '40')).stdout;
      return console.includes('could not be pulled');
    });
    // Taupage's line carries the registry's denial.
    expect(console).toMatch(
      new RegExp(`ERROR: Docker image ${image('40').replace(/[.]/g, '\\.')} could not be pulled: .*unauthorized`, 'i'),
    );
    const { diagnosis, seconds } = await diagnose('40');
    expect(diagnosis.verdicts[0]).toMatchObject({ code: 'senza.diagnose-pull-denied', data: { image: image('40') } });
    expect(String(diagnosis.verdicts[0].data.reason)).toMatch(/unauthorized/i);
    expect(diagnosis.verdicts.map((v) => v.code)).not.toContain('senza.diagnose-image-missing');
    expect(seconds).toBeLessThan(VERDICT_WITHIN_S);
  }, 150_000);

  it('wrong port: the application listens on 8080, the definition says 9090 → senza.diagnose-health-failing', async () => {
    const definition = definitionWith(
      'port.yaml',
      ['          8080: 8080\n', '          9090: 9090\n'],
      ['      HTTPPort: 8080\n', '      HTTPPort: 9090\n'],
    );
    const created = await senza('create', definition, '41', '41', registry);
    expect(created.code, created.stderr).toBe(0);
    await until('the load balancer calling the instance failing', () => loadBalancerCallsFailing('41'));
    const { diagnosis, seconds } = await diagnose('41');
    expect(diagnosis.verdicts[0]).toMatchObject({
      code: 'senza.diagnose-health-failing',
      data: {
        source: 'hello-world-41',
        state: 'OutOfService',
        reasonCode: 'Instance',
        description: FAILED_CHECKS,
        check: 'HTTP:9090/cgi-bin/health',
      },
    });
    // The container runs (no exit): the health check is the only sign, and the only verdict.
    expect(diagnosis.verdicts.map((v) => v.code)).toEqual(['senza.diagnose-health-failing']);
    expect(seconds).toBeLessThan(VERDICT_WITHIN_S);
  }, 150_000);

  it('a health path answering 500 → senza.diagnose-health-failing: the same classic ELB answer, the right port checked', async () => {
    const created = await senza('create', DEFINITION, '42', '42', registry);
    expect(created.code, created.stderr).toBe(0);
    await until('the load balancer calling the instance failing', () => loadBalancerCallsFailing('42'));
    const { diagnosis, seconds } = await diagnose('42');
    expect(diagnosis.verdicts[0]).toMatchObject({
      code: 'senza.diagnose-health-failing',
      data: {
        source: 'hello-world-42',
        state: 'OutOfService',
        reasonCode: 'Instance',
        description: FAILED_CHECKS,
        check: 'HTTP:8080/cgi-bin/health',
      },
    });
    expect(diagnosis.verdicts.map((v) => v.code)).toEqual(['senza.diagnose-health-failing']);
    expect(seconds).toBeLessThan(VERDICT_WITHIN_S);
  }, 150_000);
  it("no capacity: a launch beyond the account vCPU quota → senza.diagnose-capacity with AWS's words", async () => {
    const definition = definitionWith('capacity.yaml', [
      '      InstanceType: t2.micro\n',
      '      InstanceType: m5.8xlarge\n',
    ]);
    const created = await senza('create', definition, '43', '41', registry);
    expect(created.code, created.stderr).toBe(0);
    await until('the failed scaling activity', async () => {
      const resources = await cfn
        .send(new DescribeStackResourcesCommand({ StackName: 'hello-world-43' }))
        .catch(() => undefined);
      const group = resources?.StackResources?.find((r) => r.ResourceType === 'AWS::AutoScaling::AutoScalingGroup');
      if (!group) return false;
      const out = await asg.send(
        new DescribeScalingActivitiesCommand({ AutoScalingGroupName: group.PhysicalResourceId }),
      );
      return (out.Activities ?? []).some((a) => a.StatusCode === 'Failed');
    });
    const { diagnosis, seconds } = await diagnose('43');
    expect(diagnosis.verdicts[0]?.code).toBe('senza.diagnose-capacity');
    expect(String(diagnosis.verdicts[0].data.reason)).toBe(
      'You have requested more vCPU capacity than your current vCPU limit of 16 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit. Launching EC2 instance failed.',
    );
    expect(String(diagnosis.verdicts[0].data.where)).toMatch(/^scaling activity /);
    expect(seconds).toBeLessThan(VERDICT_WITHIN_S);
  }, 150_000);
});
