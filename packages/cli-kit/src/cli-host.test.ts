import { type Message, withSpan } from '@stups/core';
import type { MessageDefinition } from '@stups/core/io';
import { describe, expect, it } from 'vitest';
import { CliHost, type LogFormat } from './cli-host.js';

function stream(isTTY: boolean) {
  const s = {
    text: '',
    isTTY,
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
  };
  return s;
}

function streams(tty = false) {
  return { out: stream(tty), err: stream(tty) };
}

describe('CliHost', () => {
  it('results go to stdout; progress, warnings and errors to stderr', () => {
    const { out, err } = streams();
    const host = new CliHost({ stdout: out, stderr: err, env: {} });
    host.notify({ level: 'result', code: 't.result', text: 'the answer' });
    host.notify({ level: 'info', code: 't.info', text: 'working' });
    host.notify({ level: 'warn', code: 't.warn', text: 'careful' });
    host.notify({ level: 'debug', code: 't.debug', text: 'hidden without --debug' });
    expect(out.text).toBe('the answer\n');
    expect(err.text).toBe('working\nWarning: careful\n');
  });

  it("a span's progress is a dot on its line; as JSON lines, a message of its own", async () => {
    const { out, err } = streams();
    const host = new CliHost({ stdout: out, stderr: err, env: {} });
    await withSpan(host, { code: 't.scale', text: 'Scaling to 4 instances..' }, async (span) => {
      span.progress({ code: 't.check', text: '3/4 in service' });
      span.progress({ code: 't.check', text: '4/4 in service' });
    });
    expect(err.text).toBe('Scaling to 4 instances.... OK\n');
    const json = streams();
    const jsonHost = new CliHost({ stdout: json.out, stderr: json.err, env: {}, logFormat: 'json' });
    await withSpan(jsonHost, { code: 't.scale', text: 'Scaling..' }, async (span) =>
      span.progress({ code: 't.check', text: '3/4 in service' }),
    );
    expect(json.err.text.split('\n')[1]).toContain('"code":"t.check","text":"3/4 in service"');
  });

  it('a span is one line `text.. OK`; a note inside gets its own line, then the span its verdict', async () => {
    const { out, err } = streams();
    const host = new CliHost({ stdout: out, stderr: err, env: {} });
    await withSpan(host, { code: 't.weights', text: 'Calculating new weights..' }, async () => {});
    await withSpan(host, { code: 't.set', text: 'Setting weights for a.example.org..' }, async (span) =>
      span.skip('not changed'),
    );
    await expect(
      withSpan(host, { code: 't.fail', text: 'Sending..' }, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await withSpan(host, { code: 't.note', text: 'Creating..' }, async () => {
      host.notify({ level: 'info', code: 't.dry', text: '**DRY-RUN**' });
    });
    expect(err.text).toBe(
      'Calculating new weights.. OK\nSetting weights for a.example.org.. not changed\nSending.. FAILED\nCreating..\n**DRY-RUN**\nCreating.. OK\n',
    );
  });

  it('a warning inside a span does not swallow its verdict, on a terminal and off it', async () => {
    for (const tty of [false, true]) {
      const { out, err } = streams(tty);
      const host = new CliHost({ stdout: out, stderr: err, env: { NO_COLOR: '1' } });
      await withSpan(host, { code: 't.generate', text: 'Generating Cloud Formation template..' }, async () => {
        host.notify({ level: 'warn', code: 't.elb', text: 'You are deploying an internet-facing ELB' });
      });
      await withSpan(host, { code: 't.scale', text: 'Scaling..' }, async (span) => {
        span.progress({ code: 't.check', text: '1/2' });
        host.notify({ level: 'warn', code: 't.slow', text: 'slow' });
        span.progress({ code: 't.check', text: '2/2' });
      });
      await expect(
        withSpan(host, { code: 't.send', text: 'Sending..' }, async () => {
          host.notify({ level: 'warn', code: 't.retry', text: 'retrying' });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(err.text).toBe(
        [
          'Generating Cloud Formation template..',
          'Warning: You are deploying an internet-facing ELB',
          'Generating Cloud Formation template.. OK',
          'Scaling...',
          'Warning: slow',
          'Scaling... OK',
          'Sending..',
          'Warning: retrying',
          'Sending.. FAILED',
          '',
        ].join('\n'),
      );
    }
  });

  it('colour only on a TTY and never with NO_COLOR', async () => {
    const tty = streams(true);
    await withSpan(
      new CliHost({ stdout: tty.out, stderr: tty.err, env: {} }),
      { code: 't.span', text: 'A..' },
      async () => {},
    );
    expect(tty.err.text).toBe('A.. \u001b[1;32mOK\u001b[0m\n');
    const plain = streams(true);
    const host = new CliHost({ stdout: plain.out, stderr: plain.err, env: { NO_COLOR: '1' } });
    await withSpan(host, { code: 't.span', text: 'A..' }, async () => {});
    expect(plain.err.text).toBe('A.. OK\n');
    expect(new CliHost({ stdout: plain.out, stderr: plain.err, env: { CI: 'true' } }).live).toBe(false);
    expect(host.live).toBe(true);
  });

  it('--log-format json: every message on stderr is a JSON line with its code', async () => {
    const { out, err } = streams();
    const host = new CliHost({ stdout: out, stderr: err, env: {}, logFormat: 'json' });
    await withSpan(host, { code: 't.step', text: 'Step..' }, async () => {
      host.notify({ level: 'warn', code: 't.warn', text: 'careful', data: { n: 1 } });
    });
    host.error({ message: 'Stack x not found', code: 't.not-found', exitCode: 1, hint: 'Check the name.' });
    const lines = err.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.code)).toEqual(['t.step', 't.warn', 't.step', 't.not-found']);
    expect(lines[1]).toMatchObject({ level: 'warn', text: 'careful', data: { n: 1 } });
    expect(lines[2].span).toMatchObject({ phase: 'end', outcome: 'ok' });
    expect(lines[3]).toMatchObject({ level: 'error', data: { hint: 'Check the name.', exitCode: 1 } });
    expect(out.text).toBe('');
  });

  it('control characters in message text are escaped; newlines stay', () => {
    const { out, err } = streams();
    const host = new CliHost({ stdout: out, stderr: err, env: {} });
    host.notify({ level: 'info', code: 't.text', text: 'stack \u001b[2Jname\r\nnext' });
    host.error({ message: 'bad \u0007 bell', code: 't.error', exitCode: 1 });
    expect(err.text).toBe('stack \\x1b[2Jname\\r\nnext\nError: bad \\x07 bell\n');
  });

  it('the error handler ends an open span with the message, or FAILED for an internal error', () => {
    const { out, err } = streams();
    const host = new CliHost({ stdout: out, stderr: err, env: {} });
    host.notify({ level: 'info', code: 't.create', text: 'Creating x-1..', span: { id: 'a', phase: 'start' } });
    host.error({ message: 'Stack x-1 already exists.', code: 't.exists', exitCode: 1, hint: 'Use another version.' });
    host.notify({ level: 'info', code: 't.read', text: 'Reading..', span: { id: 'b', phase: 'start' } });
    host.error({ message: 'Unknown error: oops', code: 'error.internal', exitCode: 1 });
    expect(err.text).toBe(
      'Creating x-1.. Stack x-1 already exists.\nHint: Use another version.\nReading.. FAILED\nError: Unknown error: oops\n',
    );
  });
});

/** The codes these tests make up (`t.…`, with any data), registered as a catalog registers its own. */
function host(logFormat: LogFormat = 'text', tty = false) {
  const out = stream(tty);
  const err = stream(tty);
  return { out, err, host: new CliHost({ stdout: out, stderr: err, env: {}, logFormat }) };
}

const weights: Message = {
  level: 'warn',
  code: 't.not-applied',
  text: 'These new weights were NOT applied:',
  data: { rows: ['a 50', 'b 50'] },
};

/** A renderer as a command registers one: the message as usual, then a table of its data below it. */
function withTable(h: CliHost) {
  return h.render('t.not-applied', (m, writeDefault) => {
    const rows = m.data?.rows as string[] | undefined;
    if (!rows) return false;
    writeDefault();
    h.say(`${rows.join('\n')}\n`);
    return true;
  });
}

describe('CliHost renderers per message code', () => {
  it('text: the registered renderer draws the message; other codes are written as usual', () => {
    const { out, err, host: h } = host();
    withTable(h);
    h.notify(weights);
    h.notify({ level: 'info', code: 't.other', text: 'unrelated' });
    expect(err.text).toBe('Warning: These new weights were NOT applied:\na 50\nb 50\nunrelated\n');
    expect(out.text).toBe('');
  });

  it('text: a renderer that declines falls back to the default', () => {
    const { err, host: h } = host();
    withTable(h);
    h.notify({ ...weights, data: undefined });
    expect(err.text).toBe('Warning: These new weights were NOT applied:\n');
  });

  it('text: a renderer that draws nothing drops the message; on a live terminal it may redraw a board', () => {
    const { err, host: h } = host('text', true);
    const seen: string[] = [];
    h.render('t.event', (m) => {
      seen.push(m.text);
      h.redraw(seen);
      return true;
    });
    h.render('t.done', () => true);
    h.notify({ level: 'info', code: 't.event', text: 'one' });
    h.notify({ level: 'info', code: 't.event', text: 'two' });
    h.notify({ level: 'info', code: 't.done', text: 'finished' });
    expect(err.text).toBe('one\n\u001b[1A\u001b[Jone\ntwo\n');
  });

  it('json: every message is written as it is, whatever the renderer', () => {
    const { err, host: h } = host('json');
    let calls = 0;
    h.render('t.not-applied', () => {
      calls++;
      return true;
    });
    h.notify(weights);
    h.notify({ level: 'info', code: 't.done', text: 'finished' });
    expect(calls).toBe(0);
    expect(err.text).toBe(
      `${JSON.stringify(weights)}\n${JSON.stringify({ level: 'info', code: 't.done', text: 'finished' })}\n`,
    );
  });

  it('the function render returns removes the renderer, restoring the one it replaced', () => {
    const { err, host: h } = host();
    const stopTable = withTable(h);
    const stopQuiet = h.render('t.not-applied', () => true);
    h.notify(weights);
    expect(err.text).toBe('');
    stopQuiet();
    h.notify(weights);
    expect(err.text).toBe('Warning: These new weights were NOT applied:\na 50\nb 50\n');
    stopTable();
    h.notify(weights);
    expect(err.text).toBe(
      'Warning: These new weights were NOT applied:\na 50\nb 50\nWarning: These new weights were NOT applied:\n',
    );
  });

  it('a debug message stays hidden without --debug, renderer or not', () => {
    const { err, host: h } = host();
    let calls = 0;
    h.render('t.debug', () => {
      calls++;
      return false;
    });
    h.notify({ level: 'debug', code: 't.debug', text: 'hidden' });
    expect(calls).toBe(0);
    expect(err.text).toBe('');
  });
});

declare module '@stups/core/io/message-codes' {
  interface MessageCodes {
    [code: `t.${string}`]: MessageDefinition & { data: Record<string, string> };
  }
}
