import type { IoHost } from '../../../io/messages.js';

/**
 * The original's progress lines (`Creating Cloud Formation stack test-1.. OK`) as messages: a start,
 * messages emitted in between (shown inline, like clickclick's `Action`), and an end whose text is
 * `OK`, a verdict such as `NO UPDATE`, or empty when a warning already closed the line.
 */
export const ACTION_CODE = 'senza.action';

// Actions do not nest: one id names the open one.
const ACTION_SPAN = ACTION_CODE;

export function startAction(host: IoHost, text: string, data: Record<string, unknown> = {}): void {
  host.notify({
    level: 'info',
    code: ACTION_CODE,
    text,
    data: { ...data, phase: 'start' },
    span: { id: ACTION_SPAN, phase: 'start' },
  });
}

/** `verdict` is `OK`, `FAILED`, or what the original prints instead (`NO UPDATE`, `NO CHANGES`). */
export function endAction(host: IoHost, verdict = 'OK', data: Record<string, unknown> = {}): void {
  const outcome = verdict === 'OK' || verdict === '' ? 'ok' : verdict === 'FAILED' ? 'failed' : 'skipped';
  host.notify({
    level: 'info',
    code: ACTION_CODE,
    text: verdict,
    data: { ...data, phase: 'end' },
    span: { id: ACTION_SPAN, phase: 'end', outcome },
  });
}

/** Python's `repr` of the plain values the original prints (strings, numbers, lists, dicts). */
export function pythonRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    const quote = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v
      .replaceAll('\\', '\\\\')
      .replaceAll('\n', '\\n')
      .replaceAll('\t', '\\t')
      .replaceAll(quote, `\\${quote}`);
    return `${quote}${body}${quote}`;
  }
  if (Array.isArray(v)) return `[${v.map(pythonRepr).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pythonRepr(k)}: ${pythonRepr(x)}`)
      .join(', ')}}`;
  return String(v);
}
