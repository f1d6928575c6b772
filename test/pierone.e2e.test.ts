import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedToken, TokenStore } from '@stups/core/auth';
import {
  CI_CLIENT,
  type OAuthProvider,
  type Platform,
  type RunningRegistry,
  startOAuthProvider,
  startPlatform,
  startRegistry,
} from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pieroneUserEnv } from './support/pierone-user.js';
import { localAwsEnv, ROOT, type RunOptions, runCli, runProgram, SENZA } from './support/run-cli.js';

const PIERONE = `${ROOT}packages/pierone/dist/bin.js`;

let work: string;
let provider: OAuthProvider;
let registry: RunningRegistry;
let host: string;
let env: NodeJS.ProcessEnv;

/** Runs a program (skopeo, umoci, docker) with the test's environment and an empty stdin unless given one. */
const exec = (cmd: string, args: string[], options: RunOptions = {}) =>
  runProgram(cmd, args, { ...options, env: options.env ?? env, input: options.input ?? '' });

const pierone = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(PIERONE, args, { ...env, ...extra });

async function umoci(args: string[]): Promise<void> {
  const r = await exec('umoci', args);
  expect(r.code, r.stderr).toBe(0);
}

/** An OCI layout image built offline: one file per entry, plus the config. */
async function buildImage(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const layout = join(work, `oci-${name}`);
  await umoci(['init', '--layout', layout]);
  await umoci(['new', '--image', `${layout}:img`]);
  for (const [path, content] of Object.entries(files)) {
    const file = join(work, `file-${name}-${path.replaceAll('/', '_')}`);
    writeFileSync(file, content);
    await umoci(['insert', '--image', `${layout}:img`, file, `/${path}`]);
  }
  await umoci([
    'config',
    '--image',
    `${layout}:img`,
    '--config.cmd',
    '/hello',
    '--architecture',
    'amd64',
    '--os',
    'linux',
  ]);
  return `oci:${layout}:img`;
}

const push = (source: string, ref: string, extra: NodeJS.ProcessEnv = {}) =>
  exec('skopeo', ['copy', '--dest-tls-verify=false', source, `docker://${host}/${ref}`], { env: { ...env, ...extra } });

function blobsConsistent(): boolean {
  const dir = join(work, 'registry', 'blobs', 'sha256');
  return readdirSync(dir).every(
    (hex) =>
      createHash('sha256')
        .update(readFileSync(join(dir, hex)))
        .digest('hex') === hex,
  );
}

const SCM = { url: 'git:git@github.com:myteam/hello.git', revision: 'cd768599e1bb41c3', author: 'jdoe', status: '' };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pierone-e2e-'));
  provider = await startOAuthProvider({ accessTokenSeconds: 3600 });
  registry = await startRegistry({
    root: join(work, 'registry'),
    tokeninfoUrl: provider.tokeninfoUrl,
    clientTeams: { [CI_CLIENT.client_id]: 'myteam' },
  });
  host = registry.url.replace('http://', '');
  // The CI recipe: a confidential client, `pierone login`, then the registry clients through the helper.
  env = {
    ...pieroneUserEnv(work),
    ZIGN_ISSUER: provider.issuer,
    ZIGN_CLIENT_ID: CI_CLIENT.client_id,
    ZIGN_CLIENT_SECRET: CI_CLIENT.client_secret,
    PIERONE_URL: registry.url,
    NODE_NO_WARNINGS: '1',
  };
});

