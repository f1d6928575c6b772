import { describe, expect, it } from 'vitest';
import { EXIT, OperationError, UsageError } from '../../../errors.js';
import { RecordingHost } from '../../../io/messages.js';
import { pythonRepr } from '../../../io/python-values.js';
import { parseDefinition } from '../../definition/load-definition.js';
import { generateTemplate } from '../../template/generate-template.js';
import type { CompiledStack } from '../../template/template.js';
import { testAccount } from '../../template/test-account.js';
import { awsFault, FakeStackSession } from '../test-stack-session.js';
import { createStack } from './create-stack.js';
import { updateStack } from './update-stack.js';

const compiled: CompiledStack = {
  stackName: 'test-1',
  template: { AWSTemplateFormatVersion: '2010-09-09', Mappings: {}, Resources: { Q: { Type: 'AWS::SQS::Queue' } } },
  tags: [
    { Key: 'Name', Value: 'test-1' },
    { Key: 'StackName', Value: 'test' },
    { Key: 'StackVersion', Value: '1' },
    { Key: 'team', Value: 'abc' },
  ],
  notificationArns: [],
  capabilities: [],
  parameters: [{ ParameterKey: 'ImageVersion', ParameterValue: 'x' }],
  args: {},
};

/**
 * The lines the CLI prints for action messages (cli-kit's host): the start, each message inside on a line
 * of its own, the action's text again with its verdict.
 */
function actionText(host: RecordingHost): string {
  let out = '';
  let open: string | undefined;
  let broken = false;
  for (const m of host.messages) {
    if (m.code === 'senza.action' && m.data?.phase === 'start') {
      out += m.text;
      open = m.text;
      broken = false;
    } else if (m.code === 'senza.action') {
      out += `${broken ? open : ''} ${m.text}\n`;
      open = undefined;
    } else {
      if (open !== undefined && !broken) out += '\n';
      broken = open !== undefined;
      out += `${m.level === 'warn' ? 'Warning: ' : ''}${m.text}\n`;
    }
  }
  return out;
}

describe('createStack', () => {
  it('dry run: the original golden, no API call', async () => {
    const session = new FakeStackSession({});
    const host = new RecordingHost();
    const r = await createStack(session.asSession(), compiled, { dryRun: true, host });
    expect(r.outcome).toBe('dry-run');
    expect(session.calls).toEqual([]);
    expect(actionText(host)).toBe(
      "Creating Cloud Formation stack test-1..\n**DRY-RUN** []\nTags: [{'Key': 'Name', 'Value': 'test-1'}, {'Key': 'StackName', 'Value': 'test'}, {'Key': 'StackVersion', 'Value': '1'}, {'Key': 'team', 'Value': 'abc'}]\nCreating Cloud Formation stack test-1.. OK\n",
    );
  });

  it('sends template, parameters, tags and DisableRollback', async () => {
    const session = new FakeStackSession({ CreateStack: () => ({ StackId: 'arn:stack/test-1/1' }) });
    const host = new RecordingHost();
    const r = await createStack(session.asSession(), compiled, { disableRollback: true, host });
    expect(r).toMatchObject({ outcome: 'created', stackId: 'arn:stack/test-1/1' });
    expect(session.calls[0].input).toMatchObject({
      StackName: 'test-1',
      DisableRollback: true,
      Parameters: [{ ParameterKey: 'ImageVersion', ParameterValue: 'x' }],
      Tags: compiled.tags,
    });
    expect(JSON.parse(String(session.calls[0].input.TemplateBody))).toEqual(compiled.template);
    expect(actionText(host)).toBe('Creating Cloud Formation stack test-1.. OK\n');
  });

  it('an existing stack: "Please choose another version", exit 1', async () => {
    const session = new FakeStackSession({
      CreateStack: () => {
        throw awsFault('CreateStack', 'AlreadyExistsException', 'Stack test-1 already exists');
      },
    });
    const e = await createStack(session.asSession(), compiled).catch((x) => x);
    expect(e).toBeInstanceOf(OperationError);
    expect(e.message).toBe('Stack test-1 already exists. Please choose another version.');
    expect(e.exitCode).toBe(EXIT.FAILED);
  });

  it('--update-if-exists with an unchanged template: the original golden, NO UPDATE', async () => {
    const session = new FakeStackSession({
      CreateStack: () => {
        throw awsFault('CreateStack', 'AlreadyExistsException', 'Stack test-1 already exists');
      },
      ListStackResources: () => ({ StackResourceSummaries: [] }),
      DescribeStacks: () => ({ Stacks: [{ StackName: 'test-1', Parameters: [] }] }),
      GetTemplate: () => ({ TemplateBody: JSON.stringify(compiled.template) }),
      DescribeStackEvents: () => ({ StackEvents: [{ EventId: 'e1' }] }),
      UpdateStack: () => {
        throw awsFault('UpdateStack', 'ValidationError', 'No updates are to be performed.');
      },
    });
    const host = new RecordingHost();
    const r = await createStack(session.asSession(), compiled, { updateIfExists: true, host });
    expect(r.outcome).toBe('no-update');
    expect(actionText(host)).toBe(
      'Creating Cloud Formation stack test-1.. ALREADY EXISTS\nWarning: Stack test-1 already exists. It will be updated\nUpdating Cloud Formation stack test-1.. NO UPDATE\n',
    );
    // Stack tags are never updated.
    expect(session.calls.find((c) => c.operation === 'UpdateStack')?.input.Tags).toBeUndefined();
  });
});

