import { EXIT } from '../errors.js';
import type { CodesOf } from './message-codes.js';
import type { MessageCatalog } from './messages.js';

/** The error hierarchy's default codes and internal errors. */
export const CORE_MESSAGES = {
  'error.aborted': {
    level: 'error',
    exitCode: EXIT.INTERRUPTED,
    description: 'The user stopped the operation (a declined prompt may exit 1 instead).',
  },
  'error.auth': { level: 'error', exitCode: EXIT.AUTH, description: 'Missing, expired or insufficient credentials.' },
  'error.aws': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'An AWS call failed: names the service, operation and resource.',
  },
  'error.definition': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description:
      'A broken Senza definition (a DefinitionError without a code of its own): file:line, key path, the fix.',
  },
  'error.failed': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The operation failed (an OperationError without a code of its own).',
  },
  'error.internal': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'An unexpected error (a bug): its stack trace is shown with --debug.',
  },
  'error.interrupted': {
    level: 'error',
    exitCode: EXIT.INTERRUPTED,
    description: 'Ctrl-C stopped the command; the hint says how to resume.',
  },
  'error.not-found': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Something the operation needs does not exist.',
  },
  'error.usage': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Invalid flags, arguments or parameters (a UsageError without a code of its own).',
  },
  'config.invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description:
      "A tool's config file (senza.yaml, pierone.yaml, piu.yaml, zign.yaml) is not a YAML mapping, or a known key has a value it cannot take (`senza config aws.timeout abc`): the file or key and the fix.",
  },
  'file.error': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'An ordinary file-system condition (permission denied, a read-only file system, a directory where a file should be, a full disk): the file and the fix.',
  },
  'file.locked': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'Another process holds the lock of a file we write (config, token store) for longer than we wait, naming its PID.',
  },
  'input.file-too-large': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A definition or parameter file is larger than the limit (10 MB), named in the message.',
  },
  'input.not-utf8': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A definition or parameter file is not UTF-8 text, naming the byte offset of the first bad sequence.',
  },
} satisfies MessageCatalog;

declare module './message-codes.js' {
  interface MessageCodes extends CodesOf<typeof CORE_MESSAGES> {}
}
