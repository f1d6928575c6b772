import type { Message } from '@stups/core';
import { describe, expect, it } from 'vitest';
import { CliHost, type LogFormat } from './cli-host.js';

function stream(isTTY = false) {
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
