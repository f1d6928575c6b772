import { CliHost } from '@stups/cli-kit';
import { type MessageCode, NotFoundError, OperationError, RecordingHost, UsageError, withSpan } from '@stups/core';
import { AwsError } from '@stups/core/errors';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { SENZA_CLI_MESSAGES } from './senza-cli-messages.js';

// Compiled by `pnpm run typecheck`: each `@ts-expect-error` fails the check if the line below it compiles.
describe("senza's codes are types: the engine's, the kit's and its own", () => {
  it('a code of the engine, the kit or senza is a MessageCode; an unregistered one is not', () => {
    expectTypeOf<keyof typeof SENZA_CLI_MESSAGES>().toExtend<MessageCode>();
    expectTypeOf<'senza.diff-none'>().toExtend<MessageCode>();
    expectTypeOf<'cli.usage'>().toExtend<MessageCode>();
    expectTypeOf<'senza.wait-waiting'>().toExtend<MessageCode>();
    expectTypeOf<'senza.no-such-code'>().not.toExtend<MessageCode>();
  });

  it("a message's data holds the keys its catalog entry documents, on the CLI host too", () => {
    const host = new CliHost({ stdout: { write: () => true }, stderr: { write: () => true }, env: {} });
    host.notify({ level: 'info', code: 'senza.diff-none', text: '', data: { stackName: 'app-1' } });
    // @ts-expect-error senza.diff-none documents stackName only
    host.notify({ level: 'info', code: 'senza.diff-none', text: '', data: { stack: 'app-1' } });
    // @ts-expect-error cli.usage documents no data
    host.notify({ level: 'error', code: 'cli.usage', text: '', data: { option: '-x' } });
    expect(host.live).toBe(false);
  });

  it('notify, withSpan, progress and the typed errors refuse an unregistered code', async () => {
    const host = new RecordingHost();
    host.notify({ level: 'info', code: 'senza.diff-none', text: 'registered by senza' });
    // @ts-expect-error not registered anywhere
    host.notify({ level: 'info', code: 'senza.no-such-code', text: '' });
    // @ts-expect-error not registered anywhere
    await withSpan(host, { code: 'senza.no-such-span', text: '' }, async () => {});
    await withSpan(host, { code: 'senza.template-generate', text: '' }, async (span) => {
      // @ts-expect-error not registered anywhere
      span.progress({ code: 'senza.no-such-check', text: '' });
    });
    const errors = [
      // @ts-expect-error not registered anywhere
      new UsageError('x', { code: 'senza.no-such-code' }),
      // @ts-expect-error not registered anywhere
      new OperationError('x', { code: 'senza.no-such-code' }),
      // @ts-expect-error not registered anywhere
      new AwsError('CloudFormation', 'DescribeStacks', 'x', { code: 'senza.no-such-code' }),
      // @ts-expect-error not registered anywhere
      new NotFoundError('x', { code: 'senza.no-such-code' }),
      new UsageError('x', { code: 'senza.scale-capacity-missing' }),
    ];
    expect(errors.at(-1)?.code).toBe('senza.scale-capacity-missing');
    expect(host.codes()).toContain('senza.no-such-check');
  });
});
