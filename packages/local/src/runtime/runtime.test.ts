import { execFile } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../aws/local-aws.js';
import { isRunning } from '../contract/own-process.js';
import type { RunningService } from '../contract/platform-service.js';
import { CI_CLIENT } from '../oauth/oauth-clients.js';
import { oauthService } from '../oauth/oauth-service.js';
import { registryService } from '../registry/registry-service.js';
import { privateDockerdPaths, stateDirId } from './docker-engine.js';
import { LABEL, RUNTIME_DIR, RUNTIME_LOG_FILE, runtimeEngine, startRuntime } from './runtime.js';
import type { PlatformLinks, Runtime } from './runtime-contract.js';

/**
 * The runtime against real peers: moto behind the layer, a private dockerd (started by the runtime),
 * images built offline from busybox, stacks created with the built senza.
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SENZA = join(ROOT, 'packages/senza/dist/bundle/senza.cjs');
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => existsSync(join(d, name)));
}

/** Why the runtime cannot run containers here, or undefined when it can. */
function unavailable(): string | undefined {
  if (!existsSync('/usr/sbin/dockerd') && !onPath('dockerd'))
    return 'dockerd is not installed (Debian package docker.io)';
  if (!onPath('docker')) return 'the docker client is not installed';
  if (process.getuid?.() !== 0) return 'dockerd and nsenter need root here (no rootless setup)';
  if (!onPath('socat')) return 'socat is not installed (Debian package socat)';
  if (!onPath('nsenter')) return 'nsenter is not installed (Debian package util-linux)';
  if (!BUSYBOX) return 'busybox is not installed (Debian package busybox-static)';
  if (!existsSync(SENZA)) return 'senza is not built (pnpm run build)';
  return undefined;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) || 1 : 0, out: `${stdout}${stderr}` });
    });
  });
}

