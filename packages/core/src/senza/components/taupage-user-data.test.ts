import { describe, expect, it } from 'vitest';
import { AccountFacts } from '../template/account-facts.js';
import { generateUserData } from './taupage-user-data.js';

describe('generateUserData', () => {
  it('upstream test_component_taupage_auto_scaling_group_user_data_without_ref', () => {
    expect(generateUserData({ runtime: 'Docker', environment: { ENV3: 'r3' } })).toBe(
      '#taupage-ami-config\nenvironment:\n  ENV3: r3\nruntime: Docker\n',
    );
  });

  it('upstream test_component_taupage_auto_scaling_group_user_data_with_ref', () => {
    const config = {
      runtime: 'Docker',
      source: { 'Fn::Join': ['/', ['pierone.stups.zalan.do', 'cool', { 'Fn::GetAtt': ['Obj1', 'Attr1'] }]] },
      mint_bucket: { Ref: 'REF1' },
      environment: { ENV1: { 'Fn::GetAtt': ['Obj2', 'Attr2'] }, ENV2: { Ref: 'REF2' }, ENV3: 'r3' },
    };
    expect(generateUserData(config)).toEqual({
      'Fn::Join': [
        '',
        [
          '#taupage-ami-config\nenvironment:\n  ENV1: ',
          { 'Fn::GetAtt': ['Obj2', 'Attr2'] },
          '\n  ENV2: ',
          { Ref: 'REF2' },
          '\n  ENV3: r3\nmint_bucket: ',
          { Ref: 'REF1' },
          '\nruntime: Docker\nsource: ',
          { 'Fn::Join': ['/', ['pierone.stups.zalan.do', 'cool', { 'Fn::GetAtt': ['Obj1', 'Attr1'] }]] },
          '\n',
        ],
      ],
    });
  });

  it('upstream test_component_taupage_auto_scaling_group_user_data_with_lists_and_empty_dict', () => {
    expect(generateUserData({ resources: ['A', { Ref: 'Res1' }], ports: {} })).toEqual({
      'Fn::Join': ['', ['#taupage-ami-config\nports: {}\nresources:\n- A\n- ', { Ref: 'Res1' }, '\n']],
    });
  });

  it('§7.1 item 4: intrinsics nested in a Fn::Join stay one intrinsic', () => {
    const config = {
      application_id: 'test',
      application_version: '123',
      environment: { ENV1: { Ref: 'resource1' }, ENV2: 'v2' },
      mint_bucket: { 'Fn::Join': ['-', [{ Ref: 'bucket1' }, 'master-mind']] },
      notify_cfn: { resource: 'AppServer', stack: 'test-123' },
      ports: { '80': 80 },
      runtime: 'Docker',
      source: 'foo/bar',
    };
    expect(generateUserData(config)).toEqual({
      'Fn::Join': [
        '',
        [
          "#taupage-ami-config\napplication_id: test\napplication_version: '123'\nenvironment:\n  ENV1: ",
          { Ref: 'resource1' },
          '\n  ENV2: v2\nmint_bucket: ',
          { 'Fn::Join': ['-', [{ Ref: 'bucket1' }, 'master-mind']] },
          '\nnotify_cfn:\n  resource: AppServer\n  stack: test-123\nports:\n  80: 80\nruntime: Docker\nsource: foo/bar\n',
        ],
      ],
    });
  });

  it('resolves {Stack, Output} references to the output value', () => {
    const facts = new AccountFacts({
      region: 'eu-central-1',
      stacks: { 'base-1': { status: 'UPDATE_COMPLETE', outputs: { BucketName: 'my-bucket' } } },
    });
    expect(generateUserData({ environment: { BUCKET: { Stack: 'base-1', Output: 'BucketName' } } }, facts)).toBe(
      '#taupage-ami-config\nenvironment:\n  BUCKET: my-bucket\n',
    );
  });

  it('keeps non-ASCII text inside intrinsics intact', () => {
    expect(generateUserData({ greeting: { 'Fn::Sub': 'grüß Welt' } })).toEqual({
      'Fn::Join': ['', ['#taupage-ami-config\ngreeting: ', { 'Fn::Sub': 'grüß Welt' }, '\n']],
    });
  });

  it('treats multi-key maps and maps with other keys as plain data', () => {
    expect(generateUserData({ x: { Ref: 'A', Other: 1 } })).toBe('#taupage-ami-config\nx:\n  Other: 1\n  Ref: A\n');
  });
});
