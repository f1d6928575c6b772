import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runProgram, SENZA } from './support/run-cli.js';

/**
 * The README's commands on a machine without the optional packages: a PATH that has node, Python with
 * moto, and nothing else (no OpenSSH client, no Docker, no socat, no zsh, no apt-get). `stups-local up`,
 * `status`, `down` and the demo succeed and say what is off and how to turn it on; the prerequisites
 * step of the test command stops at once with the command to run; no CLI prints a Node-version warning.
 */
const STUPS_LOCAL = join(ROOT, 'packages/local/dist/cli.js');
const PIU = join(ROOT, 'packages/piu/dist/bin.js');
const PREREQUISITES = join(ROOT, 'scripts/prerequisites.mjs');

let work: string;
let env: NodeJS.ProcessEnv;

/** Python's own bin directory (not pyenv's shims, which need a shell): python3, moto_server, cfn-lint. */
function pythonBin(): string {
  return dirname(execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim());
}

function run(cmd: string, args: string[], extra: NodeJS.ProcessEnv = {}) {
  return runProgram(cmd, args, { cwd: ROOT, env: { ...env, ...extra } });
}

function exportsOf(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1] as string, m[2] as string]));
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'fresh-machine-'));
  const bin = join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  // openssl is part of Debian's base system (and required: the local Pier One's certificate).
  symlinkSync(execFileSync('sh', ['-c', 'command -v openssl'], { encoding: 'utf8' }).trim(), join(bin, 'openssl'));
  const python = pythonBin();
  // The simulation holds only if Python's directory brings none of the optional programs along.
  for (const name of ['ssh-keygen', 'ssh', 'docker', 'dockerd', 'socat', 'zsh', 'apt-get'])
    expect(existsSync(join(python, name)), `${python}/${name}`).toBe(false);
  env = { PATH: `${bin}:${python}`, HOME: join(work, 'home'), XDG_RUNTIME_DIR: join(work, 'run') };
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a machine without the optional packages', () => {
  it("the test command's prerequisites step stops within seconds, naming the packages and the command", async () => {
    const started = Date.now();
    const r = await run(process.execPath, [PREREQUISITES, 'test']);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.code, r.stderr).toBe(1);
    const command = /Install them as root with: (apt-get install -y [a-z0-9 .-]+)$/m.exec(r.stderr)?.[1];
    expect(command, r.stderr).toBeDefined();
    for (const pkg of ['docker.io', 'socat', 'openssh-client', 'zsh', 'chromium', 'skopeo', 'umoci'])
      expect(command?.split(' ')).toContain(pkg);
  });

  it("the demo's prerequisites step lets it run the AWS side and names the command for the rest", async () => {
    const r = await run(process.execPath, [PREREQUISITES, 'demo']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /the demo runs the AWS side only: .*For the whole demo, as root: apt-get install -y docker\.io/,
    );
  });

  it('stups-local up, status and down exit 0 and say what is off, why, and how to turn it on; piu says even is off', async () => {
    const state = join(work, 'state');
    const up = await run(process.execPath, [STUPS_LOCAL, 'up', '--state-dir', state]);
    try {
      expect(up.code, up.stderr).toBe(0);
      expect(up.stderr).toContain(
        `\neven off: OpenSSH is not installed (no ssh-keygen). Turn it on: apt-get install openssh-server openssh-client, then stups-local down --state-dir ${state}; stups-local up --state-dir ${state}\n`,
      );
      expect(up.stderr).toMatch(/^runtime off: no Docker engine at .+\. Turn it on: .+$/m);
      expect(up.stderr).not.toMatch(/warning/i);
      const exported = exportsOf(up.stdout);
      expect(exported.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(exported.STUPS_LOCAL_EVEN).toBe('off');
      expect(exported.EVEN_URL).toBeUndefined();

      const status = await run(process.execPath, [STUPS_LOCAL, 'status', '--state-dir', state]);
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toMatch(
        /^even\s+off: OpenSSH is not installed \(no ssh-keygen\)\. Turn it on: apt-get install openssh-server/m,
      );
      expect(status.stdout).toMatch(/^runtime\s+off: no Docker engine at .+\. Turn it on: .+$/m);

      const piu = await run(
        process.execPath,
        [PIU, 'request-access', 'app-1.myteam.example.org', 'checking'],
        exported,
      );
      expect(piu.code, piu.stderr).toBe(1);
      expect(piu.stderr).toContain('The local platform (stups-local) runs without even');
      expect(piu.stderr).toContain('apt-get install openssh-server openssh-client');

      // On Node 20 the AWS SDK would warn that its future releases need Node 22: not on a supported Node.
      const list = await run(process.execPath, [SENZA, 'list'], exported);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stderr).not.toContain('NodeVersionSupportWarning');
    } finally {
      const down = await run(process.execPath, [STUPS_LOCAL, 'down', '--state-dir', state]);
      expect(down.code, down.stderr).toBe(0);
      expect(down.stderr).toContain('stups-local stopped.');
    }
  });

  it('the demo exits 0 after the AWS side, saying what is off and how to get the rest', async () => {
    const r = await run(process.execPath, [join(ROOT, 'scripts/demo.mjs')]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toMatch(/^even off: OpenSSH is not installed/m);
    expect(r.stdout).toContain('This was the AWS side only');
    expect(r.stdout).toContain('apt-get install docker.io busybox-static socat');
    expect(r.stdout).toMatch(/^Demo done in [\d.]+ s\.$/m);
  }, 240_000);
});

