import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileAtomic, writeFileAtomic } from './atomic-file.js';

const root = mkdtempSync(join(tmpdir(), 'atomic-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = () => {
  const d = join(root, String(n++));
  writeFileAtomic(join(d, '.keep'), '');
  return d;
};

describe('the atomic file writer', () => {
  it('replaces a file with the mode asked for, leaving no temp file; creates missing directories 0700', () => {
    const d = join(root, 'new', 'deep');
    const path = join(d, 'secret.yaml');
    writeFileAtomic(path, 'one', 0o600);
    writeFileAtomic(path, new TextEncoder().encode('two'), 0o600);
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(d).mode & 0o777).toBe(0o700);
    expect(readdirSync(d)).toEqual(['secret.yaml']);
  });

  it('replaces a symlink planted at the target instead of writing through it', () => {
    const d = dir();
    const victim = join(d, 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(d, 'state.json'));
    writeFileAtomic(join(d, 'state.json'), '{}', 0o600);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(join(d, 'state.json')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(d, 'state.json'), 'utf8')).toBe('{}');
  });

  it('creates a file only where nothing is, not even a dangling symlink', () => {
    const d = dir();
    const lock = join(d, 'lock');
    expect(createFileAtomic(lock, '1 a\n', 0o600)).toBe(true);
    expect(createFileAtomic(lock, '2 b\n', 0o600)).toBe(false);
    expect(readFileSync(lock, 'utf8')).toBe('1 a\n');
    const planted = join(d, 'planted');
    symlinkSync(join(d, 'nowhere'), planted);
    expect(createFileAtomic(planted, 'x', 0o600)).toBe(false);
    expect(readdirSync(d).sort()).toEqual(['.keep', 'lock', 'planted']);
  });
});
