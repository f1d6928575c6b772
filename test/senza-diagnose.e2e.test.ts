import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runDockerCli } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFINITION, type DiagnosePlatform, demoImageRef, startDiagnosePlatform } from './support/diagnose-platform.js';
import { ROOT, runCli, SENZA } from './support/run-cli.js';

/**
 * `senza diagnose` against the local platform's runtime (a dockerd of its own): each failure class the
 * runtime produces for real (a tag missing in Pier One, an application that exits at start, a crash loop)
 * is the top verdict soon after the version is created, and the console shows Taupage's lines.
 */
/** From `senza create` to the verdict, on a machine shared by many test runs. */
const VERDICT_WITHIN_S = 30;
/**
 * The platform caps every CreationPolicy timeout (the template's PT15M) to this (STUPS_LOCAL_SIGNAL_TIMEOUT):
 * long enough for every other fault here to be diagnosed first, short enough for the no-signal test.
 */
const SIGNAL_TIMEOUT_S = 25;
/** `create --wait` ends this soon after the fault became observable (`senza diagnose` first names it). */
const WAIT_ENDS_WITHIN_S = 10;

let platform: DiagnosePlatform | undefined;
let work: string;
let env: NodeJS.ProcessEnv;
let registry: string;
let dockerHost: string;

const senza = (...args: string[]) => runCli(SENZA, args, env);
const image = (v: string) => demoImageRef(registry, v);

interface DiagnoseJson {
  stackName: string;
  stackStatus?: string;
  verdicts: {
    code: string;
    summary: string;
    evidence: string[];
    fix: string;
    next: string;
    data: Record<string, unknown>;
  }[];
}

/** Creates version `v` (no registry check: the fault is the point) and polls `senza diagnose` until a verdict. */
async function createAndDiagnose(v: string): Promise<{ diagnosis: DiagnoseJson; seconds: number }> {
  const started = Date.now();
  const created = await senza('create', DEFINITION, v, v, registry, '--force');
  expect(created.code, created.stderr).toBe(0);
  const deadline = started + 90_000;
  for (;;) {
    const r = await senza('diagnose', 'hello-world', v, '-o', 'json');
    if (r.code === 1) {
      return { diagnosis: JSON.parse(r.stdout) as DiagnoseJson, seconds: (Date.now() - started) / 1000 };
    }
    expect(r.code, r.stderr).toBe(0);
    if (Date.now() > deadline) throw new Error(`no verdict for version ${v}: ${r.stdout}`);
    await sleep(500);
  }
}