/**
 * An apt-get stand-in (the real one would change this machine): it logs its arguments and environment,
 * and `install` puts stub programs for the packages into its own directory, as the packages would.
 */
function fakeAptGet(dir: string, { fail = false } = {}): string {
  mkdirSync(dir, { recursive: true });
  const log = join(dir, 'apt.log');
  const provides = {
    'docker.io': ['docker', 'dockerd'],
    'util-linux': ['nsenter'],
    'openssh-client': ['ssh', 'ssh-keygen'],
    'openssh-server': ['sshd'],
  };
  writeFileSync(
    join(dir, 'apt-get'),
    `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, frontend: process.env.DEBIAN_FRONTEND }) + '\\n');
if (${fail} && args.includes('install')) { console.log('E: Unable to locate package umoci'); process.exit(100); }
console.log('apt-get chatter that nobody needs to see');
const provides = ${JSON.stringify(provides)};
if (args.includes('install'))
  for (const pkg of args.filter((a) => !a.startsWith('-') && a !== 'install'))
    for (const cmd of provides[pkg] ?? [pkg]) {
      fs.writeFileSync(${JSON.stringify(dir)} + '/' + cmd, '#!/bin/sh\\n');
      fs.chmodSync(${JSON.stringify(dir)} + '/' + cmd, 0o755);
    }
`,
  );
  chmodSync(join(dir, 'apt-get'), 0o755);
  return log;
}

describe('the prerequisites step as root with apt-get', () => {
  const missing = 'docker.io socat util-linux openssh-client zsh chromium skopeo umoci';

  it('installs what the tests need: one line naming the packages and why, then update and install, quietly', async () => {
    const apt = join(work, 'apt-ok');
    const log = fakeAptGet(apt);
    const r = await run(process.execPath, [PREREQUISITES, 'test'], { PATH: `${env.PATH}:${apt}` });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^prerequisites: installing ${missing} with apt-get \\(docker\\.io: .+\\)\\.\\.$`),
    );
    expect(r.stdout).toBe('');
    const calls = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(calls).toEqual([
      { args: ['-qq', 'update'], frontend: 'noninteractive' },
      { args: ['install', '-y', '-qq', ...missing.split(' ')], frontend: 'noninteractive' },
    ]);
  });

  it("stops with apt-get's output and the command to run when the install fails", async () => {
    const apt = join(work, 'apt-fail');
    fakeAptGet(apt, { fail: true });
    const r = await run(process.execPath, [PREREQUISITES, 'test'], { PATH: `${env.PATH}:${apt}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E: Unable to locate package umoci');
    expect(r.stderr).toContain(`Run: apt-get update && apt-get install -y ${missing}`);
  });
});
