import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InterruptedError, NotFoundError } from '@stups/core';
import { afterAll, describe, expect, it } from 'vitest';
import { arg } from './arg-spec.js';
import { runCli, type ToolSpec } from './cli-runner.js';
import { commandShape, defineCommand, type RunOf } from './define-command.js';
import { choice, flag, int, list, text } from './option-spec.js';

const shape = commandShape({
  args: [arg('<NAME>', 'a name'), arg('[VERSION]', 'a version'), arg('[REST...]', 'more')],
  options: {
    dryRun: flag('--dry-run', 'change nothing'),
    changeSet: flag('--no-change-set', 'no change set'),
    timeout: int('-t, --timeout <SECS>', 'seconds', { min: 0, max: 60 }, { default: 30 }),
    limit: int('-l, --limit <N>', 'lines', { min: 1, max: 9 }),
    output: choice('-o, --output <FORMAT>', 'format', ['text', 'json'], 'text'),
    tag: list('--tag <KEY=VALUE>', 'tags'),
    region: text('--region <R>', 'region', { env: 'TEST_REGION' }),
  },
});

let seen: unknown;
const run: RunOf<typeof shape> = async (args, options, cli) => {
  const [name, version, rest] = args;
  // The declaration's types arrive without casts:
  const n: string = name;
  const v: string | undefined = version;
  const r: string[] = rest;
  const t: number = options.timeout;
  const l: number | undefined = options.limit;
  const o: 'text' | 'json' = options.output;
  const d: boolean = options.dryRun;
  // @ts-expect-error an optional argument may be absent
  const wrong: string = version;
  seen = { n, v, r, t, l, o, d, wrong, changeSet: options.changeSet, tag: options.tag, region: options.region };
  if (name === 'missing') throw new NotFoundError('Stack missing not found', { hint: 'Check the name.' });
  if (name === 'interrupt') throw new InterruptedError('Stopped watching.', { hint: 'To resume: tool show x' });
  if (name === 'bug') throw new TypeError('undefined is not a function');
  cli.host.print(`shown ${name}\n`);
  return 0;
};

const tool: ToolSpec = {
  name: 'tool',
  description: 'A test tool.',
  versionText: 'Tool 1.0',
  commands: [defineCommand({ name: 'show', summary: 'Show a thing', ...shape, load: async () => ({ run }) })],
};

async function runTool(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(tool, argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: {},
    env,
  });
  return { code, stdout, stderr };
}

