import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CI_CLIENT, type OAuthProvider, type RunningRegistry, startOAuthProvider, startRegistry } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pieroneUserEnv } from './support/pierone-user.js';
import { ROOT, runCli } from './support/run-cli.js';

/**
 * Docker's config.json as `pierone login` leaves it: concurrent logins keep each other's entries (the
 * file lock), and a file holding a token is never left readable by others.
 */
const PIERONE = `${ROOT}packages/pierone/dist/bin.js`;

let work: string;
let provider: OAuthProvider;
let registry: RunningRegistry;
let env: NodeJS.ProcessEnv;
/** Loopback ports forwarding to the one registry: distinct `host:port` keys in config.json. */
const aliases: { server: Server; url: string }[] = [];

async function alias(target: URL): Promise<{ server: Server; url: string }> {
  const server = createServer((socket) => {
    const upstream = connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pierone-config-e2e-'));
  provider = await startOAuthProvider({ accessTokenSeconds: 3600 });
  registry = await startRegistry({
    root: join(work, 'registry'),
    tokeninfoUrl: provider.tokeninfoUrl,
    clientTeams: { [CI_CLIENT.client_id]: 'myteam' },
  });
  env = {
    ...pieroneUserEnv(work),
    ZIGN_ISSUER: provider.issuer,
    ZIGN_CLIENT_ID: CI_CLIENT.client_id,
    ZIGN_CLIENT_SECRET: CI_CLIENT.client_secret,
    PIERONE_URL: registry.url,
    NODE_NO_WARNINGS: '1',
  };
  for (let i = 0; i < 10; i++) aliases.push(await alias(new URL(registry.url)));
  // one token in the store first, so that the parallel logins race on config.json, not on sign-in
  const first = await runCli(PIERONE, ['login'], env);
  expect(first.code, first.stderr).toBe(0);
});

afterAll(async () => {
  for (const a of aliases) a.server.close();
  await registry?.close();
  await provider?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('pierone doctor', () => {
  it('in text, one line per check, `ok` or `FIX` first, as zign doctor; -o json keeps the check codes', async () => {
    const docker = join(work, 'docker-doctor');
    mkdirSync(docker, { recursive: true });
    const text = await runCli(PIERONE, ['doctor'], { ...env, DOCKER_CONFIG: docker });
    expect(text.code).toBe(1);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`FIX  ${join(docker, 'config.json')} does not exist: run \`pierone login\``);
    expect(lines).toContain(`ok   ${registry.url} answers and takes the pierone token`);
    for (const line of lines) expect(line).toMatch(/^(ok {3}|warn |FIX {2})\S/);
    expect(text.stdout).not.toContain('pierone.doctor-');
    const json = await runCli(PIERONE, ['doctor', '-o', 'json'], { ...env, DOCKER_CONFIG: docker });
    expect(JSON.parse(json.stdout).map((f: { code: string }) => f.code)).toContain('pierone.doctor-registry');
  });
});

describe('pierone login and config.json', () => {
  it('6 rounds of 10 parallel logins to distinct registries keep every credHelpers entry', async () => {
    for (let round = 0; round < 6; round++) {
      const docker = join(work, `docker-round-${round}`);
      mkdirSync(docker, { recursive: true });
      writeFileSync(join(docker, 'config.json'), '{"credHelpers":{"gcr.io":"gcloud"}}\n', { mode: 0o600 });
      const runs = await Promise.all(
        aliases.map((a) => runCli(PIERONE, ['login', '--url', a.url], { ...env, DOCKER_CONFIG: docker })),
      );
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      const config = JSON.parse(readFileSync(join(docker, 'config.json'), 'utf8'));
      expect(Object.keys(config.credHelpers).sort(), `round ${round}`).toEqual(
        ['gcr.io', ...aliases.map((a) => a.url.replace('http://', ''))].sort(),
      );
    }
  }, 300_000);

  it('--store-token over a 0644 config.json leaves it 0600', async () => {
    const docker = join(work, 'docker-0644');
    mkdirSync(docker, { recursive: true });
    const path = join(docker, 'config.json');
    writeFileSync(path, '{"auths":{}}\n');
    chmodSync(path, 0o644);
    const r = await runCli(PIERONE, ['login', '--store-token'], { ...env, DOCKER_CONFIG: docker });
    expect(r.code, r.stderr).toBe(0);
    const host = registry.url.replace('http://', '');
    expect(JSON.parse(readFileSync(path, 'utf8')).auths[host].auth).toBeTruthy();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
