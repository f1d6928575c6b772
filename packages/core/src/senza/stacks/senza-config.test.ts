import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { readSenzaConfig, splitConfigKey, writeSenzaConfig } from './senza-config.js';

describe('senza config', () => {
  it('stores {section: {key: value}} in senza/senza.yaml (0600) and reads it back; env overrides stay out', async () => {
    const env = { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'senza-config-')), SENZA_REGION: 'eu-west-1' };
    expect(readSenzaConfig('sentry.endpoint', env)).toBeUndefined();
    const path = await writeSenzaConfig('sentry.endpoint', 'https://sentry.example.org/1', env);
    await writeSenzaConfig('a.b.c', '42', env);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(path).toBe(join(env.XDG_CONFIG_HOME, 'senza', 'senza.yaml'));
    expect(readSenzaConfig('sentry.endpoint', env)).toBe('https://sentry.example.org/1');
    expect(readSenzaConfig('a.b.c', env)).toBe('42');
    expect(readFileSync(path, 'utf8')).toBe('a:\n  b.c: "42"\nsentry:\n  endpoint: https://sentry.example.org/1\n');
  });

  it('a key without a section is a usage error', () => {
    expect(() => splitConfigKey('nosection')).toThrow(UsageError);
    expect(() => splitConfigKey('nosection')).toThrow('key does not contain a section: nosection');
  });
});