describe('runCli', () => {
  it('gives the command typed arguments and options, defaults and environment included', async () => {
    const r = await runTool(['sh', 'app', '2', 'a', 'b', '-t', '5', '--tag', 'x=1', '--tag', 'y=2', '--dry-run'], {
      TEST_REGION: 'eu-west-1',
    });
    expect(r).toEqual({ code: 0, stdout: 'shown app\n', stderr: '' });
    expect(seen).toEqual({
      n: 'app',
      v: '2',
      r: ['a', 'b'],
      t: 5,
      l: undefined,
      o: 'text',
      d: true,
      wrong: '2',
      changeSet: true,
      tag: ['x=1', 'y=2'],
      region: 'eu-west-1',
    });
    await runTool(['show', 'app', '--no-change-set']);
    expect(seen).toMatchObject({ v: undefined, r: [], t: 30, d: false, changeSet: false, tag: [] });
  });

  it("commander's usage errors are `Error: …` with a hint to the command's help, exit 2", async () => {
    const range = await runTool(['show', 'app', '-t', '99']);
    expect(range.code).toBe(2);
    expect(range.stderr).toBe(
      "Error: Option '-t, --timeout <SECS>' argument '99' is invalid. 99 is not in the range 0<=x<=60.\nHint: Run 'tool show --help' for usage.\n",
    );
    const unknown = await runTool(['nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Error: Unknown command 'nope'\nHint: Run 'tool --help' for usage.\n$/);
    const missing = await runTool(['show']);
    expect(missing.stderr).toContain("Error: Missing required argument 'NAME'");
    const choice = await runTool(['show', 'x', '-o', 'xml']);
    expect(choice.code).toBe(2);
  });

  it('typed errors: one line and the hint; Ctrl-C: the resume hint, exit 130; bugs: stack only with --debug', async () => {
    expect(await runTool(['show', 'missing'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: Stack missing not found\nHint: Check the name.\n',
    });
    expect(await runTool(['show', 'interrupt'])).toEqual({
      code: 130,
      stdout: '',
      stderr: '\nStopped watching.\nHint: To resume: tool show x\n',
    });
    const bug = await runTool(['show', 'bug']);
    expect(bug.code).toBe(1);
    expect(bug.stderr).toContain('Error: Unknown error: undefined is not a function\n');
    expect(bug.stderr).toContain('Run with --debug to see the stack trace.');
    expect(bug.stderr).not.toContain('    at ');
    const debug = await runTool(['--debug', 'show', 'bug']);
    expect(debug.stderr).toContain('    at ');
  });

  it('asks whether stdin is a terminal only when a command wants to know (building process.stdin costs)', async () => {
    let asked = 0;
    let answer: boolean | undefined;
    const probe: ToolSpec = {
      ...tool,
      commands: [
        defineCommand({
          name: 'quiet',
          summary: 'Asks nothing',
          args: [],
          options: {},
          load: async () => ({ run: async () => 0 }),
        }),
        defineCommand({
          name: 'ask',
          summary: 'Wants to prompt',
          args: [],
          options: {},
          load: async () => ({
            run: async (_args: [], _options: object, cli: { interactive: boolean }) => {
              answer = cli.interactive && cli.interactive; // looked at twice
              return 0;
            },
          }),
        }),
      ],
    };
    const stdin = {
      get isTTY() {
        asked++;
        return true;
      },
    };
    const io = (stderrTty: boolean) => ({
      stdout: { write: () => true },
      stderr: { write: () => true, isTTY: stderrTty },
      stdin,
      env: {},
    });
    expect(await runCli(probe, ['quiet'], io(true))).toBe(0);
    expect(asked).toBe(0);
    expect(await runCli(probe, ['ask'], io(true))).toBe(0);
    expect([answer, asked]).toEqual([true, 1]); // asked once, however often the command looks
    expect(await runCli(probe, ['ask'], io(false))).toBe(0);
    expect([answer, asked]).toEqual([false, 1]); // stderr is no terminal: no prompt, stdin not asked
  });

  it('help and version exit 0 on stdout', async () => {
    const help = await runTool(['show', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('-t, --timeout <SECS>');
    expect(help.stdout).toContain('(default: 30)');
    expect((await runTool(['--version'])).stdout).toBe('Tool 1.0\n');
  });
});

describe('a closed stdout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-kit-epipe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('`tool print | head -c 10` ends quietly with exit 0, no stack trace', async () => {
    const kit = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href;
    const script = join(dir, 'spam.mjs');
    writeFileSync(
      script,
      `import { runCli, defineCommand } from ${JSON.stringify(kit)};
const run = async (_a, _o, cli) => { for (let i = 0; i < 2000; i++) { cli.host.print('x'.repeat(1000) + '\\n'); await new Promise((r) => setImmediate(r)); } return 0; };
process.exitCode = await runCli({ name: 'spam', description: '', versionText: '1', commands: [defineCommand({ name: 'print', summary: '', args: [], options: {}, load: async () => ({ run }) })] }, ['print']);
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // Like `head -c 10`: read a little, then close the pipe.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('Ctrl-C during a command that ends quietly (a -W watch)', () => {
  const watchShape = commandShape({ args: [], options: {} });
  const watch: RunOf<typeof watchShape> = async (_args, _options, cli) => {
    const signal = cli.signal;
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    return 130;
  };
  const watcher: ToolSpec = {
    name: 'tool',
    description: 'A test tool.',
    versionText: 'tool 1.0',
    commands: [defineCommand({ name: 'watch', summary: 'Watch', ...watchShape, load: async () => ({ run: watch }) })],
  };

  async function interrupted(isTTY: boolean) {
    let stderr = '';
    setTimeout(() => process.emit('SIGINT'), 50);
    const code = await runCli(watcher, ['watch'], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s), isTTY },
      stdin: {},
      env: {},
    });
    return { code, stderr };
  }

  it('ends the line the terminal echoed ^C on, so the prompt starts on a line of its own; exit 130', async () => {
    expect(await interrupted(true)).toEqual({ code: 130, stderr: '\n' });
  });

  it('off a terminal nothing is added', async () => {
    expect(await interrupted(false)).toEqual({ code: 130, stderr: '' });
  });
});
