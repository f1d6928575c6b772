import { EXIT } from '@stups/core/errors';
import type { MessageCatalog } from '@stups/core/io';
import type { CodesOf } from '@stups/core/io/message-codes';
import type { EngineCodes } from '@stups/core/messages';

/** What every CLI reports: usage errors, prompts, output failures, interruptions. */
export const CLI_MESSAGES = {
  'cli.ambiguous-command': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A command prefix that matches several commands.',
  },
  'cli.output-failed': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Writing to stdout failed (a full disk, ENOSPC, or another write error); a closed pipe is no error.',
  },
  'cli.prompt-unavailable': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A question needs an answer but there is no terminal; the hint names the flag that answers it.',
  },
  'cli.usage': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'commander found invalid usage: an unknown command or option, a missing argument, a bad option value.',
  },
  'cli.unknown-field': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '`-f/--field` names no column of the table; the hint lists the columns.',
  },
  'cli.completion-shell': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '`completion` for a shell other than bash, zsh or fish.',
  },
} satisfies MessageCatalog;

/** The codes every CLI compiles with: the engine's and the kit's (a CLI's catalog adds its own). */
export interface CliKitCodes extends EngineCodes, CodesOf<typeof CLI_MESSAGES> {}

declare module '@stups/core/io/message-codes' {
  interface MessageCodes extends CliKitCodes {}
}