describe('updateStack', () => {
  it('dry run prints the notification ARNs and calls nothing', async () => {
    const session = new FakeStackSession({});
    const host = new RecordingHost();
    await updateStack(session.asSession(), { ...compiled, notificationArns: ['arn:sns:x'] }, { dryRun: true, host });
    expect(actionText(host)).toBe(
      "Updating Cloud Formation stack test-1..\n**DRY-RUN** ['arn:sns:x']\nUpdating Cloud Formation stack test-1.. OK\n",
    );
    expect(session.calls).toEqual([]);
  });

  it('honours --disable-rollback and remembers the last event before the update', async () => {
    const session = new FakeStackSession({
      ListStackResources: () => ({ StackResourceSummaries: [] }),
      DescribeStacks: () => ({ Stacks: [{ StackName: 'test-1', Parameters: [] }] }),
      GetTemplate: () => ({ TemplateBody: JSON.stringify(compiled.template) }),
      DescribeStackEvents: () => ({ StackEvents: [{ EventId: 'before' }] }),
      UpdateStack: () => ({ StackId: 'arn:1' }),
    });
    const r = await updateStack(session.asSession(), compiled, { disableRollback: true });
    expect(r).toMatchObject({ outcome: 'updated', afterEventId: 'before', stackId: 'arn:1' });
    expect(session.calls.find((c) => c.operation === 'UpdateStack')?.input.DisableRollback).toBe(true);
  });

  it('a missing stack is not found, exit 1', async () => {
    const session = new FakeStackSession({
      ListStackResources: () => {
        throw awsFault('ListStackResources', 'ValidationError', 'Stack with id test-1 does not exist');
      },
    });
    const e = await updateStack(session.asSession(), compiled).catch((x) => x);
    expect(e.message).toBe('Stack test-1 does not exist.');
    expect(e.exitCode).toBe(1);
  });
});

describe('stack names and tags', () => {
  it('a stack name longer than 128 characters: the original message', async () => {
    const name = 'a'.repeat(127);
    const e = await generateTemplate(
      {
        definition: parseDefinition(`SenzaInfo: {StackName: ${name}}\n`, 'app.yaml'),
        version: '12',
        parameters: [],
        region: 'eu-central-1',
      },
      async () => testAccount(),
    ).catch((x) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe(`Stack name "${name}-12" cannot exceed 128 characters. Please choose another name/version.`);
  });

  it('Python repr of tags and ARNs', () => {
    expect(pythonRepr([])).toBe('[]');
    expect(pythonRepr([{ Key: "it's", Value: 'a\\b' }])).toBe(`[{'Key': "it's", 'Value': 'a\\\\b'}]`);
  });
});
