import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli, type ToolSpec } from './cli-runner.js';
import { commandShape, defineCommand, type RunOf } from './define-command.js';
import { ask } from './prompt.js';

/** A terminal as readline sees one: raw-mode input, a TTY output that collects what was written. */
function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  let written = '';
  output.on('data', (d) => {
    written += d;
  });
  return { input, output, written: () => written };
}

async function askOnce(keys: string) {
  const { input, output, written } = terminal();
  const shape = commandShape({ args: [], options: {} });
  const run: RunOf<typeof shape> = async (_args, _options, cli) => {
    cli.host.print(`answer ${await ask(cli, 'Application ID', 'shop', input)}\n`);
    return 0;
  };
  const tool: ToolSpec = {
    name: 'tool',
    description: 'A test tool.',
    versionText: 'tool 1.0',
    commands: [defineCommand({ name: 'init', summary: 'ask', ...shape, load: async () => ({ run }) })],
  };
  let stdout = '';
  setTimeout(() => input.write(keys), 20);
  const code = await runCli(tool, ['init'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: output,
    stdin: { isTTY: true },
    env: {},
  });
  return { code, stdout, stderr: written() };
}

describe('ask', () => {
  it('takes the answer, or the default on Enter', async () => {
    expect((await askOnce('web\r')).stdout).toBe('answer web\n');
    expect((await askOnce('\r')).stdout).toBe('answer shop\n');
  });

  it('Ctrl-C at a prompt is an interruption (exit 130), not an internal error', async () => {
    const r = await askOnce('\u0003');
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Application ID [shop]: ');
    expect(r.stderr).toContain('Interrupted.');
    expect(r.stderr).not.toMatch(/bug|Unknown error|Aborted with Ctrl\+C/);
  });
});
