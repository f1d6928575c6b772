import { describe, expect, it } from 'vitest';
import { withDefaultCommand } from './main.js';

describe('piu default command', () => {
  it('treats a line that names no command as request-access arguments', () => {
    expect(withDefaultCommand(['172.31.1.1', 'my', 'reason'])).toEqual([
      'request-access',
      '172.31.1.1',
      'my',
      'reason',
    ]);
    expect(withDefaultCommand(['--debug', 'host', 'why'])).toEqual(['--debug', 'request-access', 'host', 'why']);
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
