import type { IoHost, Message } from './messages.js';

export interface StreamHostOptions {
  /** Where progress, warnings and errors go (stderr). */
  stream: { write(s: string): unknown; isTTY?: boolean };
  color: boolean;
  /** Show debug messages. */
  debug?: boolean;
  /** Render each message as a JSON line instead of text. */
  json?: boolean;
}

const COLORS = { warn: '\u001b[1;33m', error: '\u001b[1;31m', info: '', debug: '\u001b[2m', result: '' } as const;
const RESET = '\u001b[0m';

/** Renders engine messages to a stream: text (coloured on a TTY) or JSON lines. */
export class StreamHost implements IoHost {
  constructor(private readonly options: StreamHostOptions) {}

  notify(m: Message): void {
    if (m.level === 'debug' && !this.options.debug) return;
    if (this.options.json) {
      this.options.stream.write(`${JSON.stringify(m)}\n`);
      return;
    }
    const prefix = m.level === 'warn' ? 'Warning: ' : m.level === 'error' ? 'Error: ' : '';
    const text = `${prefix}${m.text}`;
    const color = this.options.color ? COLORS[m.level] : '';
    this.options.stream.write(color ? `${color}${text}${RESET}\n` : `${text}\n`);
  }
}

/** Colour only on a TTY, never with NO_COLOR (https://no-color.org), never in CI logs unless forced. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}
