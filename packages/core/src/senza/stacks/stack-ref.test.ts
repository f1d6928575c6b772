import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DefinitionError } from '../../errors.js';
import { matchesAnyRef, matchesRef, parseStackRefs, splitStackName } from './stack-ref.js';

describe('STACK_REF parsing (reference §1.3, upstream test_get_stack_reference)', () => {
  it('reads v<digit> tokens as more versions of the previous stack', () => {
    expect(parseStackRefs(['foobar-stack', 'v1', 'v2', 'v99', 'other-stack'])).toEqual([
      { name: 'foobar-stack', version: 'v1' },
      { name: 'foobar-stack', version: 'v2' },
      { name: 'foobar-stack', version: 'v99' },
      { name: 'other-stack' },
    ]);
  });

  it('pairs names and versions', () => {
    expect(parseStackRefs(['foo', '1', 'bar', '2'])).toEqual([
      { name: 'foo', version: '1' },
      { name: 'bar', version: '2' },
    ]);
    expect(parseStackRefs(['foo', '1', '2'])).toEqual([{ name: 'foo', version: '1' }, { name: '2' }]);
  });

  it('reads the StackName of a definition file, and rejects a file without SenzaInfo', () => {
    const dir = mkdtempSync(join(tmpdir(), 'refs-'));
    writeFileSync(join(dir, 'app.yaml'), 'SenzaInfo: {StackName: hello}\n');
    writeFileSync(join(dir, 'test.yaml'), 'foo: bar\n');
    expect(parseStackRefs([join(dir, 'app.yaml'), '3'])).toEqual([{ name: 'hello', version: '3' }]);
    expect(() => parseStackRefs([join(dir, 'test.yaml')])).toThrow(DefinitionError);
    expect(() => parseStackRefs([join(dir, 'test.yaml')])).toThrow(
      `${join(dir, 'test.yaml')} is not a valid senza definition: SenzaInfo is missing or invalid`,
    );
  });

  it('matches names and versions as anchored regular expressions', () => {
    expect(splitStackName('my-app-42')).toEqual({ name: 'my-app', version: '42' });
    expect(splitStackName('plain')).toEqual({ name: 'plain', version: '' });
    expect(matchesRef('suite-x-1', { name: 'suite-.*', version: '1' })).toBe(true);
    expect(matchesRef('app-42', { name: '.*', version: '42' })).toBe(true);
    expect(matchesRef('mystack-footest', { name: 'mystack', version: '.*test' })).toBe(true);
    expect(matchesRef('myapp-1', { name: 'my' })).toBe(false);
    expect(matchesAnyRef('anything-1', [])).toBe(true);
  });
});
