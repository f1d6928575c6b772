import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFileLock, writeFileAtomic } from '@stups/core';

/**
 * even's database on one machine: the access requests in `<state>/even/access-requests.json`,
 * changed only under its lock and written atomically, so that concurrent requests and the expiry
 * job never lose each other's rows, and a restart finds every grant with its expiry.
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

export class AccessStore {
  readonly path: string;
  constructor(dir: string) {
    this.path = join(dir, 'access-requests.json');
  }

  read(): AccessRow[] {
    return this.load().requests;
  }

  private load(): StoreFile {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as StoreFile;
      if (Array.isArray(parsed.requests) && Number.isInteger(parsed.nextId)) return parsed;
    } catch {
      // none yet
    }
    return { nextId: 1, requests: [] };
  }

  /** Runs `change` on the rows under the lock and saves what it leaves; returns its result. */
  update<T>(change: (rows: AccessRow[], nextId: () => number) => T): Promise<T> {
    return withFileLock(this.path, () => {
      const file = this.load();
      const result = change(file.requests, () => file.nextId++);
      writeFileAtomic(this.path, `${JSON.stringify(file, null, 1)}\n`, 0o600);
      return result;
    });
  }
}
