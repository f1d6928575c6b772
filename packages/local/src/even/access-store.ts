import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { withFileLock, writeFileAtomic } from '@stups/core';

/**
 * even's database on one machine: the access requests in `<state>/even/access-requests.json`,
 * changed only under its lock and written atomically, so that concurrent requests and the expiry
 * job never lose each other's rows, and a restart finds every grant with its expiry. A file that does
 * not parse is never emptied in place: it is moved aside as `access-requests.json.corrupt-<time>`
 * (reported through `onSetAside`), and the new store's ids start above every id the audit log holds.
 */
export type AccessStatus = 'REQUESTED' | 'GRANTED' | 'DENIED' | 'FAILED' | 'EXPIRED' | 'REVOKED';

export interface AccessRow {
  id: number;
  username: string;
  hostname: string;
  reason: string;
  remote_host: string | null;
  status: AccessStatus;
  status_reason: string | null;
  lifetime_minutes: number;
  created: string;
  created_by: string;
  last_modified: string;
  last_modified_by: string;
  /** When the grant ends (created + lifetime, in the platform's minute length); a stups-local extra. */
  expires: string;
}

interface StoreFile {
  nextId: number;
  requests: AccessRow[];
}

export interface AccessStoreOptions {
  /** The lowest id a new store may give (above every id already used elsewhere, e.g. in the audit log). */
  firstFreeId?: () => number;
  /** Told when a corrupt file was moved aside: the file's new path and why. */
  onSetAside?: (aside: string, reason: string) => void;
}

export class AccessStore {
  readonly path: string;
  private readonly options: AccessStoreOptions;
  constructor(dir: string, options: AccessStoreOptions = {}) {
    this.path = join(dir, 'access-requests.json');
    this.options = options;
  }

  /** The rows; throws when the file is corrupt (it is set aside by the next change, or by `recover`). */
  read(): AccessRow[] {
    const file = this.load();
    if (file === 'corrupt') throw new Error(`${this.path} is corrupt; it is set aside at the next change`);
    return file?.requests ?? [];
  }

  private load(): StoreFile | undefined | 'corrupt' {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      const parsed = JSON.parse(text) as StoreFile;
      if (parsed && Array.isArray(parsed.requests) && Number.isInteger(parsed.nextId)) return parsed;
    } catch {
      // not JSON
    }
    return 'corrupt';
  }

  /** Under the lock: the store as it is, or a new one (after moving a corrupt file aside). */
  private loadOrStart(): StoreFile {
    const loaded = this.load();
    if (loaded !== undefined && loaded !== 'corrupt') return loaded;
    if (loaded === 'corrupt') {
      const aside = `${this.path}.corrupt-${new Date().toISOString().replaceAll(':', '')}`;
      renameSync(this.path, aside);
      this.options.onSetAside?.(aside, 'it is not valid JSON of an access-requests store');
    }
    return { nextId: Math.max(1, this.options.firstFreeId?.() ?? 1), requests: [] };
  }

  /** At start: moves a corrupt file aside (and says so) before anyone reads it. */
  recover(): Promise<void> {
    return withFileLock(this.path, () => {
      if (this.load() === 'corrupt') {
        const file = this.loadOrStart();
        writeFileAtomic(this.path, `${JSON.stringify(file, null, 1)}\n`, 0o600);
      }
    });
  }

  /** Runs `change` on the rows under the lock and saves what it leaves; returns its result. */
  update<T>(change: (rows: AccessRow[], nextId: () => number) => T): Promise<T> {
    return withFileLock(this.path, () => {
      const file = this.loadOrStart();
      const result = change(file.requests, () => file.nextId++);
      writeFileAtomic(this.path, `${JSON.stringify(file, null, 1)}\n`, 0o600);
      return result;
    });
  }
}
