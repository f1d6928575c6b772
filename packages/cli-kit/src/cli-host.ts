import { type EmittedMessage, type IoHost, type Message, type MessageCode, useColor } from '@stups/core/io';
import { escapeControl } from './terminal-text.js';

export type LogFormat = 'text' | 'json';
export const LOG_FORMATS = ['text', 'json'] as const;
/** What each `--log-format` is, for completion. */
export const LOG_FORMAT_HELP: Readonly<Record<LogFormat, string>> = {
  text: 'messages as lines for people',
  json: 'one JSON line per message, with its code (for CI)',
};

/**
 * The options every tool has, with the help text `--help` and zsh completion show. A tool whose `--debug`
 * shows more than stack traces says what in `ToolSpec.debugHelp`.
 */
export const GLOBAL_OPTION_HELP = {
  '--debug': 'show stack traces on errors',
  '--log-format': 'messages on stderr as text, or as JSON lines (for CI)',
  '--help': 'show help',
  '--version': 'print the version and exit',
} as const;

/** The global options' help of a tool whose `--debug` says `debugHelp`. */
export function globalOptionHelp(debugHelp?: string): Record<keyof typeof GLOBAL_OPTION_HELP, string> {
  return { ...GLOBAL_OPTION_HELP, '--debug': debugHelp ?? GLOBAL_OPTION_HELP['--debug'] };
}

export interface TextStream {
  write(s: string): unknown;
  isTTY?: boolean;
  /** A terminal's width. */
  columns?: number;
}

export interface CliHostOptions {
  stdout: TextStream;
  stderr: TextStream;
  env: NodeJS.ProcessEnv;
  debug?: boolean;
  logFormat?: LogFormat;
}

const STYLE = {
  warn: '\u001b[1;33m',
  error: '\u001b[1;31m',
  ok: '\u001b[1;32m',
  debug: '\u001b[2m',
} as const;
const RESET = '\u001b[0m';

/**
 * How the messages of one code look in the text log format, registered by a command on the host
 * (`CliHost.render`). It draws with the host (`say`, `redraw`, `print`); `writeDefault` writes the
 * message as the host would without a renderer (a renderer that adds a table below it calls it first).
 * It returns true when it has drawn the message (drawing nothing drops it), false to decline: the host
 * then writes the message as usual, so a renderer that declines must not have written anything.
 */
export type MessageRenderer = (message: Message, writeDefault: () => void) => boolean;

/** What the error handler reports: one line, its code, the hint, the exit code. */
export interface ErrorLine {
  message: string;
  code: MessageCode;
  hint?: string;
  exitCode: number;
}

/**
 * The one CLI host: renders engine messages for a person or a CI log. Results go to stdout;
 * progress, warnings and errors to stderr. A span is one line, `text.. OK` (or `FAILED`, or the
 * verdict the engine gives): the start is written without a newline, messages that come while it
 * is open continue the line (warnings in colour, as the original's actions), the end closes it.
 * Nothing is ever rewritten except by `redraw` on a live terminal, so the output off a TTY or with
 * `CI` is append-only. With `--log-format json`, every message on stderr is one JSON line
 * (level, code, text, data, span). Colour only on a TTY without NO_COLOR; control characters in
 * message text are escaped. A command shapes how one code looks in the text format by registering a
 * renderer for it (`render`), as aws-cdk-cli's CliIoHost: the engine gets this host itself, never a
 * wrapper that intercepts codes.
 */
export class CliHost implements IoHost {
  readonly stdout: TextStream;
  readonly stderr: TextStream;
  readonly debug: boolean;
  readonly logFormat: LogFormat;
  /** Live progress: a terminal, and not a CI log. */
  readonly live: boolean;
  private readonly color: boolean;
  /**
   * The span whose line is being written: its text, and whether a message inside it broke the line (the
   * text is written again before the next dot or the verdict, so that every span ends `text.. OK`).
   */
  private open?: { id: string; text: string; broken: boolean };
  private liveLines = 0;
  private readonly renderers = new Map<MessageCode, MessageRenderer>();

  constructor(options: CliHostOptions) {
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.debug = Boolean(options.debug);
    this.logFormat = options.logFormat ?? 'text';
    this.live = Boolean(options.stderr.isTTY) && !options.env.CI;
    this.color = useColor(options.stderr, options.env);
    this.stdoutColor = useColor(options.stdout, options.env);
  }

  /** Whether stdout takes colour (a terminal without NO_COLOR), for renderers of results. */
  readonly stdoutColor: boolean;

  /**
   * Registers how messages of `code` look in the text log format (the latest registration of a code
   * wins); the returned function removes it again, restoring the one it replaced.
   */
  render(code: MessageCode, renderer: MessageRenderer): () => void {
    const previous = this.renderers.get(code);
    this.renderers.set(code, renderer);
    return () => {
      if (this.renderers.get(code) !== renderer) return;
      if (previous) this.renderers.set(code, previous);
      else this.renderers.delete(code);
    };
  }

  notify<Code extends MessageCode>(m: EmittedMessage<Code>): void {
    if (m.level === 'debug' && !this.debug) return;
    // --log-format json writes every message as it is: renderers draw the text format only.
    const renderer = this.logFormat === 'json' ? undefined : this.renderers.get(m.code);
    if (renderer?.(m, () => this.write(m))) return;
    this.write(m);
  }

