import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '@stups/core';
import { DEFAULT_PUBLIC_KEY_FILES, parsePublicKey } from '@stups/core/piu';

/**
 * The local stand-in for the User Service that even fetches public keys from: one file per user,
 * `<state>/even/public-keys/<name>.pub`. `up` seeds the current user's default key (if there is one)
 * under the login name; tests and users add others with `registerPublicKey` or by copying the file.
 */
export function publicKeysDir(evenDir: string): string {
  return join(evenDir, 'public-keys');
}

export function readPublicKey(evenDir: string, name: string): string | undefined {
  try {
    return parsePublicKey(readFileSync(join(publicKeysDir(evenDir), `${name}.pub`), 'utf8'));
  } catch {
    return undefined;
  }
}

export function registerPublicKey(evenDir: string, name: string, key: string): void {
  const parsed = parsePublicKey(key);
  if (!parsed) throw new Error(`not an OpenSSH public key line: ${key.slice(0, 40)}`);
  mkdirSync(publicKeysDir(evenDir), { recursive: true, mode: 0o700 });
  writeFileAtomic(join(publicKeysDir(evenDir), `${name}.pub`), `${parsed} ${name}\n`, 0o644);
}

/** Seeds `<login>.pub` from ~/.ssh (ed25519, ecdsa, rsa) unless a key is registered already. */
export function seedOwnPublicKey(evenDir: string, login: string, env: NodeJS.ProcessEnv = process.env): void {
  if (readPublicKey(evenDir, login)) return;
  for (const file of DEFAULT_PUBLIC_KEY_FILES) {
    try {
      registerPublicKey(evenDir, login, readFileSync(join(env.HOME || homedir(), '.ssh', file), 'utf8'));
      return;
    } catch {
      // next
    }
  }
}
