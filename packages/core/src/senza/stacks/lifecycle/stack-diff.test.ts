import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../../errors.js';
import type { CompiledStack } from '../../template/template.js';
import { FakeStackSession, type Handler } from '../test-stack-session.js';
import { diffStack } from './stack-diff.js';

const compiled: CompiledStack = {
  stackName: 'app-2',
  template: { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } } as never,
  tags: [],
  notificationArns: [],
  capabilities: [],
  parameters: [],
  args: {},
};

const change = (logicalId: string) => ({
  ResourceChange: { Action: 'Add', LogicalResourceId: logicalId, ResourceType: 'AWS::SNS::Topic', Scope: [] },
});

/** A deployed stack without resources, whose change set is ready after `pending` polls and has two pages. */
function stackSession(pending: number, extra: Record<string, Handler> = {}) {
  let polls = 0;
  return new FakeStackSession({
    DescribeStacks: () => ({ Stacks: [{ StackName: 'app-2', Parameters: [] }] }),
    GetTemplate: () => ({ TemplateBody: '{"Resources": {}}' }),
    ListStackResources: () => ({ StackResourceSummaries: [] }),
    CreateChangeSet: () => ({ Id: 'arn:cs' }),
    DescribeChangeSet: (input: { NextToken?: string }) => {
      if (input.NextToken === 'p2') return { Status: 'CREATE_COMPLETE', Changes: [change('Second')] };
      polls++;
      if (polls <= pending) return { Status: polls === 1 ? 'CREATE_PENDING' : 'CREATE_IN_PROGRESS' };
      return { Status: 'CREATE_COMPLETE', Changes: [change('First')], NextToken: 'p2' };
    },
    DeleteChangeSet: () => ({}),
    ...extra,
  });
}

describe('diffStack change set', () => {
  it('polls DescribeChangeSet on the schedule until it is ready, reads every page and deletes it', async () => {
    const session = stackSession(2);
    const sleeps: number[] = [];
    const result = await diffStack(session.asSession(), compiled, {
      changeSet: true,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(sleeps).toEqual([1000, 2000]);
    expect(result.changeSet?.status).toBe('CREATE_COMPLETE');
    expect(result.changeSet?.changes.map((c) => c.logicalId)).toEqual(['First', 'Second']);
    const changeSetCalls = session.calls.filter((c) => /ChangeSet/.test(c.operation));
    expect(changeSetCalls.map((c) => [c.operation, c.input.NextToken])).toEqual([
      ['CreateChangeSet', undefined],
      ['DescribeChangeSet', undefined],
      ['DescribeChangeSet', undefined],
      ['DescribeChangeSet', undefined],
      ['DescribeChangeSet', 'p2'],
      ['DeleteChangeSet', undefined],
    ]);
  });

  it('Ctrl-C while waiting ends with AbortedError and still deletes the change set', async () => {
    const session = stackSession(Number.POSITIVE_INFINITY);
    const ctrlC = new AbortController();
    await expect(
      diffStack(session.asSession(), compiled, {
        changeSet: true,
        signal: ctrlC.signal,
        sleep: async () => {
          ctrlC.abort();
          throw new AbortedError('Interrupted.');
        },
      }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(session.operations().filter((o) => /ChangeSet/.test(o))).toEqual([
      'CreateChangeSet',
      'DescribeChangeSet',
      'DeleteChangeSet',
    ]);
  });
});

describe('diffStack parameters', () => {
  it('a parameter without value is the template Default on update, not the deployed value', async () => {
    const template = { Parameters: { Size: { Type: 'String', Default: 'small' } }, Resources: {} };
    const session = new FakeStackSession({
      DescribeStacks: () => ({
        Stacks: [{ StackName: 'app-2', Parameters: [{ ParameterKey: 'Size', ParameterValue: 'large' }] }],
      }),
      GetTemplate: () => ({ TemplateBody: JSON.stringify(template) }),
      DescribeStackResources: () => ({ StackResources: [] }),
    });
    const result = await diffStack(session.asSession(), {
      ...compiled,
      template: template as never,
      parameters: [{ ParameterKey: 'Size', ParameterValue: null }],
    });
    expect(result.diff.parameters).toEqual([{ key: 'Size', kind: 'modified', old: 'large', new: 'small' }]);
  });
});