/** GET / through a forwarder's unix socket. */
function getViaSocket(socketPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ socketPath, path: '/', timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

let runtimeLog = '';

/** Waits for `fn` to return something; the error shows the runtime's log. */
async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const text = existsSync(runtimeLog)
        ? readFileSync(runtimeLog, 'utf8').split('\n').slice(-15).join('\n')
        : '(no log)';
      throw new Error(`timed out after ${ms} ms waiting for ${what}; runtime log:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const reason = unavailable();
describe('the runtime runs stack versions as containers', () => {
  let work: string;
  let stateDir: string;
  let platform: Platform;
  let runtime: Runtime | undefined;
  let docker: Docker;
  let env: NodeJS.ProcessEnv;
  let dockerdPid = 0;
  let denv: NodeJS.ProcessEnv;
  const links: PlatformLinks = {};
  const services: RunningService[] = [];
  let pierone: Record<string, string> = {};

  const senza = (...args: string[]) => run(process.execPath, [SENZA, ...args], env);
  const running = (stackName: string) =>
    (runtime?.instances() ?? []).filter((i) => i.stackName === stackName && i.running);
  const containersOf = async (stackName: string) =>
    docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.platform}=${stateDirId(stateDir)}`, `${LABEL.stack}=${stackName}`] },
    });

  beforeAll(async () => {
    // A missing peer fails the suite: the prerequisites step of `pnpm test` makes sure it is there.
    if (reason)
      throw new Error(
        `${reason}; not here: run the tests with "pnpm test", whose prerequisites step (scripts/prerequisites.mjs) installs it or says how`,
      );
    work = mkdtempSync(join(tmpdir(), 'rt-'));
    stateDir = join(work, 's');
    runtimeLog = join(stateDir, RUNTIME_LOG_FILE);
    platform = await startPlatform({ stateDir: join(work, 'aws'), links });
    // The OAuth provider and Pier One as the platform runs them: the runtime pulls with their environment.
    const oauth = await oauthService.start({ stateDir: join(work, 'o'), region: 'eu-central-1', links });
    services.push(oauth);
    const registry = await registryService.start({
      stateDir: join(work, 'p'),
      region: 'eu-central-1',
      links,
      environment: oauth.record.environment,
    });
    services.push(registry);
    pierone = { ...oauth.record.environment, ...registry.record.environment };
    runtime = await startRuntime({
      stateDir,
      region: 'eu-central-1',
      motoEndpoint: platform.motoEndpoint,
      engine: 'private',
      environment: pierone,
    });
    links.instances = runtime;
    const engine = runtimeEngine(runtime);
    if (!engine?.pid) throw new Error(`no private dockerd: ${runtime.engineSummary}`);
    dockerdPid = engine.pid;
    docker = new Docker({ socketPath: privateDockerdPaths(stateDir).socket });
    denv = { ...process.env, DOCKER_HOST: engine.endpoint, DOCKER_BUILDKIT: '0', DOCKER_CONFIG: join(work, 'dcfg') };
    for (const version of ['1', '2']) {
      const ctx = join(work, `ctx${version}`);
      mkdirSync(join(ctx, 'www'), { recursive: true });
      copyFileSync(BUSYBOX as string, join(ctx, 'busybox'));
      chmodSync(join(ctx, 'busybox'), 0o755);
      writeFileSync(join(ctx, 'www', 'index.html'), `hello-world version ${version}\n`);
      writeFileSync(
        join(ctx, 'Dockerfile'),
        'FROM scratch\nCOPY busybox /bin/busybox\nCOPY www /www\n' +
          'CMD ["/bin/busybox","sh","-c","echo started $APPLICATION_ID $APPLICATION_VERSION; exec /bin/busybox httpd -f -p 8080 -h /www"]\n',
      );
      const built = await run('docker', ['build', '-q', '-t', `stups/hello-world:${version}`, ctx], denv);
      expect(built.code, built.out).toBe(0);
    }
    env = {
      PATH: process.env.PATH,
      HOME: work,
      NODE_NO_WARNINGS: '1',
      AWS_ENDPOINT_URL: platform.endpoint,
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    };
  }, 90_000);

  afterAll(async () => {
    await runtime?.close();
    for (const s of services.reverse()) await s.stop();
    await platform?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('runs one container per instance, labelled, without a network, answering through its forwarder', async () => {
    const created = await senza('create', 'examples/hello-world.yaml', '1', '1');
    expect(created.code, created.out).toBe(0);
    const [instance] = await until(
      'hello-world-1 running',
      () => running('hello-world-1')[0] && running('hello-world-1'),
    );
    const [container] = await containersOf('hello-world-1');
    expect(container?.Labels).toMatchObject({
      [LABEL.stack]: 'hello-world-1',
      [LABEL.version]: '1',
      [LABEL.instance]: instance?.instanceId,
    });
    expect(container?.HostConfig.NetworkMode).toBe('none');
    const socket = instance?.sockets[8080] ?? '';
    expect(socket.startsWith(join(stateDir, RUNTIME_DIR))).toBe(true);
    const answer = await getViaSocket(socket);
    expect(answer).toEqual({ status: 200, body: 'hello-world version 1\n' });

    const info = await docker.getContainer(container?.Id ?? '').inspect();
    expect(info.HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 10 });
    const devices = readFileSync(`/proc/${info.State.Pid}/net/dev`, 'utf8')
      .split('\n')
      .slice(2)
      .map((l) => l.split(':')[0]?.trim())
      .filter(Boolean);
    expect(devices).toEqual(['lo']);
    const output = await until('console output', async () =>
      (await runtime?.consoleOutput(instance?.instanceId ?? ''))?.includes('started') ? runtime : undefined,
    );
    expect(await output.consoleOutput(instance?.instanceId ?? '')).toContain('started hello-world 1');
    expect(await runtime?.consoleOutput('i-00000000')).toBeUndefined();
  });

  it('runs a second version on the same container port side by side', async () => {
    const created = await senza('create', 'examples/hello-world.yaml', '2', '2');
    expect(created.code, created.out).toBe(0);
    const [v2] = await until('hello-world-2 running', () => running('hello-world-2')[0] && running('hello-world-2'));
    const [v1] = running('hello-world-1');
    expect((await getViaSocket(v2?.sockets[8080] ?? '')).body).toBe('hello-world version 2\n');
    expect((await getViaSocket(v1?.sockets[8080] ?? '')).body).toBe('hello-world version 1\n');
  });

  it('a container whose process dies is restarted, and its forwarder follows the new PID', async () => {
    const [v2] = running('hello-world-2');
    const container = docker.getContainer(v2?.containerId ?? '');
    const before = (await container.inspect()).State.Pid;
    process.kill(before, 'SIGKILL');
    await until('hello-world-2 restarted', async () => {
      const state = (await container.inspect()).State;
      return state.Running && state.Pid !== before && running('hello-world-2').length === 1 ? state : undefined;
    });
    const [again] = await until('the forwarder answering again', async () => {
      const [i] = running('hello-world-2');
      const ok = await getViaSocket(i?.sockets[8080] ?? '').then(
        (a) => a.body === 'hello-world version 2\n',
        () => false,
      );
      return ok ? running('hello-world-2') : undefined;
    });
    expect(again?.containerId).toBe(v2?.containerId);
    expect((await container.inspect()).RestartCount).toBeGreaterThanOrEqual(1);
  });

  it('pulls an image from the local Pier One with a token from the local OAuth provider', async () => {
    const host = new URL(pierone.PIERONE_URL ?? '').host;
    const image = `${host}/myteam/hello-world:4`;
    const tokenAnswer = await fetch(pierone.OAUTH2_ACCESS_TOKEN_URL ?? '', {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${CI_CLIENT.client_id}:${CI_CLIENT.client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=uid application.write',
    });
    const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
    writeFileSync(join(work, 'token'), token);
    const login = await run(
      'sh',
      ['-c', `docker login -u oauth2 --password-stdin ${host} < ${join(work, 'token')}`],
      denv,
    );
    expect(login.code, login.out).toBe(0);
    expect((await run('docker', ['tag', 'stups/hello-world:2', image], denv)).code).toBe(0);
    const pushed = await run('docker', ['push', image], denv);
    expect(pushed.code, pushed.out).toBe(0);
    // Only Pier One has it now: the runtime must pull it.
    expect((await run('docker', ['rmi', image], denv)).code).toBe(0);
    const definition = join(work, 'pierone.yaml');
    writeFileSync(
      definition,
      readFileSync(join(ROOT, 'examples/hello-world.yaml'), 'utf8').replace(
        'source: "stups/hello-world:',
        `source: "${host}/myteam/hello-world:`,
      ),
    );
    const created = await senza('create', definition, '4', '4', '--force');
    expect(created.code, created.out).toBe(0);
    const [v4] = await until('hello-world-4 running', () => running('hello-world-4')[0] && running('hello-world-4'));
    expect((await getViaSocket(v4?.sockets[8080] ?? '')).body).toBe('hello-world version 2\n');
    expect(readFileSync(runtimeLog, 'utf8')).toContain(`pulled ${image}`);
    const deleted = await senza('delete', 'hello-world', '4');
    expect(deleted.code, deleted.out).toBe(0);
  });

  it('a missing image: the instance does not run, the log says why, nothing crashes', async () => {
    const created = await senza('create', 'examples/hello-world.yaml', '3', '3');
    expect(created.code, created.out).toBe(0);
    const log = join(stateDir, RUNTIME_LOG_FILE);
    await until('the log line', () =>
      readFileSync(log, 'utf8').includes('image stups/hello-world:3 not found: it is not in the Docker engine'),
    );
    // senza diagnose reads the console (Taupage's pull error) and names the cause, not a failing health check.
    const diagnosed = await senza('diagnose', 'hello-world', '3');
    expect(diagnosed.code, diagnosed.out).toBe(1);
    expect(diagnosed.out).toMatch(/^senza\.diagnose-image-missing: /m);
    expect(diagnosed.out).not.toContain('senza.diagnose-health-failing');
    expect(running('hello-world-3')).toEqual([]);
    expect(runtime?.instances().filter((i) => i.stackName === 'hello-world-3')).toEqual([
      expect.objectContaining({ containerId: '', running: false, sockets: {} }),
    ]);
    expect(await containersOf('hello-world-3')).toEqual([]);
    const deleted = await senza('delete', 'hello-world', '3');
    expect(deleted.code, deleted.out).toBe(0);
  });

  it('scaling 1 → 3 gives 3 containers; deleting the stack removes them', async () => {
    const scaled = await senza('scale', 'hello-world', '1', '3');
    expect(scaled.code, scaled.out).toBe(0);
    const three = await until(
      '3 instances of hello-world-1',
      () => running('hello-world-1').length === 3 && running('hello-world-1'),
    );
    expect((await containersOf('hello-world-1')).length).toBe(3);
    for (const i of three) expect((await getViaSocket(i.sockets[8080] ?? '')).body).toBe('hello-world version 1\n');
    const sockets = three.map((i) => i.sockets[8080] ?? '');

    const deleted = await senza('delete', 'hello-world', '1');
    expect(deleted.code, deleted.out).toBe(0);
    await until('no container of hello-world-1', async () => (await containersOf('hello-world-1')).length === 0);
    await until('the runtime forgets hello-world-1', () =>
      (runtime?.instances() ?? []).every((i) => i.stackName !== 'hello-world-1'),
    );
    for (const s of sockets) expect(existsSync(s)).toBe(false);
    expect(running('hello-world-2')).toHaveLength(1);
  });

  it('close() leaves no container, forwarder, socket or dockerd', async () => {
    const pidFiles = readdirSync(join(stateDir, RUNTIME_DIR)).filter((n) => n.endsWith('.pid'));
    expect(pidFiles.length).toBeGreaterThan(0);
    const forwarderPids = pidFiles.map((n) => Number(readFileSync(join(stateDir, RUNTIME_DIR, n), 'utf8')));
    const dataRoot = privateDockerdPaths(stateDir).dataRoot;
    await runtime?.close();
    runtime = undefined;
    expect(isRunning(dockerdPid)).toBe(false);
    for (const pid of forwarderPids) expect(isRunning(pid)).toBe(false);
    expect(readdirSync(join(stateDir, RUNTIME_DIR))).toEqual([]);
    expect(readdirSync(join(dataRoot, 'containers'))).toEqual([]);
    expect(existsSync(privateDockerdPaths(stateDir).socket)).toBe(false);
    expect(existsSync(privateDockerdPaths(stateDir).execRoot)).toBe(false);
  }, 60_000);
});
