import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import * as local from '@stups/local';
import { type SeededAccount, seedStupsAccount, startMoto } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv, runCli, SENZA } from './support/run-cli.js';

/**
 * The lifecycle as a user runs it (built CLI, no TTY) against local AWS: create with --wait, update,
 * diff, delete refused while the stack has traffic, wait, and a creation that fails.
 * Uses the platform layer (per-resource events, fault switch) when @stups/local provides it.
 */
// biome-ignore lint/suspicious/noExplicitAny: the platform API is optional here
const platformApi = (local as any).startPlatform as ((o: { stateDir: string }) => Promise<any>) | undefined;

let work: string;
let endpoint: string;
let stop: () => Promise<void>;
// biome-ignore lint/suspicious/noExplicitAny: fault switch when the platform runs
let faults: any;
let account: SeededAccount;
let env: NodeJS.ProcessEnv;
let cfn: CloudFormationClient;
let r53: Route53Client;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'senza-lifecycle-e2e-'));
  if (platformApi) {
    const p = await platformApi({ stateDir: join(work, 'platform') });
    endpoint = p.endpoint;
    account = p.seeded;
    faults = p.faults;
    stop = () => p.stop();
  } else {
    const moto = await startMoto({ stateDir: join(work, 'moto') });
    endpoint = moto.endpoint;
    account = await seedStupsAccount(moto.endpoint, { region: 'eu-central-1' });
    stop = () => moto.stop();
  }
  env = localAwsEnv(endpoint);
  const config = {
    region: 'eu-central-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  };
  cfn = new CloudFormationClient(config);
  r53 = new Route53Client(config);
}, 120_000);

afterAll(async () => {
  cfn?.destroy();
  r53?.destroy();
  await stop?.();
  rmSync(work, { recursive: true, force: true });
});

const senza = (...args: string[]) => runCli(SENZA, args, env);
const status = async (name: string) =>
  (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus;

async function setMainWeight(stackName: string, weight: number): Promise<void> {
  const resources = await cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }));
  const main = resources.StackResources?.find((r) => r.LogicalResourceId === 'AppLoadBalancerMainDomain');
  const records = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: account.hostedZoneId }));
  const record = records.ResourceRecordSets?.find(
    (r) => r.SetIdentifier === stackName && r.Name?.replace(/\.$/, '') === main?.PhysicalResourceId?.replace(/\.$/, ''),
  );
  if (!record) throw new Error(`no main-domain record of ${stackName}`);
  await r53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: account.hostedZoneId,
      ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { ...record, Weight: weight } }] },
    }),
  );
}

