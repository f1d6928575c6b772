import { UsageError } from '@stups/core/errors';
import { describe, expect, it } from 'vitest';
import { expandCommandPrefix } from './command-prefix.js';

describe('command prefixes', () => {
  const names = ['delete', 'domains', 'dump', 'init', 'print'];
  it('a unique prefix selects the command', () => {
    expect(expandCommandPrefix(['pri', 'x.yaml', '1'], names)).toEqual(['print', 'x.yaml', '1']);
    expect(expandCommandPrefix(['--debug', 'i', 'x.yaml'], names)).toEqual(['--debug', 'init', 'x.yaml']);
    expect(expandCommandPrefix(['print'], names)).toEqual(['print']);
  });

  it('an ambiguous prefix is a usage error listing the matches', () => {
    try {
      expandCommandPrefix(['d'], names);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).message).toBe('Too many matches: delete, domains, dump');
      expect((e as UsageError).exitCode).toBe(2);
    }
  });
});
