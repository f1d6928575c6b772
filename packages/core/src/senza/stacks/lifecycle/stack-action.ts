import type { MessageData } from '../../../io/message-codes.js';
import type { IoHost } from '../../../io/messages.js';

/**
 * The original's progress lines (`Creating Cloud Formation stack test-1.. OK`) as messages: a start,
 * messages emitted in between (each on a line of its own; the host writes the action's text again for
 * its verdict), and an end whose text is `OK` or a verdict such as `NO UPDATE` or `ALREADY EXISTS`.
 */
export const ACTION_CODE = 'senza.action';
type ActionData = MessageData<typeof ACTION_CODE>;

// Actions do not nest: one id names the open one.
const ACTION_SPAN = ACTION_CODE;

export function startAction(host: IoHost, text: string, data: ActionData = {}): void {
  host.notify({
    level: 'info',
    code: ACTION_CODE,
    text,
    data: { ...data, phase: 'start' },
    span: { id: ACTION_SPAN, phase: 'start' },
  });
}

/** `verdict` is `OK`, `FAILED`, or what the original prints instead (`NO UPDATE`, `NO CHANGES`). */
export function endAction(host: IoHost, verdict = 'OK', data: ActionData = {}): void {
  const outcome = verdict === 'OK' || verdict === '' ? 'ok' : verdict === 'FAILED' ? 'failed' : 'skipped';
  host.notify({
    level: 'info',
    code: ACTION_CODE,
    text: verdict,
    data: { ...data, phase: 'end' },
    span: { id: ACTION_SPAN, phase: 'end', outcome },
  });
}