afterAll(async () => {
  await registry?.close();
  await provider?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('pierone login, then real clients through docker-credential-pierone', () => {
  it('refuses wrong client credentials at login with exit 3, and leaves config.json alone', async () => {
    const r = await pierone(['login'], { ZIGN_CLIENT_SECRET: 'wrong' });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('the server refused the client credentials');
    expect(existsSync(join(work, 'docker', 'config.json'))).toBe(false);
  });

  it('login registers the helper under host:port (0600) and doctor agrees', async () => {
    const r = await pierone(['login']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Authentication configured for ${registry.url}`);
    const path = join(work, 'docker', 'config.json');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ auths: {}, credHelpers: { [host]: 'pierone' } });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const doctor = await pierone(['doctor', '-o', 'json']);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(JSON.parse(doctor.stdout).map((f: { code: string }) => f.code)).toEqual([
      'pierone.doctor-helper-registered',
      'pierone.doctor-helper-binary',
      'pierone.doctor-registry',
    ]);
    const get = await exec('docker-credential-pierone', ['get'], { input: `${host}\n` });
    expect(get.code, get.stderr).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ Username: 'oauth2', ServerURL: host });
  });

  it('login stores the URL it used in pierone.yaml; --store-token writes auths, logout undoes it', async () => {
    const stored = readFileSync(join(work, 'config', 'pierone', 'pierone.yaml'), 'utf8');
    expect(stored).toContain(`url: ${registry.url}`);
    const { PIERONE_URL: _, ...withoutUrl } = env;
    const noEnvUrl = await runCli(PIERONE, ['teams', '-o', 'json'], withoutUrl);
    expect(noEnvUrl.code, noEnvUrl.stderr).toBe(0);
    const other = { DOCKER_CONFIG: join(work, 'docker-token') };
    const login = await pierone(['login', '--store-token'], other);
    expect(login.code, login.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(work, 'docker-token', 'config.json'), 'utf8'));
    expect(Buffer.from(config.auths[host].auth, 'base64').toString()).toMatch(/^oauth2:.+/);
    expect(config.credHelpers).toBeUndefined();
    const tags = await exec('skopeo', ['list-tags', '--tls-verify=false', `docker://${host}/myteam/none`], {
      env: { ...env, ...other, PATH: '/usr/bin:/bin' },
    });
    expect(tags.code, tags.stderr).toBe(0);
    const logout = await pierone(['logout'], other);
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.stderr).toContain(`auths["${host}"]`);
    expect(JSON.parse(readFileSync(join(work, 'docker-token', 'config.json'), 'utf8'))).toEqual({ auths: {} });
  });

  it('keeps working beside a credsStore, and never overwrites a malformed config.json', async () => {
    const beside = { DOCKER_CONFIG: join(work, 'docker-store') };
    mkdirSync(beside.DOCKER_CONFIG);
    const path = join(beside.DOCKER_CONFIG, 'config.json');
    writeFileSync(path, JSON.stringify({ credsStore: 'no-such-store', credHelpers: { 'gcr.io': 'gcloud' } }));
    expect((await pierone(['login'], beside)).code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      credsStore: 'no-such-store',
      credHelpers: { 'gcr.io': 'gcloud', [host]: 'pierone' },
      auths: {},
    });
    const tags = await exec('skopeo', ['list-tags', '--tls-verify=false', `docker://${host}/myteam/none`], {
      env: { ...env, ...beside },
    });
    expect(tags.code, tags.stderr).toBe(0);
    writeFileSync(path, '{"auths": {"x": ');
    const broken = await pierone(['login'], beside);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`Error: The Docker configuration ${path} is malformed`);
    expect(readFileSync(path, 'utf8')).toBe('{"auths": {"x": ');
  });

  it('skopeo pushes and pulls; pierone tags, latest, scm-source and image show what was pushed', async () => {
    const image = await buildImage('v1', { 'scm-source.json': JSON.stringify(SCM), hello: 'hello\n' });
    const pushed = await push(image, 'myteam/hello:1.0');
    expect(pushed.code, pushed.stderr).toBe(0);
    const pulled = await exec('skopeo', [
      'copy',
      '--src-tls-verify=false',
      `docker://${host}/myteam/hello:1.0`,
      `oci:${join(work, 'pulled')}:x`,
    ]);
    expect(pulled.code, pulled.stderr).toBe(0);

    const tags = await pierone(['tags', 'myteam', '-o', 'json']);
    expect(tags.code, tags.stderr).toBe(0);
    expect(JSON.parse(tags.stdout)).toEqual([
      {
        team: 'myteam',
        artifact: 'hello',
        tag: '1.0',
        created_by: CI_CLIENT.client_id,
        created_time: expect.stringMatching(/Z$/),
        status: 'Not Processed',
        status_reason: 'Not Processed',
      },
    ]);
    const text = await pierone(['tags', 'myteam', 'hello']);
    expect(text.stdout.split('\n')[0]).toBe('Team  │Artifact│Tag│Created│By      │Status       │Status Reason');
    expect(text.stdout).toMatch(/myteam hello {4}1\.0 +\d+s ago stups-ci/);
    const latest = await pierone(['latest', 'myteam', 'hello']);
    expect(latest.stdout).toBe('1.0\n');
    const scm = await pierone(['scm-source', 'myteam', 'hello', '-o', 'json']);
    expect(JSON.parse(scm.stdout)[0]).toMatchObject({ tag: '1.0', ...SCM });
    const teams = await pierone(['teams', '-o', 'tsv']);
    expect(teams.stdout).toBe('name\nmyteam\n');
    const config = JSON.parse(
      (await exec('skopeo', ['inspect', '--tls-verify=false', '--config', `docker://${host}/myteam/hello:1.0`])).stdout,
    );
    expect(config.os).toBe('linux');
    const inspect = JSON.parse(
      (await exec('skopeo', ['inspect', '--tls-verify=false', '--raw', `docker://${host}/myteam/hello:1.0`])).stdout,
    );
    const byImage = await pierone(['image', inspect.config.digest.slice(0, 19), '-o', 'json']);
    expect(JSON.parse(byImage.stdout)).toEqual([{ team: 'myteam', artifact: 'hello', name: '1.0' }]);
    // The IMAGE ID `docker images` prints: 12 hex characters, a prefix of the digest's hex.
    const shortId = inspect.config.digest.slice('sha256:'.length, 'sha256:'.length + 12);
    const byShortId = await pierone(['image', shortId, '-o', 'json']);
    expect(byShortId.code, byShortId.stderr).toBe(0);
    expect(JSON.parse(byShortId.stdout)).toEqual([{ team: 'myteam', artifact: 'hello', name: '1.0' }]);
    // A tag that does not exist is an error, not a row of its name alone.
    const unknownTag = await pierone(['scm-source', 'myteam', 'hello', '1.0', '99']);
    expect(unknownTag.code).toBe(2);
    expect(unknownTag.stdout).toBe('');
    expect(unknownTag.stderr).toContain('Error: Tag 99 of myteam/hello does not exist');
    expect(unknownTag.stderr).toContain('Hint: List the tags with `pierone tags myteam hello`.');
  });

  it('refuses to overwrite an immutable tag and to push latest; -SNAPSHOT tags move', async () => {
    const other = await buildImage('v2', { hello: 'changed\n' });
    const again = await push(other, 'myteam/hello:1.0');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('tag already exists');
    const latest = await push(other, 'myteam/hello:latest');
    expect(latest.code).not.toBe(0);
    expect(latest.stderr).toContain('tag latest is not allowed');
    expect((await push(other, 'myteam/hello:2.0-SNAPSHOT')).code).toBe(0);
    const v1 = await buildImage('v3', { hello: 'snapshot 2\n' });
    expect((await push(v1, 'myteam/hello:2.0-SNAPSHOT')).code).toBe(0);
    expect((await pierone(['latest', 'myteam', 'hello'])).stdout).toBe('2.0-SNAPSHOT\n');
  });

  it('a wrong token is refused clearly, by skopeo through the helper and by pierone (exit 3)', async () => {
    // A machine whose only token is a wrong fixed one (no stored token from the login above).
    const wrong = { OAUTH2_ACCESS_TOKENS: 'pierone=not-a-valid-token', XDG_CONFIG_HOME: join(work, 'other-config') };
    const pushed = await push(await buildImage('v4', { hello: 'x' }), 'myteam/hello:4.0', wrong);
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toMatch(/unauthorized|authentication required/i);
    const teams = await pierone(['teams'], wrong);
    expect(teams.code).toBe(3);
    expect(teams.stderr).toContain('Error: Pier One refused the token (401 Unauthorized)');
    expect(teams.stderr).toContain('pierone login');
  });

  it('a stored token the issuer forgot (a restarted platform) is dropped and renewed once: pierone, helper, skopeo', async () => {
    const store = new TokenStore(join(work, 'config', 'zalando-token-cli'));
    const forget = () =>
      store.update((tokens) => {
        tokens.pierone = storedToken('pierone', { access_token: 'forgotten-by-the-issuer', expires_in: 3600 });
      });
    await forget();
    const teams = await pierone(['teams']);
    expect(teams.code, teams.stderr).toBe(0);
    expect(teams.stdout).toContain('myteam');
    const renewed = store.get('pierone')?.access_token ?? '';
    expect(renewed).not.toBe('forgotten-by-the-issuer');
    await forget();
    const get = await exec('docker-credential-pierone', ['get'], { input: `${host}\n` });
    expect(get.code, get.stderr).toBe(0);
    expect(JSON.parse(get.stdout).Secret).not.toBe('forgotten-by-the-issuer');
    expect(JSON.parse(get.stdout).Secret).toBe(store.get('pierone')?.access_token);
    await forget();
    const pushed = await push(await buildImage('v5', { hello: 'renewed' }), 'myteam/hello:5.0');
    expect(pushed.code, pushed.stderr).toBe(0);
    await forget();
    const login = await pierone(['login']);
    expect(login.code, login.stderr).toBe(0);
    expect(store.get('pierone')?.access_token).not.toBe('forgotten-by-the-issuer');
  });

  it('a read token cached by pierone latest is never handed to docker: the helper and login get the write scopes', async () => {
    const scoped = { XDG_CONFIG_HOME: join(work, 'scope-config') };
    const store = new TokenStore(join(work, 'scope-config', 'zalando-token-cli'));
    const scopesOf = async (token: string) => {
      const res = await fetch(`${provider.tokeninfoUrl}?access_token=${encodeURIComponent(token)}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { scope: string[] }).scope;
    };
    const pushed = await push(await buildImage('scoped', { hello: 'scoped' }), 'myteam/scoped:1.0');
    expect(pushed.code, pushed.stderr).toBe(0);
    const latest = await pierone(['latest', 'myteam', 'scoped'], scoped);
    expect(latest.stdout, latest.stderr).toBe('1.0\n');
    const read = store.get('pierone');
    expect(read?.scope.split(' ')).toEqual(['uid']);
    expect(await scopesOf(read?.access_token ?? '')).not.toContain('application.write');

    const get = await exec('docker-credential-pierone', ['get'], { input: `${host}\n`, env: { ...env, ...scoped } });
    expect(get.code, get.stderr).toBe(0);
    const secret = JSON.parse(get.stdout).Secret as string;
    expect(secret).not.toBe(read?.access_token);
    expect(await scopesOf(secret)).toEqual(expect.arrayContaining(['uid', 'application.write']));
    // The write token is stored under the name and serves reading too: no third token.
    expect(store.get('pierone')?.access_token).toBe(secret);
    expect((await pierone(['latest', 'myteam', 'scoped'], scoped)).code).toBe(0);
    expect(store.get('pierone')?.access_token).toBe(secret);

    // pierone login after a read token: the token it checks and stores for Docker has the write scopes.
    await store.update((tokens) => {
      tokens.pierone = { ...(read as NonNullable<typeof read>) };
    });
    const login = await pierone(['login', '--store-token'], { ...scoped, DOCKER_CONFIG: join(work, 'scope-docker') });
    expect(login.code, login.stderr).toBe(0);
    const auths = JSON.parse(readFileSync(join(work, 'scope-docker', 'config.json'), 'utf8')).auths;
    const basic = Buffer.from(Object.values(auths as Record<string, { auth: string }>)[0]?.auth ?? '', 'base64');
    const stored = basic.toString().replace(/^oauth2:/, '');
    expect(stored).not.toBe(read?.access_token);
    expect(await scopesOf(stored)).toEqual(expect.arrayContaining(['uid', 'application.write']));
  });

  it('doctor checks the registry answers: down is an error naming it (exit 1)', async () => {
    const doctor = await pierone(['doctor', '--url', 'http://127.0.0.1:9', '-o', 'json']);
    expect(doctor.code, doctor.stdout).toBe(1);
    const findings = JSON.parse(doctor.stdout) as { code: string; text: string }[];
    const down = findings.find((f) => f.code === 'pierone.doctor-registry-unreachable');
    expect(down?.text).toContain('Could not reach GET http://127.0.0.1:9/v2/');
  });

  it('bad input: invalid names (exit 2), unknown team and artifact, an unreachable registry names the URL', async () => {
    const invalid = await pierone(['tags', 'No_Such!']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('Invalid team "No_Such!"');
    const unknownTeam = await pierone(['tags', 'nosuchteam']);
    expect(unknownTeam.code).toBe(2);
    expect(unknownTeam.stderr).toContain('The Team you are looking for does not exist');
    const unknownArtifact = await pierone(['scm-source', 'myteam', 'nope']);
    expect(unknownArtifact.code).toBe(2);
    expect(unknownArtifact.stderr).toContain('Artifact or Team does not exist!');
    expect((await pierone(['artifacts', 'nosuchteam', '-o', 'json'])).stdout).toBe('[]\n');
    const down = await pierone(['teams', '--url', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('Could not reach GET http://127.0.0.1:9/teams');
    const helper = await exec('docker-credential-pierone', ['frobnicate']);
    expect(helper.code).toBe(2);
    expect(helper.stderr).toContain('Error: Unknown command "frobnicate"');
    const empty = await exec('docker-credential-pierone', ['get'], { input: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('No server URL on stdin');
  });

  it('a push killed with SIGKILL midway leaves the registry consistent, and the next push succeeds', async () => {
    const big = await buildImage('big', { 'big.bin': randomBytes(48 * 1024 * 1024) });
    const uploads = join(work, 'registry', 'uploads');
    let killed = false;
    const r = await exec('skopeo', ['copy', '--dest-tls-verify=false', big, `docker://${host}/myteam/big:1.0`], {
      onSpawn: (child) => {
        const poll = setInterval(() => {
          const files = readdirSync(uploads);
          if (files.some((f) => statSync(join(uploads, f)).size > 1024 * 1024)) {
            clearInterval(poll);
            killed = child.kill('SIGKILL');
          }
        }, 5);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(killed, r.stderr).toBe(true);
    expect(r.code).toBe(128);
    // The server notices the cut connection and drops the partial upload; nothing half-written is a blob.
    await expect.poll(() => readdirSync(uploads), { timeout: 5000 }).toEqual([]);
    expect(blobsConsistent()).toBe(true);
    const tags = await pierone(['tags', 'myteam', 'big']);
    expect(tags.code).toBe(2);
    const again = await push(big, 'myteam/big:1.0');
    expect(again.code, again.stderr).toBe(0);
    expect(blobsConsistent()).toBe(true);
  });
});

/** Why a private dockerd cannot run here, or undefined when it can. */
function dockerUnavailable(): string | undefined {
  const pathDirs = (process.env.PATH ?? '').split(':');
  const has = (name: string) => pathDirs.some((d) => existsSync(join(d, name)));
  if (!has('dockerd') && !existsSync('/usr/sbin/dockerd')) return 'dockerd is not installed (Debian package docker.io)';
  if (!has('docker')) return 'the docker client is not installed';
  if (process.getuid?.() !== 0) return 'dockerd needs root here (no rootless setup)';
  return undefined;
}

const noDocker = dockerUnavailable();
const PEER_HINT =
  'not here: run the tests with `pnpm test`, whose prerequisites step (scripts/prerequisites.mjs) installs it or says how';
describe('docker push and pull through a private dockerd', () => {
  let dockerd: ChildProcess | undefined;
  let denv: NodeJS.ProcessEnv;
  let dir: string;

  beforeAll(async () => {
    // A missing peer fails the suite: the prerequisites step of `pnpm test` makes sure it is there.
    if (noDocker) throw new Error(`${noDocker}; ${PEER_HINT}`);
    dir = mkdtempSync(join(tmpdir(), 'dockerd-'));
    const sock = join(dir, 'sock');
    const bin = existsSync('/usr/sbin/dockerd') ? '/usr/sbin/dockerd' : 'dockerd';
    dockerd = spawn(
      bin,
      [
        '--data-root',
        join(dir, 'data'),
        '--exec-root',
        join(dir, 'exec'),
        '--pidfile',
        join(dir, 'pid'),
        '-H',
        `unix://${sock}`,
        '--bridge=none',
        '--iptables=false',
        '--ip6tables=false',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    dockerd.stderr?.on('data', (d) => {
      log += d;
    });
    denv = { ...env, DOCKER_HOST: `unix://${sock}`, DOCKER_BUILDKIT: '0' };
    const until = Date.now() + 30_000;
    while ((await exec('docker', ['version', '--format', '{{.Server.Version}}'], { env: denv })).code !== 0) {
      if (Date.now() > until || dockerd.exitCode !== null)
        throw new Error(`dockerd did not start: ${log.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, 60_000);

  afterAll(async () => {
    if (dockerd && dockerd.exitCode === null) {
      const exited = new Promise((resolve) => dockerd?.once('exit', resolve));
      dockerd.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('builds FROM scratch with busybox, pushes, removes and pulls it back', async () => {
    const ctx = join(dir, 'ctx');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'busybox'), readFileSync('/usr/bin/busybox'));
    writeFileSync(join(ctx, 'scm-source.json'), JSON.stringify({ ...SCM, revision: 'dockerrev01' }));
    writeFileSync(
      join(ctx, 'Dockerfile'),
      'FROM scratch\nCOPY busybox /bin/busybox\nCOPY scm-source.json /scm-source.json\nCMD ["/bin/busybox","echo","hi"]\n',
    );
    const ref = `${host}/myteam/dhello:1.0`;
    const build = await exec('docker', ['build', '-q', '-t', ref, ctx], { env: denv });
    expect(build.code, build.stderr).toBe(0);
    const pushed = await exec('docker', ['push', ref], { env: denv });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect((await exec('docker', ['rmi', ref], { env: denv })).code).toBe(0);
    const pulled = await exec('docker', ['pull', ref], { env: denv });
    expect(pulled.code, pulled.stderr).toBe(0);
    const scm = await pierone(['scm-source', 'myteam', 'dhello', '1.0', '-o', 'json']);
    expect(JSON.parse(scm.stdout)[0]).toMatchObject({ tag: '1.0', revision: 'dockerrev01' });
    const again = await exec('docker', ['push', ref.replace(':1.0', ':latest')], { env: denv });
    expect(again.code).not.toBe(0);
  });
});

describe('senza print checks a Pier One image', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform({ stateDir: join(work, 'aws') });
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('passes for a pushed tag, fails clearly for a missing one, and --force skips the check', async () => {
    const definition = readFileSync(join(ROOT, 'examples', 'hello-world.yaml'), 'utf8').replace(
      'source: "stups/hello-world:{{Arguments.ImageVersion}}"',
      `source: "${host}/myteam/hello:{{Arguments.ImageVersion}}"`,
    );
    const file = join(work, 'hello-world.yaml');
    writeFileSync(file, definition);
    const senzaEnv = { ...env, ...localAwsEnv(platform.endpoint) };
    const ok = await runCli(SENZA, ['print', file, '1', '1.0'], senzaEnv);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).not.toContain('not checked');
    const missing = await runCli(SENZA, ['print', file, '1', '9.9'], senzaEnv);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`Docker image "${host}/myteam/hello:9.9" does not exist`);
    const forced = await runCli(SENZA, ['print', file, '1', '9.9', '--force'], senzaEnv);
    expect(forced.code, forced.stderr).toBe(0);
  });
});