describe('senza diagnose on the local runtime', () => {
  beforeAll(async () => {
    // 20: exits 0 at start (not restarted); 21: exits 1 at start (restarted: a crash loop); 22: serves,
    // but its health check answers 500; 24: healthy. All pulled from Pier One. No tag 404.
    platform = await startDiagnosePlatform('sdg', { STUPS_LOCAL_SIGNAL_TIMEOUT: String(SIGNAL_TIMEOUT_S) }, [
      { version: '20', exitCode: 0 },
      { version: '21', exitCode: 1 },
      { version: '22', healthy: false },
      { version: '24' },
    ]);
    ({ work, env, registry, dockerHost } = platform);
  }, 180_000);

  afterAll(async () => {
    await platform?.down();
  }, 120_000);

  it('a tag missing in Pier One: senza.diagnose-image-missing, and senza console shows the failed pull', async () => {
    const { diagnosis, seconds } = await createAndDiagnose('404');
    expect(diagnosis.verdicts[0]).toMatchObject({
      code: 'senza.diagnose-image-missing',
      data: { image: image('404') },
      next: 'pierone tags myteam hello-world',
    });
    expect(seconds).toBeLessThan(VERDICT_WITHIN_S);
    const text = await senza('diagnose', 'hello-world', '404');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^senza\.diagnose-image-missing: The Docker image .*hello-world:404 does not exist$/m);
    const console = await senza('console', 'hello-world', '404');
    expect(console.stdout).toContain(`ERROR: Docker image ${image('404')} could not be pulled:`);
  }, 150_000);

  it('an application that exits at start: senza.diagnose-app-exited with its exit code and last lines', async () => {
    const { diagnosis, seconds } = await createAndDiagnose('20');
    expect(diagnosis.verdicts[0]).toMatchObject({
      code: 'senza.diagnose-app-exited',
      data: {
        exitCodes: [0],
        applicationLines: ['hello-world version 20 starting', 'cannot read /etc/hello-world.yaml: no such file'],
      },
    });
    expect(seconds).toBeLessThan(VERDICT_WITHIN_S);
  }, 150_000);

  it('an application that fails at start and is restarted: senza.diagnose-crash-loop', async () => {
    const { diagnosis, seconds } = await createAndDiagnose('21');
    const top = diagnosis.verdicts[0];
    expect(top?.code).toBe('senza.diagnose-crash-loop');
    const codes = (top?.data.exitCodes ?? []) as number[];
    expect(codes.every((c) => c === 1)).toBe(true);
    expect(codes.length).toBeGreaterThanOrEqual(3);
    expect(top?.data.applicationLines).toContain('cannot read /etc/hello-world.yaml: no such file');
    expect(seconds).toBeLessThan(VERDICT_WITHIN_S);
  }, 150_000);

  it('a health check answering 500: senza.diagnose-health-failing with the answer of the load balancer', async () => {
    const { diagnosis, seconds } = await createAndDiagnose('22');
    expect(diagnosis.verdicts[0]).toMatchObject({
      code: 'senza.diagnose-health-failing',
      data: { source: 'hello-world-22', state: 'OutOfService', reasonCode: 'Instance', count: 3 },
    });
    expect(seconds).toBeLessThan(VERDICT_WITHIN_S);
  }, 150_000);

  it('create --wait holds until Taupage would signal and ends within 10 s of a fault becoming observable', async () => {
    // The image is missing: the stack is held CREATE_IN_PROGRESS (no instance signals), and --wait
    // ends with the verdict, while `senza diagnose` polled beside it shows when the fault is observable.
    const started = Date.now();
    let observable: number | undefined;
    let done = false;
    const watcher = (async () => {
      while (!done && observable === undefined) {
        const r = await senza('diagnose', 'hello-world', '407', '-o', 'json');
        if (r.code === 1) observable = Date.now();
        else await sleep(250);
      }
    })();
    const created = await senza('create', DEFINITION, '407', '407', registry, '--wait', '--force');
    const ended = Date.now();
    done = true;
    await watcher;
    expect(created.code, created.stderr).toBe(1);
    expect(created.stdout + created.stderr).toContain('senza.diagnose-image-missing');
    expect(observable, 'senza diagnose never named the fault').toBeDefined();
    expect((ended - (observable ?? ended)) / 1000).toBeLessThan(WAIT_ENDS_WITHIN_S);
    // Ended by the verdict, not by the stack: CloudFormation still waits for the signal.
    expect((ended - started) / 1000).toBeLessThan(SIGNAL_TIMEOUT_S);
    const listed = await senza('list', 'hello-world', '407', '-o', 'json');
    expect((JSON.parse(listed.stdout) as { status: string }[]).map((x) => x.status)).toEqual(['CREATE_IN_PROGRESS']);
    const deleted = await senza('delete', 'hello-world', '407', '--wait');
    expect(deleted.code, deleted.stderr).toBe(0);
  }, 150_000);

  it('a healthy version is CREATE_COMPLETE only once Taupage signalled; its events show the signal', async () => {
    const created = await senza('create', DEFINITION, '24', '24', registry, '--wait');
    expect(created.code, created.stderr).toBe(0);
    const events = await senza('events', 'hello-world', '24', '-o', 'json');
    expect(events.stdout).toMatch(/Received SUCCESS signal with UniqueId i-[0-9a-f]+/);
    const console = await senza('console', 'hello-world', '24');
    expect(console.stdout).toContain(`INFO: Docker image ${image('24')} pulled`);
  }, 150_000);

  it("Taupage's health check never passes (the load balancer's does): senza.diagnose-no-signal after the timeout, and the rollback", async () => {
    const text = readFileSync(join(ROOT, DEFINITION), 'utf8');
    const marker = '        health_check_path: /cgi-bin/health\n';
    expect(text).toContain(marker);
    const definition = join(work, 'no-signal.yaml');
    writeFileSync(definition, text.replace(marker, '        health_check_path: /cgi-bin/nothing\n'));
    const started = Date.now();
    const created = await senza('create', definition, '25', '24', registry, '--wait');
    const seconds = (Date.now() - started) / 1000;
    expect(created.code, created.stderr).toBe(1);
    expect(created.stdout + created.stderr).toContain('senza.diagnose-no-signal');
    expect(seconds).toBeGreaterThanOrEqual(SIGNAL_TIMEOUT_S - 1);
    expect(seconds).toBeLessThan(SIGNAL_TIMEOUT_S + WAIT_ENDS_WITHIN_S + 15);
    const r = await senza('diagnose', 'hello-world', '25', '-o', 'json');
    expect(r.code, r.stderr).toBe(1);
    expect((JSON.parse(r.stdout) as DiagnoseJson).verdicts[0]).toMatchObject({
      code: 'senza.diagnose-no-signal',
      data: { reason: 'Failed to receive 1 resource signal(s) within the specified duration' },
    });
    const events = await senza('events', 'hello-world', '25', '-o', 'json');
    const rows = JSON.parse(events.stdout) as Record<string, string>[];
    const row = (status: string, reason?: string) =>
      rows.some((e) => Object.values(e).includes(status) && (!reason || Object.values(e).includes(reason)));
    expect(row('CREATE_FAILED', 'Failed to receive 1 resource signal(s) within the specified duration')).toBe(true);
    expect(row('ROLLBACK_IN_PROGRESS')).toBe(true);
    expect(row('ROLLBACK_COMPLETE')).toBe(true);
    // The rollback ends the group's instances: the runtime removes their containers.
    const deadline = Date.now() + 30_000;
    let left = await runDockerCli(['ps', '-aq', '--filter', 'label=stups.stack=hello-world-25'], { dockerHost, env });
    while (left.trim() !== '' && Date.now() < deadline) {
      await sleep(500);
      left = await runDockerCli(['ps', '-aq', '--filter', 'label=stups.stack=hello-world-25'], { dockerHost, env });
    }
    expect(left.trim()).toBe('');
  }, 150_000);

  /** The example definition with `patch` added to the AppServer (or the load balancer) component. */
  function definitionWith(file: string, component: 'AppServer' | 'AppLoadBalancer', line: string): string {
    const text = readFileSync(join(ROOT, DEFINITION), 'utf8');
    const marker = component === 'AppServer' ? '      InstanceType: t2.micro\n' : '      HTTPPort: 8080\n';
    expect(text).toContain(marker);
    const path = join(work, file);
    writeFileSync(path, text.replace(marker, `${marker}      ${line}\n`));
    return path;
  }

  it('an environment value that does not decrypt: senza.diagnose-decrypt-failed naming the key', async () => {
    const text = readFileSync(join(ROOT, DEFINITION), 'utf8');
    const marker = '        health_check_path: /cgi-bin/health\n';
    expect(text).toContain(marker);
    const definition = join(work, 'kms.yaml');
    // A ciphertext no KMS key made (base64 of "not-a-ciphertext").
    writeFileSync(
      definition,
      text.replace(
        marker,
        `${marker}        environment:\n          DB_PASSWORD: "aws:kms:bm90LWEtY2lwaGVydGV4dA=="\n`,
      ),
    );
    const started = Date.now();
    const created = await senza('create', definition, '23', '20', registry);
    expect(created.code, created.stderr).toBe(0);
    let r = await senza('diagnose', 'hello-world', '23', '-o', 'json');
    while (r.code === 0 && Date.now() - started < 60_000) {
      await sleep(500);
      r = await senza('diagnose', 'hello-world', '23', '-o', 'json');
    }
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect((JSON.parse(r.stdout) as DiagnoseJson).verdicts[0]).toMatchObject({
      code: 'senza.diagnose-decrypt-failed',
      data: { key: 'DB_PASSWORD' },
    });
    expect((Date.now() - started) / 1000).toBeLessThan(VERDICT_WITHIN_S);
  }, 150_000);

  it('create --preflight: a version that exists, a missing tag, AMI or certificate are verdicts; nothing is created', async () => {
    const preflight = async (definition: string, v: string, imageVersion = v) => {
      const started = Date.now();
      const r = await senza('create', '--preflight', '--log-format', 'json', definition, v, imageVersion, registry);
      const codes = r.stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: string; code: string })
        .filter((m) => m.level === 'error' && m.code.startsWith('senza.diagnose-'))
        .map((m) => m.code);
      return { code: r.code, codes, seconds: (Date.now() - started) / 1000, stderr: r.stderr };
    };
    const conflict = await preflight(DEFINITION, '20');
    expect(conflict.code, conflict.stderr).toBe(1);
    expect(conflict.codes[0]).toBe('senza.diagnose-name-conflict');
    const missingTag = await preflight(DEFINITION, '405');
    expect(missingTag.code, missingTag.stderr).toBe(1);
    expect(missingTag.codes[0]).toBe('senza.diagnose-image-missing');
    const ami = await preflight(definitionWith('ami.yaml', 'AppServer', 'ImageId: ami-0123456789abcdef0'), '20');
    expect(ami.code, ami.stderr).toBe(1);
    // the stack of version 20 is in the way too; the AMI is named
    expect(ami.codes).toEqual(['senza.diagnose-name-conflict', 'senza.diagnose-ami-missing']);
    const cert = await preflight(
      definitionWith(
        'cert.yaml',
        'AppLoadBalancer',
        'SSLCertificateId: arn:aws:acm:eu-central-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
      ),
      '30',
      '20',
    );
    expect(cert.code, cert.stderr).toBe(1);
    expect(cert.codes[0]).toBe('senza.diagnose-certificate-missing');
    for (const r of [conflict, missingTag, ami, cert]) expect(r.seconds).toBeLessThan(VERDICT_WITHIN_S);
    const ok = await senza('create', '--preflight', DEFINITION, '31', '20', registry);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('Preflight OK: stack hello-world-31 can be created (nothing was created).');
    const list = await senza('list', 'hello-world', '-o', 'json');
    const versions = (JSON.parse(list.stdout) as { version: string }[]).map((s) => s.version);
    for (const v of ['405', '30', '31']) expect(versions).not.toContain(v);
  }, 150_000);

  it('a healthy-looking version without a cause: exit 0 and no verdict', async () => {
    const r = await senza('diagnose', 'hello-world', '999', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ stackName: 'hello-world-999', verdicts: [] });
  }, 60_000);
});
