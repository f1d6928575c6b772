import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { loadToolConfig, storeToolConfig, toolConfigPath } from './tool-config.js';

describe('tool config', () => {
  it('lives in XDG_CONFIG_HOME (default ~/.config)/<tool>/<tool>.yaml', () => {
    expect(toolConfigPath('pierone', { XDG_CONFIG_HOME: '/x' })).toBe('/x/pierone/pierone.yaml');
    expect(toolConfigPath('pierone', { HOME: '/home/u' })).toBe('/home/u/.config/pierone/pierone.yaml');
  });

  it('overlays <TOOL>_<KEY> environment variables (env wins, keys lower-cased)', () => {
    const home = mkdtempSync(join(tmpdir(), 'cfg-'));
    storeToolConfig('zalando-token-cli', { url: 'https://file', user: 'jdoe' }, { XDG_CONFIG_HOME: home });
    const env = { XDG_CONFIG_HOME: home, ZALANDO_TOKEN_CLI_URL: 'https://env', OTHER_URL: 'x' };
    expect(loadToolConfig('zalando-token-cli', env)).toEqual({ url: 'https://env', user: 'jdoe' });
  });

  it('treats a missing or empty file as empty; a broken one, a list or a directory is an error naming it', () => {
    const home = mkdtempSync(join(tmpdir(), 'cfg-'));
    const env = { XDG_CONFIG_HOME: home };
    const path = toolConfigPath('senza', env);
    expect(loadToolConfig('senza', env)).toEqual({});
    writeFileAtomic(path, '');
    expect(loadToolConfig('senza', env)).toEqual({});
    writeFileAtomic(path, ': : [broken');
    expect(() => loadToolConfig('senza', env)).toThrow(
      expect.objectContaining({
        code: 'config.invalid',
        exitCode: 2,
        message: expect.stringContaining(`The config file ${path} is not valid YAML`),
      }),
    );
    writeFileAtomic(path, '- region: eu-west-1\n');
    expect(() => loadToolConfig('senza', env)).toThrow(
      `The config file ${path} is not a mapping of keys to values (a list)`,
    );
    rmSync(path);
    mkdirSync(path);
    expect(() => loadToolConfig('senza', env)).toThrow(
      expect.objectContaining({
        code: 'file.error',
        message: `Cannot read ${path}: it is a directory, not a file (EISDIR)`,
      }),
    );
  });

  it('writes atomically with the requested mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const file = join(dir, 'sub', 'secret.json');
    writeFileAtomic(file, '{"a":1}', 0o600);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'old');
    writeFileAtomic(file, 'new', 0o600);
    expect(readFileSync(file, 'utf8')).toBe('new');
  });
});
