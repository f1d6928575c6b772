import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { type MotoServer, startMoto } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv, SENZA } from './support/run-cli.js';

const execFileP = promisify(execFile);
let moto: MotoServer;
let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'senza-completion-e2e-'));
  moto = await startMoto({ stateDir: join(work, 'moto') });
  const aws = localAwsEnv(moto.endpoint);
  const cfn = new CloudFormationClient({
    endpoint: moto.endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
  const body = JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } });
  for (const name of ['hello-world-1', 'hello-world-2', 'helper-7'])
    await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: body }));
  cfn.destroy();
  // `senza` on PATH as a user has it, for the shells' completion functions.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'senza'), `#!/bin/sh\nexec "${process.execPath}" "${SENZA}" "$@"\n`);
  chmodSync(join(bin, 'senza'), 0o755);
  env = {
    ...aws,
    PATH: `${bin}:${process.env.PATH}`,
    HOME: work,
    XDG_CACHE_HOME: join(work, 'cache'),
    NODE_NO_WARNINGS: '1',
  };
});

afterAll(async () => {
  await moto?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Runs bash's completion function for a command line, as pressing TAB after its last word does. */
async function bashComplete(words: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const script = [
    'eval "$(senza completion bash)"',
    'complete -p senza',
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_senza_complete',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's array expansion, not a template
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const { stdout } = await execFileP('bash', ['--norc', '--noprofile', '-c', script], { env: { ...env, ...extraEnv } });
  const [registration, ...suggestions] = stdout.split('\n').filter(Boolean);
  expect(registration).toBe('complete -o default -F _senza_complete senza');
  return suggestions;
}

describe('senza completion in a real bash', () => {
  it('completes commands, flags and flag values', async () => {
    expect(await bashComplete(['senza', 'tr'])).toEqual(['traffic']);
    expect(await bashComplete(['senza', 'de'])).toEqual(['delete']);
    expect(await bashComplete(['senza', 'list', '--al'])).toEqual(['--all']);
    expect(await bashComplete(['senza', 'list', '-o', ''])).toEqual(['text', 'json', 'tsv', 'yaml']);
    expect(await bashComplete(['senza', 'print', 'x.yaml', '1', '-o', 'y'])).toEqual(['yaml']);
  });

  it('completes stack names and versions from CloudFormation, and caches them', async () => {
    // A cold first TAB may spend its 300 ms budget loading the AWS SDK: it answers without stack names
    // and leaves a background run that fills the cache; the next TAB answers from the cache.
    await bashComplete(['senza', 'list', 'hel']);
    const cache = join(env.XDG_CACHE_HOME as string, 'senza', 'completion-stacks-eu-central-1.json');
    await expect.poll(() => existsSync(cache), { timeout: 20_000, interval: 100 }).toBe(true);
    expect(await bashComplete(['senza', 'list', 'hel'])).toEqual(['hello-world', 'helper']);
    expect(await bashComplete(['senza', 'traffic', 'hello-world', ''])).toEqual(['1', '2']);
    expect(await bashComplete(['senza', 'delete', '--region', 'eu-central-1', 'helper', ''])).toEqual(['7']);
  });

  it('when AWS does not answer, completion still answers (static suggestions only)', async () => {
    const held = new Set<Socket>();
    const silent: Server = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    try {
      const slow = { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, XDG_CACHE_HOME: join(work, 'cache-slow') };
      expect(await bashComplete(['senza', 'list', 'hel'], slow)).toEqual([]);
      expect(await bashComplete(['senza', 'list', '--w'], slow)).toEqual(['--watch']);
    } finally {
      // The background refresh is still waiting on its connection: end it, and so the refresh.
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });
});

const hasZsh = await execFileP('zsh', ['-c', 'true']).then(
  () => true,
  () => false,
);

describe('senza completion in a real zsh', () => {
  beforeAll(() => {
    // A missing peer fails the suite: the prerequisites step of `pnpm test` makes sure it is there.
    if (!hasZsh)
      throw new Error(
        'zsh is not installed (Debian package zsh); not here: run the tests with `pnpm test`, whose prerequisites step (scripts/prerequisites.mjs) installs it or says how',
      );
  });
  it('the zsh script registers with compdef and offers commands and stack names', async () => {
    // Outside an interactive completion widget, compdef and _describe are replaced by recorders
    // (_describe's last argument names the array of `value:description` entries).
    const run = async (words: string[]) => {
      const script = [
        'compdef() { print -r -- "compdef $*" }',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's indirect expansion, not a template
        '_describe() { print -rl -- "${(@P)${@[-1]}}" }',
        'eval "$(senza completion zsh)"',
        `words=(${words.map((w) => `'${w}'`).join(' ')})`,
        `CURRENT=${words.length}`,
        '_senza_complete',
      ].join('\n');
      const { stdout } = await execFileP('zsh', ['-f', '-c', script], { env });
      return stdout.split('\n').filter(Boolean);
    };
    expect(await run(['senza', 'sta'])).toEqual([
      'compdef _senza_complete senza',
      'status:show stack status information',
    ]);
    expect(await run(['senza', 'list', 'hello'])).toEqual(['compdef _senza_complete senza', 'hello-world']);
  });
});

/**
 * Types `line` and TAB into an interactive zsh (compinit loaded, the script eval'ed) on a pseudo-terminal
 * (zsh/zpty), in `cwd`, and returns what the terminal shows once `until` appears: the completion listing.
 */
async function zshTab(line: string, until: string, cwd: string): Promise<string> {
  const driver = join(work, 'zsh-tab.zsh');
  writeFileSync(
    driver,
    `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'PS1="> "; autoload -Uz compinit; compinit -u -D; zstyle ":completion:*" format "[%d]"; eval "$(senza completion zsh)"; print RE""ADY'
zpty -r -m z out '*READY*'
zpty -w -n z "$1"$'\\t'
local all='' chunk
local -F end=$(( SECONDS + 20 ))
while (( SECONDS < end )) && [[ $all != *"$2"* ]]; do
  zpty -r -t z chunk && all+=$chunk || sleep 0.05
done
sleep 0.2; while zpty -r -t z chunk; do all+=$chunk; done
zpty -d z
print -r -- "$all"
`,
  );
  const { stdout } = await execFileP('zsh', ['-f', driver, line, until], { env, cwd });
  return stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

describe('senza completion in an interactive zsh (compinit, TAB on a pseudo-terminal)', () => {
  it('lists commands and options with their descriptions', async () => {
    const commands = await zshTab('senza ', 'traffic', work);
    expect(commands).toMatch(/^create +-- create a new CloudFormation stack/m);
    expect(commands).toMatch(/^list +-- list CloudFormation stacks/m);
    const options = await zshTab('senza list --', '--watch', work);
    expect(options).toMatch(/^--all +-- show all stacks, including deleted ones/m);
    expect(options).toMatch(/^--debug +-- show stack traces/m);
  });

  it('completes DEFINITION and --parameter-file with YAML files and directories, stack references with both', async () => {
    const dir = join(work, 'definitions');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    for (const f of ['app.yaml', 'other.yml', 'notes.txt']) writeFileSync(join(dir, f), '');
    for (const line of ['senza print ', 'senza create --parameter-file ']) {
      const listing = await zshTab(line, 'other.yml', dir);
      expect(listing, line).toMatch(/app\.yaml +other\.yml +sub\//);
      expect(listing, line).not.toContain('notes.txt');
    }
    // A stack reference is a stack name or a definition file: both, the names from CloudFormation.
    await bashComplete(['senza', 'list', '']);
    const cache = join(env.XDG_CACHE_HOME as string, 'senza', 'completion-stacks-eu-central-1.json');
    await expect.poll(() => existsSync(cache), { timeout: 20_000, interval: 100 }).toBe(true);
    for (const line of ['senza list ', 'senza delete ', 'senza traffic ']) {
      const listing = await zshTab(line, 'other.yml', dir);
      expect(listing, line).toMatch(/hello-world +helper/);
      expect(listing, line).toMatch(/app\.yaml +other\.yml +sub\//);
      expect(listing, line).not.toContain('notes.txt');
    }
  });

  it('offers the values of an option with fixed choices with their descriptions', async () => {
    const formats = await zshTab('senza list -o ', 'yaml', work);
    expect(formats).toMatch(/^json +-- one JSON document/m);
    expect(formats).toMatch(/^tsv +-- tab-separated values/m);
    const template = await zshTab('senza print x.yaml 1 -o ', 'yaml', work);
    expect(template).toMatch(/^yaml +-- the template as YAML/m);
  });
});