describe('senza create/update/diff/delete/wait against local AWS', () => {
  it('create --dry-run prints the original lines and creates nothing', async () => {
    const r = await senza('create', '--dry-run', 'examples/hello-world.yaml', '1', '0.1', '-t', 'team=abc');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "Creating Cloud Formation stack hello-world-1..\n**DRY-RUN** []\nTags: [{'Key': 'Name', 'Value': 'hello-world-1'}, {'Key': 'StackName', 'Value': 'hello-world'}, {'Key': 'StackVersion', 'Value': '1'}, {'Key': 'team', 'Value': 'abc'}]\nCreating Cloud Formation stack hello-world-1.. OK\n",
    );
    const list = await cfn.send(new ListStacksCommand({}));
    expect(list.StackSummaries ?? []).toEqual([]);
  });

  it('create --wait of v1 and v2: events stream as lines, stacks complete', async () => {
    for (const v of ['1', '2']) {
      const r = await senza('create', '--wait', 'examples/hello-world.yaml', v, '0.1');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Creating Cloud Formation stack hello-world-${v}.. OK`);
      expect(r.stderr).toMatch(new RegExp(`\\d\\d:\\d\\d:\\d\\d hello-world-${v} CREATE_COMPLETE hello-world-${v}`));
      expect(r.stderr).toContain(`OK: Stack(s) hello-world-${v} created successfully.`);
      // Off a TTY nothing is redrawn.
      expect(r.stderr).not.toContain('\u001b[');
      expect(await status(`hello-world-${v}`)).toBe('CREATE_COMPLETE');
      const events = await cfn.send(new DescribeStackEventsCommand({ StackName: `hello-world-${v}` }));
      expect(events.StackEvents?.map((e) => e.ResourceStatus)).toContain('CREATE_COMPLETE');
    }
  });

  it('create of an existing version: the original message, exit 1', async () => {
    const r = await senza('create', 'examples/hello-world.yaml', '1', '0.1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Creating Cloud Formation stack hello-world-1.. Stack hello-world-1 already exists. Please choose another version.',
    );
  });

  it('diff shows nothing for the deployed parameters, the changed parameter otherwise (--exit-code 5)', async () => {
    const same = await senza('diff', '--exit-code', 'examples/hello-world.yaml', '2', '0.1');
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe('');
    const changed = await senza('diff', '--exit-code', 'examples/hello-world.yaml', '2', '0.2');
    expect(changed.code, changed.stderr).toBe(5);
    expect(changed.stdout).toContain('[~] ImageVersion: "0.1" → "0.2"');
    expect(changed.stdout).toContain('[~] AWS::EC2::LaunchTemplate AppServerLaunchTemplate');
    expect(changed.stdout).toContain("        - application_version: '0.1'");
    expect(changed.stdout).toContain("        + application_version: '0.2'");
    expect(changed.stdout).toContain(
      '[~] Description: "Hello World (ImageVersion: 0.1)" → "Hello World (ImageVersion: 0.2)"',
    );
    // What moto reports as the change set (it lists the changed resource as Modify).
    expect(changed.stdout).toMatch(/Change set[^\n]*\n\s+\w+ AppServerLaunchTemplate \(AWS::EC2::LaunchTemplate\)/);
    const json = await senza('diff', '-o', 'json', 'examples/hello-world.yaml', '2', '0.2');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).diff.parameters).toEqual([
      { key: 'ImageVersion', kind: 'modified', old: '0.1', new: '0.2' },
    ]);
  });

  it('update --wait with a changed parameter keeps the live weight; then no differences and NO UPDATE', async () => {
    await setMainWeight('hello-world-2', 200);
    const r = await senza('update', '--wait', 'examples/hello-world.yaml', '2', '0.2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'Keeping the live weight 200 of hello-world.team.example.org. (AppLoadBalancerMainDomain; 100 % in senza traffic)',
    );
    expect(r.stderr).toContain('Updating Cloud Formation stack hello-world-2.. OK');
    expect(r.stderr).toContain('OK: Stack(s) hello-world-2 updated successfully.');
    expect(await status('hello-world-2')).toBe('UPDATE_COMPLETE');
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'hello-world-2' }))).Stacks?.[0];
    expect(stack?.Parameters).toEqual([{ ParameterKey: 'ImageVersion', ParameterValue: '0.2' }]);
    // CloudFormation's stored weight stays 0: the record was never part of the update.
    const stored = await cfn.send(new GetTemplateCommand({ StackName: 'hello-world-2' }));
    expect(JSON.parse(stored.TemplateBody ?? '{}').Resources.AppLoadBalancerMainDomain.Properties.Weight).toBe(0);
    const diff = await senza('diff', '--exit-code', 'examples/hello-world.yaml', '2', '0.2');
    expect(diff.code, diff.stdout + diff.stderr).toBe(0);
    const again = await senza('update', 'examples/hello-world.yaml', '2', '0.2');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Updating Cloud Formation stack hello-world-2.. NO UPDATE');
  });

  it('delete refuses a stack with traffic, --force deletes it; wait -d confirms', async () => {
    await setMainWeight('hello-world-1', 100);
    const refused = await senza('delete', 'hello-world', '1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Error: Stack hello-world-1 has traffic!\nUse --force if you really want to delete it\nHint: Move its traffic first (senza traffic hello-world OTHER_VERSION 100); --force moves it to the other versions, then deletes hello-world 1.',
    );
    expect(await status('hello-world-1')).toBe('CREATE_COMPLETE');
    const several = await senza('delete', 'hello-world');
    expect(several.code).toBe(1);
    expect(several.stderr).toContain('2 matching stacks found. Please use the "--force" flag');
    expect(several.stderr).toMatch(
      /\nHint: Name the version to delete one \(e\.g\. senza delete hello-world [12]\); --force deletes all of hello-world-[12], hello-world-[12]\.\n/,
    );
    const dry = await senza('delete', '--dry-run', 'hello-world', '1', '-f');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('Deleting Cloud Formation stack hello-world-1.. DRY-RUN');
    expect(await status('hello-world-1')).toBe('CREATE_COMPLETE');
    const forced = await senza('delete', '--force', '--wait', 'hello-world', '1');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('Stack hello-world-1 has traffic: moving it to the other versions first');
    expect(forced.stderr).toContain('Deleting Cloud Formation stack hello-world-1.. OK');
    expect(forced.stderr).toContain('OK: Stack(s) hello-world-1 deleted successfully.');
    // Its traffic went to the version that stays, and no record of it is left (no answer points at its ELB).
    const left = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: account.hostedZoneId }));
    const main = (left.ResourceRecordSets ?? []).filter((r) => r.Name === 'hello-world.team.example.org.');
    expect(main.map((r) => [r.SetIdentifier, r.Weight])).toEqual([['hello-world-2', 200]]);
    const waited = await senza('wait', '-d', 'hello-world', '1');
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stderr).toContain('OK: Stack(s) hello-world-1 deleted successfully.');
    const gone = await senza('delete', 'hello-world', '1');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Error: Stack hello-world not found!');
    expect((await senza('delete', '-g', 'hello-world', '1')).code).toBe(0);
  });

  it('wait: OK for a complete stack (also with -t 0: look once), usage error without a match', async () => {
    const ok = await senza('wait', 'hello-world', '2');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('OK: Stack(s) hello-world-2 updated successfully.');
    const once = await senza('wait', 'hello-world', '2', '-t', '0');
    expect(once.code, once.stderr).toBe(0);
    expect(once.stderr).toContain('OK: Stack(s) hello-world-2 updated successfully.');
    const none = await senza('wait', 'nothing', '9');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No matching stack for "nothing 9" found');
  });

  it('a creation that fails: create --wait exits 1 naming the resource and reason', async () => {
    expect(platformApi, "@stups/local's startPlatform (the fault switch)").toBeDefined();
    faults.failStackCreation({
      stackName: 'hello-world-3',
      logicalId: 'AppServer',
      reason: 'You have requested more instances than your current instance limit allows',
    });
    const r = await senza('create', '--wait', 'examples/hello-world.yaml', '3', '0.1');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      'AppServer CREATE_FAILED: You have requested more instances than your current instance limit allows',
    );
    expect(r.stderr).toMatch(/Error: Stack hello-world-3 has status (ROLLBACK_COMPLETE|CREATE_FAILED)/);
    // and what to do next: the failed version's name is taken until it is deleted
    expect(r.stderr).toContain(
      'Hint: The version keeps its name until it is deleted: senza delete hello-world 3, then create it again (or create another version).',
    );
    // the diagnosis names the cause: no capacity (the event's reason)
    expect(r.stderr).toContain('senza.diagnose-capacity: AWS could not launch the instances');
  });
});
