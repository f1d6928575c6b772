import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// stups-local's floors (docs/architecture.md): contract/ (what a service is, links, state files, ports,
// processes) at the bottom; the services (aws/, oauth/, registry/, even/, runtime/) on it; daemon/ (the
// assembly: services.ts, the daemon, lifecycle, commands) and cli/ on top. The AWS layer reads the
// runtime only through the contract's links.
const SRC = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(SRC, join(e.parentPath, e.name)));
}

/** The source folders (first path segment) a module imports from. */
function importedFolders(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const folders = new Set<string>();
  for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
    const target = relative(SRC, join(SRC, dirname(file), m[1] as string));
    folders.add(target.includes('/') ? (target.split('/')[0] as string) : '.');
  }
  return [...folders];
}

function offending(folders: string[], allowed: (folder: string) => boolean): string[] {
  return sources(SRC)
    .filter((f) => folders.includes(f.split('/')[0] as string))
    .flatMap((f) =>
      importedFolders(f)
        .filter((to) => !allowed(to))
        .map((to) => `${f} → ${to}/`),
    );
}

describe("stups-local's layers", () => {
  it('the contract imports nothing above it', () => {
    expect(offending(['contract'], (to) => to === 'contract')).toEqual([]);
  });

  it('no service imports the daemon or the CLI', () => {
    const services = ['aws', 'oauth', 'registry', 'even', 'runtime'];
    expect(offending(services, (to) => to !== 'daemon' && to !== 'cli' && to !== '.')).toEqual([]);
  });

  it('the AWS layer does not import the runtime', () => {
    expect(offending(['aws'], (to) => to !== 'runtime')).toEqual([]);
  });
});
