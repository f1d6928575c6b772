import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CI_CLIENT } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pieroneUserEnv } from './support/pierone-user.js';
import { ROOT, runCli, runProgram } from './support/run-cli.js';

// The local recipe of docs/pierone.md through the built `stups-local` (its daemon runs the OAuth
// service and the registry): up → pierone login → skopeo push → down → up → the tag is still there.
const STUPS_LOCAL = `${ROOT}packages/local/dist/cli.js`;
const PIERONE = `${ROOT}packages/pierone/dist/bin.js`;

let work: string;
let stateDir: string;
let base: NodeJS.ProcessEnv;

function exports(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => /^export ([A-Z0-9_]+)=(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}

const exec = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => runProgram(cmd, args, { env });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pierone-platform-'));
  stateDir = join(work, 'state');
  base = {
    ...pieroneUserEnv(work),
    NODE_NO_WARNINGS: '1',
  };
});

afterAll(async () => {
  await runCli(STUPS_LOCAL, ['down', '--state-dir', stateDir]);
  rmSync(work, { recursive: true, force: true });
});

describe('Pier One on the local platform', () => {
  it('exports PIERONE_URL; login, push, and the tags survive a restart of the platform', async () => {
    const up = await runCli(STUPS_LOCAL, ['up', '--state-dir', stateDir], base);
    expect(up.code, up.stderr).toBe(0);
    const first = exports(up.stdout);
    expect(first.PIERONE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const env = {
      ...base,
      ...first,
      ZIGN_CLIENT_ID: CI_CLIENT.client_id,
      ZIGN_CLIENT_SECRET: CI_CLIENT.client_secret,
    };
    const login = await runCli(PIERONE, ['login'], env);
    expect(login.code, login.stderr).toBe(0);

    writeFileSync(join(work, 'hello'), 'hello\n');
    const oci = join(work, 'oci');
    // Pier One refuses images without layers, so the image gets one file.
    for (const args of [
      ['init', '--layout', oci],
      ['new', '--image', `${oci}:img`],
      ['insert', '--image', `${oci}:img`, join(work, 'hello'), '/hello'],
    ])
      expect((await exec('umoci', args, env)).code).toBe(0);
    const host = first.PIERONE_URL.replace('http://', '');
    const pushed = await exec(
      'skopeo',
      ['copy', '--dest-tls-verify=false', `oci:${join(work, 'oci')}:img`, `docker://${host}/myteam/kept:1.0`],
      env,
    );
    expect(pushed.code, pushed.stderr).toBe(0);

    expect((await runCli(STUPS_LOCAL, ['down', '--state-dir', stateDir], base)).code).toBe(0);
    const again = await runCli(STUPS_LOCAL, ['up', '--state-dir', stateDir], base);
    expect(again.code, again.stderr).toBe(0);
    const second = exports(again.stdout);
    // The first provider's tokens died with it: an empty token store makes pierone get a new one.
    const env2 = { ...env, ...second, XDG_CONFIG_HOME: join(work, 'config2') };
    const tags = await runCli(PIERONE, ['tags', 'myteam', 'kept', '-o', 'json'], env2);
    expect(tags.code, tags.stderr).toBe(0);
    expect(JSON.parse(tags.stdout).map((t: { tag: string }) => t.tag)).toEqual(['1.0']);
  }, 180_000);
});
