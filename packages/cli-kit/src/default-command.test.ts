import { describe, expect, it } from 'vitest';
import { withDefaultCommand } from './default-command.js';

const names = ['token', 'list', 'login', 'completion'];
const token = { name: 'token', takes: (word: string | undefined) => word === undefined || word.startsWith('-') };

describe('a default command, one way for every tool', () => {
  it('is put in before its arguments, after the tool-wide options', () => {
    expect(withDefaultCommand([], names, token)).toEqual(['token']);
    expect(withDefaultCommand(['-n', 'x'], names, token)).toEqual(['token', '-n', 'x']);
    expect(withDefaultCommand(['--debug', '-n', 'x'], names, token)).toEqual(['--debug', 'token', '-n', 'x']);
    expect(withDefaultCommand(['--log-format', 'json', '-r'], names, token)).toEqual([
      '--log-format',
      'json',
      'token',
      '-r',
    ]);
  });

  it('never before a command, a prefix of one or help, and never for --help or --version', () => {
    for (const argv of [['list'], ['lo'], ['help'], ['--help'], ['-V'], ['--debug', '--version'], ['login', '-n']])
      expect(withDefaultCommand(argv, names, token)).toEqual(argv);
  });
});
