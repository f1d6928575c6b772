import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/run-cli.js';

/** stups-local on the CLI kit: help, usage errors, JSON lines, completion — the built CLI as users run it. */
const STUPS_LOCAL = `${ROOT}packages/local/dist/cli.js`;
const execFileP = promisify(execFile);
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'stups-local-cli-e2e-'));
  const bin = join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'stups-local'), `#!/bin/sh\nexec "${process.execPath}" "${STUPS_LOCAL}" "$@"\n`);
  chmodSync(join(bin, 'stups-local'), 0o755);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** A state directory where nothing runs (never created: no platform is started in this file). */
const nowhere = () => join(work, `state-${Math.random().toString(36).slice(2)}`);

describe('stups-local on the CLI kit', () => {
  it('--help and --version come from the kit; --debug and --log-format are accepted', async () => {
    const help = await runCli(STUPS_LOCAL, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: stups-local [options] [command]');
    for (const c of ['up', 'down', 'status', 'env', 'completion'])
      expect(help.stdout).toMatch(new RegExp(`\\n  ${c} `));
    const up = await runCli(STUPS_LOCAL, ['up', '--help']);
    expect(up.stdout).toContain('--state-dir <DIR>');
    expect(up.stdout).toContain('--port <PORT>');
    const version = await runCli(STUPS_LOCAL, ['--version']);
    expect(version.stdout).toMatch(/^stups-local \d+\.\d+\.\d+\n$/);
    const status = await runCli(STUPS_LOCAL, ['status', '--debug', '--log-format', 'text', '--state-dir', nowhere()]);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('stups-local is not running');
  });

  it('--state-dir works before the command name too, as before the kit', async () => {
    const dir = nowhere();
    for (const argv of [
      ['--state-dir', dir, 'status'],
      [`--state-dir=${dir}`, 'status'],
      ['status', '--state-dir', dir],
    ]) {
      const status = await runCli(STUPS_LOCAL, argv);
      expect(status.code, argv.join(' ')).toBe(1);
      expect(status.stdout).toContain(`stups-local is not running (state directory ${dir})`);
    }
  });

  it('usage errors are one line `Error: …` and a hint, exit 2', async () => {
    const bad = await runCli(STUPS_LOCAL, ['up', '--port', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      "Error: Option '--port <PORT>' argument 'many' is invalid. a port is a number from 1 to 65535\n" +
        "Hint: Run 'stups-local up --help' for usage.\n",
    );
    const unknown = await runCli(STUPS_LOCAL, ['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^Error: Unknown command 'frobnicate'\nHint: Run 'stups-local --help' for usage\.\n$/,
    );
  });

  it('--log-format json: progress and errors on stderr as JSON lines with registered codes; results stay text', async () => {
    const dir = nowhere();
    const down = await runCli(STUPS_LOCAL, ['down', '--state-dir', dir, '--log-format', 'json']);
    expect(down.code).toBe(0);
    expect(down.stdout).toBe('');
    expect(JSON.parse(down.stderr)).toEqual({
      level: 'info',
      code: 'local.down-not-running',
      text: `stups-local is not running (state directory ${dir}).`,
      data: { stateDir: dir },
    });
    const env = await runCli(STUPS_LOCAL, ['--log-format', 'json', 'env'], { STUPS_LOCAL_STATE_DIR: dir });
    expect(env.code).toBe(1);
    expect(env.stdout).toBe('');
    expect(JSON.parse(env.stderr)).toMatchObject({
      level: 'error',
      code: 'local.not-running',
      data: { hint: 'Start it with: eval "$(stups-local up)"', exitCode: 1 },
    });
    const status = await runCli(STUPS_LOCAL, ['status', '--log-format', 'json', '--state-dir', dir]);
    expect(status.stdout).toBe(`stups-local is not running (state directory ${dir})\n`);
    expect(status.stderr).toBe('');
  });

  it('eval "$(stups-local up --log-format json)" in a real bash: the exports on stdout, JSON lines on stderr', async () => {
    const dir = join(work, 'eval-state');
    const env = { PATH: `${join(work, 'bin')}:${process.env.PATH}`, HOME: work, NODE_NO_WARNINGS: '1' };
    const script = `eval "$(stups-local up --state-dir '${dir}' --log-format json 2>"${work}/up.err")" && echo "$AWS_ENDPOINT_URL $AWS_REGION"`;
    try {
      const { stdout } = await execFileP('bash', ['--norc', '--noprofile', '-c', script], { env });
      expect(stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+ eu-central-1\n$/);
      const lines = readFileSync(join(work, 'up.err'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      // A service that is off here (no Docker engine: the runtime) is one more line, saying how to turn it on.
      const off = lines.filter((l) => l.code === 'local.up-off');
      for (const l of off) expect(l.text).toContain('Turn it on');
      expect(lines.filter((l) => l.code !== 'local.up-off').map((l) => l.code)).toEqual([
        'local.up-starting',
        'local.up-started',
      ]);
      expect(lines[1].data.endpoints.aws).toBe(stdout.split(' ')[0]);
    } finally {
      const down = await runCli(STUPS_LOCAL, ['down', '--state-dir', dir]);
      expect(down.code, down.stderr).toBe(0);
      expect(down.stderr).toContain('stups-local stopped.');
    }
  });

  it('hints name the --state-dir given; up --runtime none names no runtime; options a running platform cannot take are named', async () => {
    const absent = nowhere();
    const env = await runCli(STUPS_LOCAL, ['env', '--state-dir', absent]);
    expect(env.code).toBe(1);
    expect(env.stderr).toContain(`Hint: Start it with: eval "$(stups-local up --state-dir ${absent})"`);
    const dir = join(work, 'options-state');
    try {
      const up = await runCli(STUPS_LOCAL, ['up', '--state-dir', dir, '--runtime', 'none']);
      expect(up.code, up.stderr).toBe(0);
      expect(up.stderr).toMatch(/^Starting stups-local \(state in .*\): aws, oauth, pierone, even\.\.\n/);
      expect(up.stderr).toMatch(
        /\nstups-local is up, region eu-central-1:\n {2}AWS at http:\/\/127\.0\.0\.1:\d+ \(moto at .*\)\n {2}OAuth at /,
      );
      expect(up.stderr).not.toContain('the runtime (stack versions as containers)');
      expect(up.stderr).toContain(
        `runtime off: you asked for --runtime none. Turn it on: stups-local down --state-dir ${dir}; stups-local up --state-dir ${dir} --runtime user`,
      );
      const again = await runCli(STUPS_LOCAL, ['up', '--state-dir', dir, '--runtime', 'private', '--port', '1']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain(
        `Warning: --port 1 and --runtime private not applied: they take effect when the platform starts (stups-local down --state-dir ${dir}, then up with them).`,
      );
      const same = await runCli(STUPS_LOCAL, ['up', '--state-dir', dir, '--runtime', 'none']);
      expect(same.stderr).not.toContain('not applied');
    } finally {
      const down = await runCli(STUPS_LOCAL, ['down', '--state-dir', dir]);
      expect(down.code, down.stderr).toBe(0);
    }
  });

  it('completion in a real bash: commands, flags', async () => {
    const complete = async (words: string[]) => {
      const script = [
        'eval "$(stups-local completion bash)"',
        `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
        `COMP_CWORD=${words.length - 1}`,
        '_stups_local_complete',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's array expansion, not a template
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n');
      const env = { PATH: `${join(work, 'bin')}:${process.env.PATH}`, HOME: work, NODE_NO_WARNINGS: '1' };
      const { stdout } = await execFileP('bash', ['--norc', '--noprofile', '-c', script], { env });
      return stdout.split('\n').filter(Boolean);
    };
    expect(await complete(['stups-local', 'u'])).toEqual(['up']);
    expect((await complete(['stups-local', ''])).sort()).toEqual(['completion', 'down', 'env', 'status', 'up']);
    expect(await complete(['stups-local', 'up', '--p'])).toEqual(['--port']);
    expect(await complete(['stups-local', 'status', '--st'])).toEqual(['--state-dir']);
  });
});
