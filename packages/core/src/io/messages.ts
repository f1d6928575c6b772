import { AbortedError } from '../errors.js';
import type { MessageCode, MessageData, MessageLevelOf, SpanCode } from './message-codes.js';

/**
 * The engine never writes to the console. It emits messages to a host, which renders them for a TTY,
 * for CI logs, as JSON lines, or records them in tests.
 */
export type MessageLevel = 'debug' | 'info' | 'warn' | 'error' | 'result';

/**
 * A step that takes time ("Setting weights for app.example.org.. OK"). A host shows `start` and the
 * matching `end` on one line on a TTY, as two append-only lines elsewhere. A long step reports each
 * check it makes as `progress` (a text host adds a dot to the step's line: `Scaling to 4 instances....`).
 */
export interface MessageSpan {
  /** Unique within one run; the `progress` and `end` messages repeat the `start` message's id. */
  id: string;
  phase: 'start' | 'progress' | 'end';
  /** Only on `end`. */
  outcome?: 'ok' | 'failed' | 'skipped';
}

export interface Message {
  level: MessageLevel;
  /**
   * Stable code, e.g. `senza.elb-internet-facing`, registered in a message catalog (a code no catalog of
   * the program registers does not compile, see message-codes.ts). Tests assert on it.
   */
  code: MessageCode;
  text: string;
  data?: Record<string, unknown>;
  span?: MessageSpan;
}

/**
 * A message as an emitter writes it: `data` holds only the keys the code's catalog entry documents
 * (a literal code is checked against its entry; a code chosen among several against any of theirs).
 */
export type EmittedMessage<Code extends MessageCode> = Omit<Message, 'code' | 'data' | 'level'> & {
  level: MessageLevelOf<Code>;
  code: Code;
  data?: MessageData<Code>;
};

/** What a span's `start` (and each `progress`) message says: a code, its text and the entry's data. */
export interface SpanMessage<Code extends SpanCode> {
  code: Code;
  text: string;
  data?: MessageData<Code>;
}

export interface IoHost {
  notify<Code extends MessageCode>(message: EmittedMessage<Code>): void;
}

/**
 * What a message code means, for the generated docs page and the check that every emitted code is
 * registered. Each engine area keeps its own catalog next to its code (`*-messages.ts`).
 */
export interface MessageDefinition {
  level: MessageLevel;
  /** Every level the code is emitted at, for a code whose outcome decides it (`level` is the usual one). */
  levels?: readonly MessageLevel[];
  /** One line: when the engine emits it. */
  description: string;
  /** The keys of `data`, with their meaning, when the message carries data. */
  data?: Record<string, string>;
  /** Set for the `code` of a typed error (reported by the CLI's handler): the exit code it ends with. */
  exitCode?: number;
}

export type MessageCatalog = Record<string, MessageDefinition>;

/** A host that drops everything (library use without a host). */
export const silentHost: IoHost = { notify() {} };

/** A host that keeps every message, for tests and for callers that render later. */
export class RecordingHost implements IoHost {
  readonly messages: Message[] = [];
  notify(message: Message): void {
    this.messages.push(message);
  }
  codes(): MessageCode[] {
    return this.messages.map((m) => m.code);
  }
}

let spanCounter = 0;

/** What a span's work may say about the span: skipped (with a verdict), or a check made meanwhile. */
export interface SpanControl {
  skip(text?: string): void;
  progress<Code extends SpanCode>(message: SpanMessage<Code>): void;
}

/**
 * Runs `work` as a span: a `start` message with `code` and `text`, then an `end` message with the
 * outcome (`ok`, or `failed` when `work` throws, with the text `INTERRUPTED` for Ctrl-C; the error is
 * re-thrown for the one handler).
 * `work` may return `'skipped'` in `outcome` to end the span as skipped (e.g. "not changed").
 */
export async function withSpan<T, Code extends SpanCode = SpanCode>(
  host: IoHost,
  message: SpanMessage<Code>,
  work: (span: SpanControl) => Promise<T>,
): Promise<T> {
  const id = `${message.code}#${++spanCounter}`;
  // A span's code is one emitted at info (SpanCode); TypeScript does not narrow the level of a generic code.
  const level = 'info' as MessageLevelOf<Code>;
  host.notify({ level, ...message, span: { id, phase: 'start' } });
  let skipped: string | undefined;
  try {
    const result = await work({
      skip: (text = 'skipped') => {
        skipped = text;
      },
      progress: (m) =>
        host.notify({ level: 'info' as MessageLevelOf<typeof m.code>, ...m, span: { id, phase: 'progress' } }),
    });
    host.notify({
      level,
      code: message.code,
      text: skipped ?? 'OK',
      data: message.data,
      span: { id, phase: 'end', outcome: skipped === undefined ? 'ok' : 'skipped' },
    });
    return result;
  } catch (e) {
    host.notify({
      level,
      code: message.code,
      text: e instanceof AbortedError ? 'INTERRUPTED' : 'FAILED',
      data: message.data,
      span: { id, phase: 'end', outcome: 'failed' },
    });
    throw e;
  }
}
