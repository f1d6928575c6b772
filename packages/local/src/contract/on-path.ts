import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether an executable `name` is in one of PATH's directories (or in `extraDirs`). */
export function onPath(name: string, extraDirs: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): boolean {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  return dirs.some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
