import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CI_CLIENT } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pieroneUserEnv } from './support/pierone-user.js';
import { ROOT, runCli, runProgram } from './support/run-cli.js';

// pierone's dynamic completion against the local platform: `stups-local up`, a CI user logged in with
// `pierone login`, images pushed with skopeo; then bash completes teams, artifacts and tags from Pier One.
const STUPS_LOCAL = `${ROOT}packages/local/dist/cli.js`;
const PIERONE = `${ROOT}packages/pierone/dist/bin.js`;

const execFileP = promisify(execFile);
let work: string;
let stateDir: string;
/** The logged-in user: the platform's exports, the CI client, `pierone` and the helper on PATH. */
let env: NodeJS.ProcessEnv;
/** What `stups-local up` exported. */
let platform: Record<string, string>;

/**
 * The user's environment without any way to get a token that needs no person: no client secret, no
 * stups-tokens credentials; the platform's public client for people, as a person's shell has it.
 */
function withoutServiceCredentials(from: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { ZIGN_CLIENT_SECRET: _s, OAUTH2_ACCESS_TOKEN_URL: _u, CREDENTIALS_DIR: _d, ...rest } = from;
  return { ...rest, ZIGN_CLIENT_ID: platform.ZIGN_CLIENT_ID };
}

function exports(stdout: string): Record<string, string> {
  return Object.fromEntries(
    [...stdout.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1] as string, m[2] as string]),
  );
}

const exec = (cmd: string, args: string[]) => runProgram(cmd, args, { env });

/** An OCI image built offline with one file (Pier One refuses images without layers), pushed by skopeo. */
async function pushImage(ref: string): Promise<void> {
  const layout = join(work, `oci-${ref.replaceAll(/[/:]/g, '_')}`);
  const file = join(work, 'hello');
  writeFileSync(file, `${ref}\n`);
  for (const args of [
    ['init', '--layout', layout],
    ['new', '--image', `${layout}:img`],
    ['insert', '--image', `${layout}:img`, file, '/hello'],
  ]) {
    const r = await exec('umoci', args);
    expect(r.code, r.stderr).toBe(0);
  }
  const host = (env.PIERONE_URL as string).replace('http://', '');
  const pushed = await exec('skopeo', [
    'copy',
    '--dest-tls-verify=false',
    `oci:${layout}:img`,
    `docker://${host}/${ref}`,
  ]);
  expect(pushed.code, pushed.stderr).toBe(0);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pierone-completion-e2e-'));
  stateDir = join(work, 'state');
  const user = pieroneUserEnv(work);
  // `pierone` on PATH as a user has it, for the shell's completion function.
  const wrapper = join(work, 'bin', 'pierone');
  writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${PIERONE}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  const base = { ...user, NODE_NO_WARNINGS: '1' };
  const up = await runCli(STUPS_LOCAL, ['up', '--state-dir', stateDir], base);
  expect(up.code, up.stderr).toBe(0);
  platform = exports(up.stdout);
  env = {
    ...base,
    ...platform,
    ZIGN_CLIENT_ID: CI_CLIENT.client_id,
    ZIGN_CLIENT_SECRET: CI_CLIENT.client_secret,
    XDG_CACHE_HOME: join(work, 'cache'),
  };
  expect(env.PIERONE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const login = await runCli(PIERONE, ['login'], env);
  expect(login.code, login.stderr).toBe(0);
  for (const ref of ['myteam/hello:1.0', 'myteam/hello:1.1', 'myteam/world:2.0']) await pushImage(ref);
}, 180_000);

