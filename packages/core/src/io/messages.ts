/**
 * The engine never writes to the console. It emits messages to a host, which renders them for a TTY,
 * for CI logs, as JSON lines, or records them in tests.
 */
export type MessageLevel = 'debug' | 'info' | 'warn' | 'error' | 'result';

export interface Message {
  level: MessageLevel;
  /** Stable code, e.g. `senza.elb.internet-facing`. Tests assert on it. */
  code: string;
  text: string;
  data?: Record<string, unknown>;
}

export interface IoHost {
  notify(message: Message): void;
}

/** A host that drops everything (library use without a host). */
export const silentHost: IoHost = { notify() {} };

/** A host that keeps every message, for tests and for callers that render later. */
export class RecordingHost implements IoHost {
  readonly messages: Message[] = [];
  notify(message: Message): void {
    this.messages.push(message);
  }
  codes(): string[] {
    return this.messages.map((m) => m.code);
  }
}
