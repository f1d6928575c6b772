import { describe, expect, it } from 'vitest';
import { diffTemplates, formatTemplateDiff, hasDifferences, lineDiff } from './template-diff.js';

const base = {
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'App (ImageVersion: 1)',
  Resources: {
    Config: {
      Type: 'AWS::AutoScaling::LaunchConfiguration',
      Properties: { InstanceType: 't2.micro', UserData: { 'Fn::Base64': 'a: 1\nversion: 1\n' } },
    },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 5 } },
    Main: {
      Type: 'AWS::Route53::RecordSet',
      Properties: { Name: 'app.example.org.', SetIdentifier: 'app-1', Weight: 0, Type: 'CNAME' },
    },
  },
};

describe('diffTemplates', () => {
  it('equal templates and parameters: no differences (numbers equal their string form)', () => {
    const same = structuredClone(base);
    (same.Resources.Queue.Properties as Record<string, unknown>).DelaySeconds = '5';
    const d = diffTemplates(base, same, { old: { V: '1' }, new: { V: '1' } });
    expect(hasDifferences(d)).toBe(false);
    expect(formatTemplateDiff(d)).toEqual([]);
  });

  it('added, removed and modified resources with property paths and old → new values', () => {
    // biome-ignore lint/suspicious/noExplicitAny: a template edited in place
    const next = structuredClone(base) as Record<string, any>;
    next.Description = 'App (ImageVersion: 2)';
    next.Resources.Config.Properties.InstanceType = 't2.small';
    next.Resources.Config.Properties.UserData['Fn::Base64'] = 'a: 1\nversion: 2\n';
    delete next.Resources.Queue;
    next.Resources.Topic = { Type: 'AWS::SNS::Topic' };
    const d = diffTemplates(base, next, { old: { V: '1', Old: 'x' }, new: { V: '2', New: 'y' } });
    expect(d.resources).toEqual([
      {
        logicalId: 'Config',
        kind: 'modified',
        type: 'AWS::AutoScaling::LaunchConfiguration',
        changes: [
          { path: 'Properties.InstanceType', kind: 'modified', old: 't2.micro', new: 't2.small' },
          {
            path: 'Properties.UserData.Fn::Base64',
            kind: 'modified',
            old: 'a: 1\nversion: 1\n',
            new: 'a: 1\nversion: 2\n',
          },
        ],
      },
      { logicalId: 'Queue', kind: 'removed', type: 'AWS::SQS::Queue', changes: [] },
      { logicalId: 'Topic', kind: 'added', type: 'AWS::SNS::Topic', changes: [] },
    ]);
    expect(d.parameters).toEqual([
      { key: 'New', kind: 'added', new: 'y' },
      { key: 'Old', kind: 'removed', old: 'x' },
      { key: 'V', kind: 'modified', old: '1', new: '2' },
    ]);
    expect(formatTemplateDiff(d).join('\n')).toBe(
      [
        'Parameters',
        '[+] New: (none) → "y"',
        '[-] Old: "x" → (none)',
        '[~] V: "1" → "2"',
        'Resources',
        '[~] AWS::AutoScaling::LaunchConfiguration Config',
        '    Properties.InstanceType: "t2.micro" → "t2.small"',
        '    Properties.UserData.Fn::Base64: (text, changed lines)',
        '        - version: 1',
        '        + version: 2',
        '[-] AWS::SQS::Queue Queue',
        '[+] AWS::SNS::Topic Topic',
        'Template',
        '[~] Description: "App (ImageVersion: 1)" → "App (ImageVersion: 2)"',
      ].join('\n'),
    );
  });

  it('arrays compare by position', () => {
    const d = diffTemplates(
      { Resources: { A: { Type: 'T', Properties: { L: [1, 2] } } } },
      { Resources: { A: { Type: 'T', Properties: { L: [1, 3, 4] } } } },
    );
    expect(d.resources[0].changes).toEqual([
      { path: 'Properties.L[1]', kind: 'modified', old: 2, new: 3 },
      { path: 'Properties.L[2]', kind: 'added', new: 4 },
    ]);
  });

  it('line diff', () => {
    expect(lineDiff('a\nb\nc', 'a\nc\nd')).toEqual(['- b', '+ d']);
  });
});
