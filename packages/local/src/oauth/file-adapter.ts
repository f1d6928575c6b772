import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@stups/core';

/**
 * oidc-provider's storage in one file, so that tokens the provider issued (access, refresh and client
 * credentials tokens, grants, sessions) stay valid across `stups-local down`/`up` and a crash: the
 * token store of every CLI holds them, and a provider that forgot them would make each CLI send a dead
 * token. The file is the whole state, rewritten atomically (0600: it holds live tokens) after every
 * change; expired entries are dropped on load and on write. Small by nature (one person's tokens).
 */
interface Entry {
  payload: Payload;
  /** Epoch milliseconds; absent: no expiry. */
  expiresAt?: number;
}

type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; jti?: string };

interface AdapterMethods {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

export class FileStateStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly path: string) {
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      text = undefined;
    }
    if (text === undefined) return;
    try {
      const saved = JSON.parse(text) as Record<string, Entry>;
      for (const [key, entry] of Object.entries(saved))
        if (entry && typeof entry === 'object' && entry.payload) this.entries.set(key, entry);
    } catch {
      // A torn or foreign file: start empty (tokens are renewed by the CLIs), never refuse to start.
    }
    this.prune();
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries)
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.entries.delete(key);
  }

  private save(): void {
    this.prune();
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.path, `${JSON.stringify(Object.fromEntries(this.entries))}\n`, 0o600);
  }

  private get(key: string): Payload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  private findWhere(model: string, test: (p: Payload) => boolean): Payload | undefined {
    for (const key of this.entries.keys()) {
      if (!key.startsWith(`${model}:`)) continue;
      const payload = this.get(key);
      if (payload && test(payload)) return payload;
    }
    return undefined;
  }

  /** The adapter factory for oidc-provider's `adapter` setting. */
  adapter(): (model: string) => AdapterMethods {
    return (model: string) => {
      const key = (id: string) => `${model}:${id}`;
      return {
        upsert: async (id, payload, expiresIn) => {
          this.entries.set(key(id), {
            payload,
            expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : undefined,
          });
          this.save();
        },
        find: async (id) => this.get(key(id)),
        findByUid: async (uid) => this.findWhere(model, (p) => p.uid === uid),
        findByUserCode: async (userCode) => this.findWhere(model, (p) => p.userCode === userCode),
        consume: async (id) => {
          const payload = this.get(key(id));
          if (!payload) return;
          payload.consumed = Math.floor(Date.now() / 1000);
          this.save();
        },
        destroy: async (id) => {
          if (this.entries.delete(key(id))) this.save();
        },
        revokeByGrantId: async (grantId) => {
          let changed = false;
          for (const [k, entry] of this.entries)
            if (entry.payload.grantId === grantId && !k.startsWith('Grant:')) {
              this.entries.delete(k);
              changed = true;
            }
          if (changed) this.save();
        },
      };
    };
  }
}
