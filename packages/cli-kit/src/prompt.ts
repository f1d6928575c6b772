import { createInterface } from 'node:readline/promises';
import { InterruptedError, UsageError } from '@stups/core/errors';
import type { CliContext } from './cli-context.js';

/**
 * Prompts are only shown on a TTY; off a TTY a missing answer is an error that names the flag that
 * answers it.
 */
export async function ask(
  cli: CliContext,
  question: string,
  fallback?: string,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  const rl = createInterface({ input, output: cli.host.stderr as NodeJS.WritableStream });
  try {
    const answer = (
      await rl.question(`${question}${fallback !== undefined && fallback !== '' ? ` [${fallback}]` : ''}: `)
    ).trim();
    return answer === '' ? (fallback ?? '') : answer;
  } catch (e) {
    // Ctrl-C at a prompt arrives as a key (the terminal is in raw mode), and readline rejects the
    // question with an AbortError: an interruption like Ctrl-C anywhere else (exit 130), not a bug.
    if ((e as { code?: unknown }).code === 'ABORT_ERR') throw new InterruptedError('Interrupted.', { cause: e });
    throw e;
  } finally {
    rl.close();
  }
}

/** A yes/no question; `yes` (the flag that answers it) skips it; off a TTY without `yes`, a usage error. */
export async function confirm(
  cli: CliContext,
  question: string,
  flag: string,
  yes: boolean,
  defaultYes = false,
): Promise<boolean> {
  if (yes) return true;
  if (!cli.interactive) {
    throw new UsageError(`${question} (no terminal to ask)`, {
      code: 'cli.prompt-unavailable',
      hint: `Pass ${flag} to answer yes.`,
    });
  }
  const answer = (await ask(cli, `${question} ${defaultYes ? '[Y/n]' : '[y/N]'}`)).toLowerCase();
  return answer === '' ? defaultYes : answer === 'y' || answer === 'yes';
}
