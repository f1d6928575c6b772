import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, SENZA } from './support/run-cli.js';

/** Every CLI's help, version line and completion description, from the built CLIs as users run them. */
const TOOLS = [
  { tool: 'senza', bin: SENZA, debug: 'show stack traces on errors, the account facts and the AWS calls made' },
  { tool: 'pierone', bin: `${ROOT}packages/pierone/dist/bin.js`, debug: 'show stack traces on errors' },
  { tool: 'zign', bin: `${ROOT}packages/zign/dist/zign.js`, debug: 'show stack traces on errors' },
  {
    tool: 'piu',
    bin: `${ROOT}packages/piu/dist/bin.js`,
    debug: 'show stack traces on errors and why looking up the odd host failed',
  },
  { tool: 'stups-local', bin: `${ROOT}packages/local/dist/cli.js`, debug: 'show stack traces on errors' },
];
const execFileP = promisify(execFile);

/** The commands a `--help` lists (`help` itself aside). */
function commandsOf(help: string): string[] {
  const list = help.slice(help.indexOf('\nCommands:\n'));
  return [...list.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1] as string).filter((c) => c !== 'help');
}

/** The descriptions of a help's `Commands:` list laid out wide enough to keep each on its term's line. */
function commandDescriptions(help: string): string[] {
  const list = help.slice(help.indexOf('\nCommands:\n') + 11);
  return [...list.matchAll(/^ {2}\S.*? {2,}(\S.*)$/gm)].map((m) => m[1] as string);
}

const widest = (text: string) =>
  Math.max(
    ...text
      .replace(/\r/g, '')
      .split('\n')
      .map((l) => l.length),
  );

describe.each(TOOLS)('$tool --help', ({ tool, bin }) => {
  it('fits 80 columns off a terminal, for the tool and each command, and COLUMNS widens it', async () => {
    const top = await runCli(bin, ['--help']);
    expect(top.code).toBe(0);
    const commands = commandsOf(top.stdout);
    expect(commands.length).toBeGreaterThan(2);
    const helps = [top.stdout];
    for (const c of commands) {
      const sub = await runCli(bin, [c, '--help']);
      expect(sub.code, `${tool} ${c} --help`).toBe(0);
      helps.push(sub.stdout);
    }
    for (const help of helps) expect(widest(help), help).toBeLessThanOrEqual(80);
    // A repeatable option that is empty unless given shows no `(default: [])`.
    for (const help of helps) expect(help).not.toContain('(default: [])');
    // Descriptions wrap at spaces: `completion script` is whole on one of the lines.
    expect(top.stdout).toMatch(/completion\s+script/);
    const wide = await runCli(bin, ['--help'], { COLUMNS: '120' });
    expect(widest(wide.stdout)).toBeGreaterThan(80);
    expect(widest(wide.stdout)).toBeLessThanOrEqual(120);
  });

  it('has one casing (lower-case descriptions) and names itself in `completion`', async () => {
    const { stdout } = await runCli(bin, ['--help'], { COLUMNS: '300' });
    const descriptions = commandDescriptions(stdout);
    expect(descriptions.length).toBe(commandsOf(stdout).length + 1);
    for (const d of descriptions) expect(d, d).toMatch(/^([a-z]|[A-Z0-9]{2,}\b)/);
    expect(stdout).not.toContain('TOOL');
    expect(stdout).toContain(`eval "$(${tool} completion bash)"`);
  });

  it('prints its version as `<command> x.y.z`', async () => {
    const { stdout } = await runCli(bin, ['--version']);
    expect(stdout).toMatch(new RegExp(`^${tool} \\d+\\.\\d+\\.\\d+\\n$`));
  });
});

describe('piu request-access --help', () => {
  it('names the host argument as its usage line and the command list do', async () => {
    const piu = `${ROOT}packages/piu/dist/bin.js`;
    const sub = await runCli(piu, ['request-access', '--help']);
    expect(sub.stdout).toContain('Usage: piu request-access [options] [USER@]HOST REASON...');
    expect(sub.stdout).toMatch(/^ {2}HOST {2,}host to reach, as HOST or USER@HOST/m);
    expect((await runCli(piu, ['--help'])).stdout).toContain('request-access [options] [HOST] [REASON...]');
    for (const help of [sub.stdout]) expect(help).not.toContain('USER_HOST');
  });
});

describe('help on a terminal', () => {
  it.each([
    ['senza', SENZA],
    ['zign', `${ROOT}packages/zign/dist/zign.js`],
  ])('%s --help fits the terminal width, not 80', async (_tool, bin) => {
    // `script` gives the CLI a pseudo-terminal 100 columns wide.
    const { stdout } = await execFileP(
      'script',
      ['-qec', `stty cols 100; "${process.execPath}" "${bin}" --help`, '/dev/null'],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1' },
      },
    );
    expect(widest(stdout)).toBeGreaterThan(80);
    expect(widest(stdout)).toBeLessThanOrEqual(100);
  });
});

