import { describe, expect, it } from 'vitest';
import { looksLikeHost, main, withDefaultCommand } from './main.js';

describe('piu default command', () => {
  it('treats a line that names no command as request-access arguments', () => {
    expect(withDefaultCommand(['172.31.1.1', 'my', 'reason'])).toEqual([
      'request-access',
      '172.31.1.1',
      'my',
      'reason',
    ]);
    expect(withDefaultCommand(['--debug', 'host.example.org', 'why'])).toEqual([
      '--debug',
      'request-access',
      'host.example.org',
      'why',
    ]);
    expect(withDefaultCommand(['jdoe@odd-host', 'why'])).toEqual(['request-access', 'jdoe@odd-host', 'why']);
    expect(withDefaultCommand(['fe80::1', 'why'])).toEqual(['request-access', 'fe80::1', 'why']);
    expect(withDefaultCommand(['-O', 'odd', 'host', 'why'])).toEqual(['request-access', '-O', 'odd', 'host', 'why']);
  });

  it('leaves commands, their unique prefixes and global flags alone', () => {
    for (const argv of [
      ['request-access', 'h', 'r'],
      ['list'],
      ['req', 'h', 'r'],
      ['--help'],
      ['-V'],
      ['help', 'list'],
      [],
    ])
      expect(withDefaultCommand(argv)).toEqual(argv);
  });
});

async function runPiu(argv: string[]) {
  let stdout = '';
  let stderr = '';
  // No even URL anywhere: a line that reached request-access would fail on that, not on usage.
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: {},
    env: { HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent' },
  });
  return { code, stdout, stderr };
}

describe('piu words that are not commands (issue 17 item 12)', () => {
  it('never takes a command, a typo of one or a bare word for a host', () => {
    for (const argv of [['completion', 'bash'], ['lst'], ['lsit'], ['reqest-access', 'h', 'r'], ['frob', 'x']])
      expect(withDefaultCommand(argv)).toEqual(argv);
    for (const word of ['completion', 'lst', 'frob', '1.2', 'a@', '@b', 'x..y', 'host.123'])
      expect(looksLikeHost(word)).toBe(false);
    for (const word of ['10.0.0.1', 'ip-10-0-0-1.eu-west-1.compute.internal', 'jdoe@10.0.0.1', 'jdoe@odd'])
      expect(looksLikeHost(word)).toBe(true);
  });

  it('`piu completion bash` prints the script and files nothing', async () => {
    const run = await runPiu(['completion', 'bash']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('complete -o default -F _piu_complete piu');
    expect(run.stderr).toBe('');
  });

  it('a typo is a usage error (exit 2) with a suggestion, not an access request', async () => {
    const typo = await runPiu(['lst']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      "Error: Unknown command 'lst'\nHint: Did you mean 'piu list-access-requests'? Run 'piu --help' for usage.\n",
    );
    const word = await runPiu(['frob', 'because']);
    expect(word.code).toBe(2);
    expect(word.stderr).toBe("Error: Unknown command 'frob'\nHint: Run 'piu --help' for usage.\n");
  });
});
