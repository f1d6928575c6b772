import { NotFoundError } from '../../errors.js';
import { matchesRef, type StackRef } from './stack-ref.js';

/**
 * A ref that looks like a definition file (`*.yaml`/`*.yml`), could not be read as one and matched
 * nothing was most likely a typo of a file name: fail like the original instead of printing nothing.
 */
export function assertRefFilesExist(refs: StackRef[], stackNames: Iterable<string>): void {
  const names = [...stackNames];
  for (const ref of refs) {
    if (!/\.ya?ml$/.test(ref.name)) continue;
    if (names.some((n) => matchesRef(n, ref))) continue;
    throw new NotFoundError(`Could not open file '${ref.name}': No such file or directory`, {
      code: 'senza.stack-ref-file-missing',
    });
  }
}