  /** A message as the host writes it without a renderer. */
  private write(m: Message): void {
    if (m.level === 'result') {
      this.print(`${escapeControl(m.text)}\n`);
      return;
    }
    if (this.logFormat === 'json') {
      this.stderr.write(`${JSON.stringify(m)}\n`);
      return;
    }
    const text = escapeControl(m.text);
    if (m.span?.phase === 'start') {
      this.closeLine();
      this.stderr.write(text);
      this.open = { id: m.span.id, text, broken: false };
      return;
    }
    if (m.span?.phase === 'progress') {
      // A check within a long step: a dot on its line, as the originals' actions (`Scaling to 4 instances....`).
      if (this.open?.id === m.span.id) {
        this.resumeLine();
        this.stderr.write('.');
      }
      return;
    }
    if (m.span?.phase === 'end') {
      const verdict =
        m.span.outcome === 'ok'
          ? this.paint(STYLE.ok, text)
          : m.span.outcome === 'failed'
            ? this.paint(STYLE.error, text)
            : text;
      if (!this.open) {
        // The span's line was closed already (an unrelated message); its verdict stands alone.
        if (text !== '') this.stderr.write(`${verdict}\n`);
        return;
      }
      if (text === '') {
        // No verdict: a message inside already said how it ended.
        if (!this.open.broken) this.stderr.write('\n');
      } else {
        this.resumeLine();
        this.stderr.write(` ${verdict}\n`);
      }
      this.open = undefined;
      return;
    }
    if (this.open && !this.open.broken) {
      // A message inside a span gets a line of its own; the span's line is written again for its verdict.
      this.stderr.write('\n');
      this.open.broken = true;
    }
    const prefix = m.level === 'warn' ? 'Warning: ' : '';
    const style =
      m.level === 'warn' ? STYLE.warn : m.level === 'error' ? STYLE.error : m.level === 'debug' ? STYLE.debug : '';
    this.stderr.write(`${this.paint(style, `${prefix}${text}`)}\n`);
  }

  /** Result text for stdout as the renderer made it (tables keep their own colour codes). */
  print(text: string): void {
    this.stdout.write(text);
  }

  /** Text for stderr that is no message: a prompt's question, a list to choose from. */
  say(text: string): void {
    this.closeLine();
    this.stderr.write(escapeControl(text));
  }

  /**
   * On a live terminal, replaces the lines drawn by the last `redraw` (a progress board); elsewhere
   * callers append lines through messages instead.
   */
  redraw(lines: string[]): void {
    this.closeLine();
    if (this.liveLines > 0) this.stderr.write(`\u001b[${this.liveLines}A\u001b[J`);
    this.stderr.write(`${lines.map(escapeControl).join('\n')}\n`);
    this.liveLines = lines.length;
  }

  /** On a live terminal, clears the screen and shows `text` on stdout (a watched table). */
  replaceScreen(text: string): void {
    this.stdout.write(`\u001b[H\u001b[2J${text}`);
  }

  /**
   * The error handler's report: `Error: …` and the hint (as a JSON line: one `error` message carrying
   * the error's code). A span still open ends with the message instead, or with FAILED for an
   * internal error.
   */
  error(report: ErrorLine, detail?: string): void {
    if (this.open && report.code !== 'error.internal' && this.logFormat === 'text') {
      // A typed error raised while a span is open ends that line with its message, as the
      // originals' actions did (`Creating stack x-1.. Stack x-1 already exists.`).
      this.resumeLine();
      this.stderr.write(` ${this.paint(STYLE.error, escapeControl(report.message))}\n`);
      this.open = undefined;
      if (report.hint) this.stderr.write(`Hint: ${escapeControl(report.hint)}\n`);
      if (detail) this.stderr.write(`${detail}\n`);
      return;
    }
    if (this.open) this.endOpenSpan('FAILED');
    if (this.logFormat === 'json') {
      const data = { hint: report.hint, exitCode: report.exitCode, ...(detail ? { detail } : {}) };
      this.stderr.write(`${JSON.stringify({ level: 'error', code: report.code, text: report.message, data })}\n`);
      return;
    }
    this.stderr.write(`${this.paint(STYLE.error, `Error: ${escapeControl(report.message)}`)}\n`);
    if (report.hint) this.stderr.write(`Hint: ${escapeControl(report.hint)}\n`);
    if (detail) this.stderr.write(`${detail}\n`);
  }

  /** An interruption (Ctrl-C): no `Error:`, only what happened and how to resume. */
  interrupted(report: ErrorLine): void {
    if (this.open) this.endOpenSpan('INTERRUPTED');
    if (this.logFormat === 'json') {
      const data = { hint: report.hint, exitCode: report.exitCode };
      this.stderr.write(`${JSON.stringify({ level: 'warn', code: report.code, text: report.message, data })}\n`);
      return;
    }
    if (report.message) this.stderr.write(`\n${escapeControl(report.message)}\n`);
    if (report.hint) this.stderr.write(`Hint: ${escapeControl(report.hint)}\n`);
  }

  private endOpenSpan(verdict: string): void {
    this.resumeLine();
    this.stderr.write(` ${this.paint(STYLE.error, verdict)}\n`);
    this.open = undefined;
  }

  private closeLine(): void {
    if (this.open) {
      if (!this.open.broken) this.stderr.write('\n');
      this.open = undefined;
    }
  }

  /** Writes the open span's text again after a message broke its line. */
  private resumeLine(): void {
    if (this.open?.broken) {
      this.stderr.write(this.open.text);
      this.open.broken = false;
    }
  }

  private paint(style: string, s: string): string {
    return this.color && style && s ? `${style}${s}${RESET}` : s;
  }
}