afterAll(async () => {
  if (stateDir) await runCli(STUPS_LOCAL, ['down', '--state-dir', stateDir]);
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs bash's completion function for a command line, as pressing TAB after its last word does. */
async function bashComplete(words: string[], environment: NodeJS.ProcessEnv = env): Promise<string[]> {
  const script = [
    'eval "$(pierone completion bash)"',
    'complete -p pierone',
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_pierone_complete',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's array expansion, not a template
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const { stdout } = await execFileP('bash', ['--norc', '--noprofile', '-c', script], { env: environment });
  const [registration, ...suggestions] = stdout.split('\n').filter(Boolean);
  expect(registration).toBe('complete -o default -F _pierone_complete pierone');
  return suggestions;
}

/**
 * The first TAB of a kind may spend its budget starting up and getting a token: it answers without
 * suggestions and a background run fills the cache. Waits for that cache, then completes again.
 */
async function completeWarm(words: string[], cacheKey: string, environment: NodeJS.ProcessEnv = env) {
  await bashComplete(words, environment);
  const cache = join(environment.XDG_CACHE_HOME as string, 'pierone', `completion-${cacheKey}.json`);
  await expect.poll(() => existsSync(cache), { timeout: 30_000, interval: 100 }).toBe(true);
  return bashComplete(words, environment);
}

describe('pierone completion in a real bash, against the local Pier One', () => {
  it('completes commands and flags without Pier One', async () => {
    expect(await bashComplete(['pierone', 'ta'])).toEqual(['tags']);
    expect(await bashComplete(['pierone', 'tags', '-o', 'j'])).toEqual(['json']);
  });

  it('offers the teams, a team’s artifacts and an artifact’s tags that were pushed', async () => {
    expect(await completeWarm(['pierone', 'artifacts', ''], 'teams')).toEqual(['myteam']);
    expect(await bashComplete(['pierone', 'tags', 'my'])).toEqual(['myteam']);
    expect(await completeWarm(['pierone', 'tags', 'myteam', ''], 'artifacts-myteam')).toEqual(['hello', 'world']);
    expect(await bashComplete(['pierone', 'latest', 'myteam', 'w'])).toEqual(['world']);
    expect(await completeWarm(['pierone', 'scm-source', 'myteam', 'hello', ''], 'tags-myteam+hello')).toEqual([
      '1.0',
      '1.1',
    ]);
  }, 120_000);

  it('the token and URL that `pierone login` stored are enough: no credentials, no PIERONE_URL', async () => {
    // Logged in through the client-credentials grant, whose token is stored (stups-tokens' is not).
    const { OAUTH2_ACCESS_TOKEN_URL: _u, CREDENTIALS_DIR: _d, ...client } = env;
    const config = { XDG_CONFIG_HOME: join(work, 'config-person') };
    const login = await runCli(PIERONE, ['login'], { ...client, ...config });
    expect(login.code, login.stderr).toBe(0);
    const { PIERONE_URL: _url, ...person } = withoutServiceCredentials(env);
    const later = { ...person, ...config, XDG_CACHE_HOME: join(work, 'cache-stored-token') };
    const found = await completeWarm(['pierone', 'tags', 'myteam', 'he'], 'artifacts-myteam', later);
    expect(found).toEqual(['hello']);
  }, 60_000);

  it('without a token it offers nothing and prints nothing, at once', async () => {
    // A person who never logged in: no stored token, no service credentials; the URL from PIERONE_URL.
    const stranger = {
      ...withoutServiceCredentials(env),
      XDG_CONFIG_HOME: join(work, 'config-stranger'),
      XDG_CACHE_HOME: join(work, 'cache-x'),
    };
    expect(await bashComplete(['pierone', 'tags', ''], stranger)).toEqual([]);
    const started = Date.now();
    const direct = await runCli(PIERONE, ['__complete', '3', 'pierone', 'tags', 'myteam', ''], stranger);
    const elapsed = Date.now() - started;
    expect(direct).toEqual({ code: 0, stdout: '', stderr: '' });
    // Node's start-up plus the 300 ms budget at most; a prompt or a sign-in would hang here.
    expect(elapsed).toBeLessThan(5_000);
    expect(existsSync(join(stranger.XDG_CACHE_HOME, 'pierone', 'completion-artifacts-myteam.json'))).toBe(false);
  });

  it('reads the configured URL only: a --url typed on the line is not used', async () => {
    const { PIERONE_URL, ...rest } = env;
    // No PIERONE_URL and no pierone.yaml: the URL on the line is not what completion asks.
    const unconfigured = { ...rest, XDG_CONFIG_HOME: join(work, 'config-none'), XDG_CACHE_HOME: join(work, 'cache-u') };
    const line = ['pierone', 'tags', '--url', PIERONE_URL as string, ''];
    expect(await bashComplete(line, unconfigured)).toEqual([]);
    // Had it asked that URL, a late answer would fill the cache with the teams in the background.
    const cache = join(unconfigured.XDG_CACHE_HOME, 'pierone', 'completion-teams.json');
    await expect.poll(() => existsSync(cache), { timeout: 30_000, interval: 100 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(JSON.parse(readFileSync(cache, 'utf8')).value).toEqual([]);
    expect(await bashComplete(line, unconfigured)).toEqual([]);
  });

  it('when Pier One does not answer, completion still answers at once, with nothing', async () => {
    const held = new Set<Socket>();
    const silent: Server = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    try {
      const slow = { ...env, PIERONE_URL: `http://127.0.0.1:${port}`, XDG_CACHE_HOME: join(work, 'cache-slow') };
      const started = Date.now();
      expect(await bashComplete(['pierone', 'artifacts', ''], slow)).toEqual([]);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await bashComplete(['pierone', 'tags', '--l'], slow)).toEqual(['--limit', '--log-format']);
    } finally {
      // The background refresh is still waiting on its connection: end it, and so the refresh.
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });
});
