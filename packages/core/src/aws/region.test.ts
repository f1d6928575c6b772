import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { resolveRegion } from './region.js';

describe('region resolution', () => {
  const dir = mkdtempSync(join(tmpdir(), 'region-'));
  const configFile = join(dir, 'config');
  writeFileSync(configFile, '[default]\nregion = eu-west-1\n\n[profile team]\nregion=us-east-2\n');

  it('takes the flag, then AWS_REGION, AWS_DEFAULT_REGION, the tool config, ~/.aws/config', () => {
    const env = { AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'eu-north-1', AWS_CONFIG_FILE: configFile };
    expect(resolveRegion({ flag: 'ap-south-1', env })).toBe('ap-south-1');
    expect(resolveRegion({ env })).toBe('eu-central-1');
    expect(resolveRegion({ env: { ...env, AWS_REGION: '' } })).toBe('eu-north-1');
    expect(resolveRegion({ config: 'sa-east-1', env: { AWS_CONFIG_FILE: configFile } })).toBe('sa-east-1');
    expect(resolveRegion({ env: { AWS_CONFIG_FILE: configFile } })).toBe('eu-west-1');
    expect(resolveRegion({ env: { AWS_CONFIG_FILE: configFile, AWS_PROFILE: 'team' } })).toBe('us-east-2');
  });

  it('without any region: the original message, usage error', () => {
    const e = (() => {
      try {
        resolveRegion({ env: { AWS_CONFIG_FILE: join(dir, 'missing') } });
      } catch (err) {
        return err as UsageError;
      }
    })();
    expect(e).toBeInstanceOf(UsageError);
    expect(e?.message).toBe('Please specify the AWS region on the command line (--region) or in ~/.aws/config');
    expect(e?.exitCode).toBe(2);
  });

  it('rejects something that is not a region name', () => {
    expect(() => resolveRegion({ flag: 'Frankfurt', env: {} })).toThrow("Invalid value for '--region': 'Frankfurt'");
  });

  it('accepts the region names of every partition, eusc-de-east-1 included', () => {
    for (const region of ['eusc-de-east-1', 'cn-north-1', 'us-gov-west-1', 'us-isob-east-1', 'ap-southeast-5']) {
      expect(resolveRegion({ flag: region, env: {} })).toBe(region);
    }
  });
});
