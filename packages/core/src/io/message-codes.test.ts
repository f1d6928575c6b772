import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AbortedError,
  AuthError,
  AwsError,
  DefinitionError,
  InterruptedError,
  NotFoundError,
  OperationError,
  StupsError,
  UsageError,
} from '../errors.js';
import type { EngineCodes } from '../message-registry.js';
import type { MessageCode } from './message-codes.js';
import { type IoHost, RecordingHost, withSpan } from './messages.js';

// Compiled by `pnpm run typecheck`: each `@ts-expect-error` fails the check if the line below it compiles.
describe('message codes are types (the engine compiles with its own codes only)', () => {
  it('a code of an engine catalog is a MessageCode; a code no catalog registers, or a CLI code, is not', () => {
    expectTypeOf<'senza.wait-waiting'>().toExtend<MessageCode>();
    expectTypeOf<'error.usage'>().toExtend<MessageCode>();
    expectTypeOf<'senza.no-such-code'>().not.toExtend<MessageCode>();
    // senza's CLI catalog and the kit's are no part of the engine's program.
    expectTypeOf<'senza.diff-none'>().not.toExtend<MessageCode>();
    expectTypeOf<'cli.usage'>().not.toExtend<MessageCode>();
    expectTypeOf<StupsError['code']>().toEqualTypeOf<MessageCode>();
  });

  it('EngineCodes, what the CLIs compile with, lists every catalog of the engine', () => {
    expectTypeOf<keyof EngineCodes>().toEqualTypeOf<MessageCode>();
  });

  it('notify, withSpan and a span’s progress refuse an unregistered code', async () => {
    const host = new RecordingHost();
    host.notify({ level: 'info', code: 'senza.wait-waiting', text: 'registered' });
    // @ts-expect-error not registered anywhere
    host.notify({ level: 'info', code: 'senza.no-such-code', text: '' });
    // @ts-expect-error a senza CLI code: the engine cannot emit it
    host.notify({ level: 'info', code: 'senza.diff-none', text: '' });
    // @ts-expect-error not registered anywhere
    await withSpan(host, { code: 'senza.no-such-span', text: '' }, async () => {});
    await withSpan(host, { code: 'senza.respawn-suspend', text: '' }, async (span) => {
      // @ts-expect-error not registered anywhere
      span.progress({ code: 'senza.no-such-check', text: '' });
    });
    // The types refuse them; at run time a message is a message.
    expect(host.codes()).toContain('senza.no-such-check');
  });

  it("a message's data holds the keys its catalog entry documents", async () => {
    const recording = new RecordingHost();
    const host: IoHost = recording;
    host.notify({ level: 'info', code: 'senza.wait-ok', text: '', data: { stacks: [] } });
    // @ts-expect-error senza.wait-ok documents `stacks`, not `stack`
    host.notify({ level: 'info', code: 'senza.wait-ok', text: '', data: { stack: 'app-1' } });
    // @ts-expect-error senza.respawn-suspend documents `asgName` only
    await withSpan(host, { code: 'senza.respawn-suspend', text: '', data: { asg: 'g' } }, async (span) => {
      // @ts-expect-error senza.wait-waiting documents remainingSeconds and stacks
      span.progress({ code: 'senza.wait-waiting', text: '', data: { remaining: 1 } });
    });
    // A code chosen among several: the keys of any of them.
    const code = recording.messages.length > 0 ? ('senza.wait-ok' as const) : ('senza.wait-event' as const);
    host.notify({ level: 'info', code, text: '', data: { logicalId: 'Lb' } });
    // @ts-expect-error neither documents `nope`
    host.notify({ level: 'info', code, text: '', data: { nope: 1 } });
    expect(recording.codes()).toContain('senza.wait-waiting');
  });

  it("a message's level is its catalog entry's (or one of its `levels`); a span's code is at level info", async () => {
    const recording = new RecordingHost();
    const host: IoHost = recording;
    host.notify({ level: 'warn', code: 'senza.elb-internet-facing', text: '' });
    // @ts-expect-error senza.elb-internet-facing is a warning
    host.notify({ level: 'info', code: 'senza.elb-internet-facing', text: '' });
    // @ts-expect-error senza.wait-ok is info
    host.notify({ level: 'error', code: 'senza.wait-ok', text: '' });
    // senza.stack-done: info when the stack is what the operation wanted, else error; never a warning.
    host.notify({ level: 'error', code: 'senza.stack-done', text: '' });
    // @ts-expect-error not one of senza.stack-done's levels
    host.notify({ level: 'warn', code: 'senza.stack-done', text: '' });
    // @ts-expect-error a warning cannot be a span
    await withSpan(host, { code: 'senza.elb-internet-facing', text: '' }, async () => {});
    expect(recording.messages.map((m) => m.level)).toEqual(['warn', 'info', 'error', 'error', 'warn', 'info', 'info']);
  });

  it('the typed errors refuse an unregistered code', () => {
    const errors = [
      // @ts-expect-error not registered anywhere
      new UsageError('x', { code: 'senza.no-such-code' }),
      // @ts-expect-error not registered anywhere
      new OperationError('x', { code: 'senza.no-such-code' }),
      // @ts-expect-error not registered anywhere
      new AwsError('CloudFormation', 'DescribeStacks', 'x', { code: 'senza.no-such-code' }),
      // @ts-expect-error not registered anywhere
      new DefinitionError('x', {}, { code: 'senza.no-such-code' }),
      // @ts-expect-error not registered anywhere
      new AuthError('x', { code: 'senza.no-such-code' }),
      // @ts-expect-error not registered anywhere
      new NotFoundError('x', { code: 'senza.no-such-code' }),
      // @ts-expect-error not registered anywhere
      new AbortedError('x', { code: 'senza.no-such-code' }),
      // @ts-expect-error not registered anywhere
      new InterruptedError('x', { code: 'senza.no-such-code' }),
      // @ts-expect-error not registered anywhere
      new StupsError('senza.no-such-code', 1, 'x'),
      // @ts-expect-error a senza CLI code: the engine cannot raise it
      new UsageError('x', { code: 'senza.scale-capacity-missing' }),
      new NotFoundError('x', { code: 'senza.asg-not-found' }),
    ];
    expect(errors.map((e) => e.code).at(-1)).toBe('senza.asg-not-found');
  });
});
