import { EXIT, isStupsError, type StupsError } from '../errors.js';
import { fileError } from '../fs/file-error.js';
import type { MessageCode } from './message-codes.js';

export interface ErrorReport {
  /** One line: what went wrong. */
  message: string;
  hint?: string;
  code: MessageCode;
  exitCode: number;
  /** Stack trace (only shown with --debug). */
  stack?: string;
}

/**
 * Maps any thrown value to the one-line report every CLI prints. Typed errors keep their code,
 * hint and exit code; anything else is an internal error (exit 1) whose stack is shown with --debug.
 */
export function describeError(e: unknown): ErrorReport {
  if (isStupsError(e)) {
    const err = e as StupsError;
    return { message: err.message, hint: err.hint, code: err.code, exitCode: err.exitCode, stack: err.stack };
  }
  const file = fileError(e);
  if (file) return { ...describeError(file), stack: (e as Error).stack };
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    message: `Unknown error: ${err.message}`,
    hint: 'This is a bug in stups-ts. Run again with --debug and report the stack trace.',
    code: 'error.internal',
    exitCode: EXIT.FAILED,
    stack: err.stack,
  };
}
