import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeToolConfig } from '../config/tool-config.js';
import { imageIdPrefix, parseDockerImage, parseImageRef } from './image-ref.js';
import { pieroneUrlForRegistry, rememberPieroneUrl, resolvePieroneSettings } from './pierone-settings.js';
import { PIERONE_SCOPES, PIERONE_TOKEN } from './pierone-token.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pierone-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Pier One settings: one resolution of the URL', () => {
  it('--url wins over PIERONE_URL, which wins over pierone.yaml; none is undefined', () => {
    const env = { XDG_CONFIG_HOME: dir };
    expect(resolvePieroneSettings({}, env)).toEqual({ source: 'none' });
    storeToolConfig('pierone', { url: 'file.example.org' }, env);
    expect(resolvePieroneSettings({}, env)).toEqual({ url: 'https://file.example.org', source: 'config' });
    const withEnv = { ...env, PIERONE_URL: 'http://127.0.0.1:5000/' };
    expect(resolvePieroneSettings({}, withEnv)).toEqual({ url: 'http://127.0.0.1:5000', source: 'config' });
    expect(resolvePieroneSettings({ url: 'flag.example.org' }, withEnv)).toEqual({
      url: 'https://flag.example.org',
      source: 'flag',
    });
  });

  it('remembers the URL in the file, not the environment override', () => {
    const env = { XDG_CONFIG_HOME: dir, PIERONE_URL: 'http://127.0.0.1:9' };
    storeToolConfig('pierone', { url: 'old.example.org', other: 'kept' }, { XDG_CONFIG_HOME: dir });
    const path = rememberPieroneUrl('https://new.example.org', env);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('url: https://new.example.org');
    expect(text).toContain('other: kept');
    expect(text).not.toContain('127.0.0.1:9');
  });

  it('maps an image registry to Pier One: the configured host, else a name containing pierone', () => {
    const env = { XDG_CONFIG_HOME: dir, PIERONE_URL: 'http://127.0.0.1:5000' };
    expect(pieroneUrlForRegistry('127.0.0.1:5000', env)).toBe('http://127.0.0.1:5000');
    expect(pieroneUrlForRegistry('pierone.example.org', env)).toBe('https://pierone.example.org');
    expect(pieroneUrlForRegistry('docker.io', env)).toBeUndefined();
  });
});

describe('the pierone token and image references', () => {
  it('one name, read and write scope sets (write includes read)', () => {
    expect(PIERONE_TOKEN).toBe('pierone');
    expect(PIERONE_SCOPES.read).toEqual(['uid']);
    expect(PIERONE_SCOPES.write).toEqual(['uid', 'application.write']);
  });

  it('one parser: the Docker view and the Pier One view of the same reference agree', () => {
    const image = '127.0.0.1:5000/myteam/app:1.0';
    expect(parseDockerImage(image)).toEqual({ registry: '127.0.0.1:5000', repository: 'myteam/app', tag: '1.0' });
    expect(parseImageRef(image)).toEqual({ registry: '127.0.0.1:5000', team: 'myteam', artifact: 'app', tag: '1.0' });
    expect(parseDockerImage('myteam/app')).toEqual({ repository: 'myteam/app', tag: 'latest' });
    expect(parseImageRef('myteam/app')).toEqual({ team: 'myteam', artifact: 'app' });
  });

  it('the IMAGE ID docker images prints is the sha256: prefix Pier One keys images by', () => {
    expect(imageIdPrefix('37F08CE57E12')).toBe('sha256:37f08ce57e12');
    expect(imageIdPrefix('sha256:37f0')).toBe('sha256:37f0');
    expect(imageIdPrefix('not-hex')).toBe('not-hex');
  });
});