describe('outside the repository (README: Using the CLIs outside the repository)', () => {
  it('every command runs from another directory with node_modules/.bin on PATH', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'cli-elsewhere-'));
    try {
      const { stdout } = await execFileP(
        'sh',
        [
          '-c',
          'for c in senza zign ztoken pierone piu stups-local; do "$c" --version; done; docker-credential-pierone version </dev/null',
        ],
        { cwd: elsewhere, env: { PATH: `${ROOT}node_modules/.bin:${process.env.PATH}`, HOME: elsewhere } },
      );
      expect(stdout.split('\n').filter(Boolean)).toEqual(
        ['senza', 'zign', 'ztoken', 'pierone', 'piu', 'stups-local', 'docker-credential-pierone'].map((c) =>
          expect.stringMatching(new RegExp(`^${c} \\d+\\.\\d+\\.\\d+$`)),
        ),
      );
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('zsh completion', () => {
  it('loads in a zsh without compinit (no `command not found: compdef`)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cli-zsh-'));
    try {
      const { stdout, stderr } = await execFileP(
        'zsh',
        ['-f', '-c', 'eval "$(zign completion zsh)" && print -r -- "${_comps[zign]}"'],
        { env: { PATH: `${ROOT}node_modules/.bin:${process.env.PATH}`, HOME: home, ZDOTDIR: home } },
      );
      expect(stderr).toBe('');
      expect(stdout).toBe('_zign_complete\n');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

/**
 * Runs a tool's zsh completion function for a command line in a real zsh, outside an interactive widget:
 * `_describe` and `_files` are replaced by recorders that print what they were given.
 */
async function zshCompletion(tool: string, words: string[]): Promise<string[]> {
  const home = mkdtempSync(join(tmpdir(), 'cli-zsh-'));
  try {
    const script = [
      `eval "$(${tool} completion zsh)"`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's indirect expansion, not a template
      '_describe() { print -r -- "_describe $2"; print -rl -- "${(@P)${@[-1]}}" }',
      '_files() { print -r -- "_files $*" }',
      `words=(${words.map((w) => `'${w}'`).join(' ')})`,
      `CURRENT=${words.length}`,
      // A completion function that added nothing returns 1, as zsh's do.
      `_${tool.replace(/-/g, '_')}_complete || print -r -- '(nothing)'`,
    ].join('\n');
    const { stdout } = await execFileP('zsh', ['-f', '-c', script], {
      env: { PATH: `${ROOT}node_modules/.bin:${process.env.PATH}`, HOME: home, ZDOTDIR: home },
    });
    return stdout.split('\n').filter(Boolean);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe.each(TOOLS)('$tool completion zsh', ({ tool, bin, debug }) => {
  it('offers every command of --help with its description, and options with theirs', async () => {
    const help = (await runCli(bin, ['--help'], { COLUMNS: '500' })).stdout;
    const commands = commandsOf(help);
    const descriptions = commandDescriptions(help);
    const [call, ...entries] = await zshCompletion(tool, [tool, '']);
    expect(call).toBe('_describe commands');
    for (const [i, c] of commands.entries()) expect(entries).toContain(`${c}:${descriptions[i]}`);
    const [optionsCall, ...options] = await zshCompletion(tool, [tool, '--']);
    expect(optionsCall).toBe('_describe options');
    // --debug says what it shows in this tool: only senza makes AWS calls to report.
    expect(options).toContain(`--debug:${debug}`);
    const wide = (await runCli(bin, ['--help'], { COLUMNS: '300' })).stdout;
    expect(wide).toMatch(new RegExp(`^ +--debug +${debug}$`, 'm'));
  });
});

describe('zsh completion of file names', () => {
  it('where an argument or option is a file, zsh completes file names (YAML ones, keys, directories)', async () => {
    expect(await zshCompletion('senza', ['senza', 'create', ''])).toEqual(['_files -g *.(yaml|yml)']);
    expect(await zshCompletion('senza', ['senza', 'init', ''])).toEqual(['_files -g *.(yaml|yml)']);
    expect(await zshCompletion('senza', ['senza', 'diff', '--parameter-file', ''])).toEqual(['_files -g *.(yaml|yml)']);
    expect(await zshCompletion('piu', ['piu', 'request-access', '-c', ''])).toEqual(['_files -g *.(yaml|yml)']);
    expect(await zshCompletion('piu', ['piu', 'request-access', '-i', ''])).toEqual(['_files -g *.pub']);
    expect(await zshCompletion('piu', ['piu', 'request-access', '--ssh-config', ''])).toEqual(['_files ']);
    expect(await zshCompletion('stups-local', ['stups-local', 'up', '--state-dir', ''])).toEqual(['_files -/']);
    // A version is no file name: nothing.
    expect(await zshCompletion('senza', ['senza', 'print', 'app.yaml', ''])).toEqual(['(nothing)']);
  });
});

describe('the other commands', () => {
  it('ztoken and docker-credential-pierone print their versions in the same form', async () => {
    expect((await runCli(`${ROOT}packages/zign/dist/ztoken.js`, ['--version'])).stdout).toMatch(
      /^ztoken \d+\.\d+\.\d+\n$/,
    );
    expect((await runCli(`${ROOT}packages/pierone/dist/credential-helper.js`, ['--version'])).stdout).toMatch(
      /^docker-credential-pierone \d+\.\d+\.\d+\n$/,
    );
  });
});

describe('tables', () => {
  it('zign list escapes control characters and fits 80 columns off a terminal', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cli-tables-'));
    try {
      mkdirSync(join(home, 'zalando-token-cli'));
      const now = Math.round(Date.now() / 1000);
      writeFileSync(
        join(home, 'zalando-token-cli', 'tokens.yaml'),
        `"evil\\e[2Jname":\n  access_token: abcdefghijkl\n  scope: "${'uid '.repeat(30)}"\n  creation_time: ${now}\n  expires_in: 3600\n`,
      );
      const list = await runCli(`${ROOT}packages/zign/dist/zign.js`, ['list'], { XDG_CONFIG_HOME: home });
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toContain('evil\\x1b[2Jname');
      expect(list.stdout).not.toContain('\u001b');
      expect(widest(list.stdout)).toBe(80);
      expect(list.stdout).toContain('uid uid');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
