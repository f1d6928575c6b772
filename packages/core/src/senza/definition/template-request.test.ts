import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeToolConfig } from '../../config/tool-config.js';
import { resolveSenzaRegion } from '../stacks/senza-config.js';
import { extraTagsOf, templateRequestOf } from './template-request.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'template-request-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('templateRequestOf, the engine request of the commands that compile a definition', () => {
  it('region: --region, then AWS_REGION, then senza.yaml, then ~/.aws/config', () => {
    const env: NodeJS.ProcessEnv = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') };
    expect(() => resolveSenzaRegion(undefined, env)).toThrow(/Please specify the AWS region/);
    storeToolConfig('senza', { region: 'eu-west-1' }, env);
    expect(resolveSenzaRegion(undefined, env)).toBe('eu-west-1');
    expect(resolveSenzaRegion(undefined, { ...env, AWS_REGION: 'us-east-1' })).toBe('us-east-1');
    expect(resolveSenzaRegion('eu-central-1', { ...env, AWS_REGION: 'us-east-1' })).toBe('eu-central-1');
  });

  it('loads the definition, appends the parameter file to the arguments, and turns --tag into stack tags', () => {
    const definition = join(dir, 'app.yaml');
    writeFileSync(definition, 'SenzaInfo:\n  StackName: app\n  Parameters:\n    - ImageVersion: {}\n    - Size: {}\n');
    const parameterFile = join(dir, 'params.yaml');
    writeFileSync(parameterFile, 'Size: large\n');
    const request = templateRequestOf(
      definition,
      '1',
      ['1.0'],
      { region: 'eu-central-1', parameterFile, force: true, tag: ['team=myteam'] },
      { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') },
    );
    expect(request).toMatchObject({
      version: '1',
      region: 'eu-central-1',
      force: true,
      extraTags: [{ Key: 'team', Value: 'myteam' }],
    });
    expect(request.parameters[0]).toBe('1.0');
    expect(request.parameters).toHaveLength(2);
    expect(() => extraTagsOf(['a=b=c'])).toThrow(expect.objectContaining({ code: 'senza.tag-invalid' }));
  });

  it('refuses a malformed VERSION when the request is made, before any step prints (no `Generating … FAILED`)', () => {
    const definition = join(dir, 'app.yaml');
    writeFileSync(definition, 'SenzaInfo:\n  StackName: app\n');
    expect(() =>
      templateRequestOf(definition, '1.0', ['2'], { region: 'eu-central-1', force: false }, { HOME: dir }),
    ).toThrow(expect.objectContaining({ code: 'senza.version-invalid', exitCode: 2 }));
  });
});
