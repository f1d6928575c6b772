import { OperationError } from '../errors.js';

/** What an ordinary file-system condition means for the person, by errno. */
const FILE_CONDITIONS: Record<string, { what: string; fix: string }> = {
  EACCES: {
    what: 'permission denied',
    fix: 'give yourself access to it (or to its directory), e.g. with chmod or chown',
  },
  EPERM: {
    what: 'operation not permitted',
    fix: 'give yourself access to it (or to its directory), e.g. with chmod or chown',
  },
  EROFS: { what: 'the file system is read-only', fix: 'point the tool at a writable location' },
  EISDIR: { what: 'it is a directory, not a file', fix: 'move the directory away' },
  ENOTDIR: { what: 'a part of the path is a file, not a directory', fix: 'move that file away' },
  ENOSPC: { what: 'no space left on the device', fix: 'free some space' },
  EDQUOT: { what: 'disk quota exceeded', fix: 'free some space' },
  ELOOP: { what: 'too many symbolic links', fix: 'replace the symbolic link with the file' },
  EMFILE: { what: 'too many open files', fix: 'raise the limit (ulimit -n)' },
};

const SYSCALL_VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the directory',
  rename: 'replace',
  unlink: 'remove',
  rmdir: 'remove',
  chmod: 'change the mode of',
  scandir: 'list',
  link: 'create',
  symlink: 'create',
};

/**
 * An ordinary file-system condition (a read-only directory, a directory where a file should be) is no
 * bug: one line naming the file and the fix, exit 1. `path` names the file when the error does not
 * (a read of a directory); a temp file next to the target names the target (`.config.json.<hex>.tmp`
 * is `config.json`). undefined for anything else.
 */
export function fileError(e: unknown, path?: string): OperationError | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof err.code !== 'string') return undefined;
  const condition = FILE_CONDITIONS[err.code];
  const named = path ?? err.path;
  if (!condition || typeof named !== 'string') return undefined;
  const file = named.replace(/\/\.([^/]+)\.[0-9a-f]+\.tmp$/, '/$1');
  const verb = SYSCALL_VERBS[err.syscall ?? ''] ?? 'use';
  return new OperationError(`Cannot ${verb} ${file}: ${condition.what} (${err.code})`, {
    code: 'file.error',
    hint: `Check ${file} and ${condition.fix}; then run the command again.`,
    cause: e,
    data: { path: file, errno: err.code },
  });
}
