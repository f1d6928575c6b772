import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * The user's SSH public key: the one given (flag or config), else the first of OpenSSH's default key
 * files that exists. It has to be an OpenSSH public key line; the checks are those even's hosts apply
 * before writing it into authorized_keys.
 */
export const DEFAULT_PUBLIC_KEY_FILES = ['id_ed25519.pub', 'id_ecdsa.pub', 'id_rsa.pub'] as const;

export interface SshPublicKey {
  path: string;
  /** `<type> <base64>` without the comment. */
  key: string;
}

/** `<type> <base64> [comment]` → `<type> <base64>`, or undefined when the line is no public key. */
export function parsePublicKey(text: string): string | undefined {
  const [type, data] = text.trim().split(/\s+/);
  if (!type || !data) return undefined;
  if (!/^(ssh-|ecdsa-|sk-)[a-z0-9@.-]+$/.test(type) || type.includes('@openssh.com-cert')) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) return undefined;
  return `${type} ${data}`;
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  return path === '~' || path.startsWith('~/') ? join(env.HOME || homedir(), path.slice(1)) : resolve(path);
}

function readKey(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function findSshPublicKey(given: string | undefined, env: NodeJS.ProcessEnv = process.env): SshPublicKey {
  if (given) {
    const path = expandHome(given, env);
    const text = readKey(path);
    if (text === undefined)
      throw new UsageError(`No SSH public key at ${path}`, {
        code: 'piu.no-public-key',
        hint: 'Give the path of your public key (the .pub file), or create one with: ssh-keygen -t ed25519',
      });
    const key = parsePublicKey(text);
    if (!key)
      throw new UsageError(`Specified ssh public key at ${path} is not a valid key`, {
        code: 'piu.invalid-public-key',
        hint: 'Give the .pub file (one line "ssh-ed25519 AAAA… comment"), not the private key.',
      });
    return { path, key };
  }
  const dir = join(env.HOME || homedir(), '.ssh');
  const looked: string[] = [];
  for (const name of DEFAULT_PUBLIC_KEY_FILES) {
    const path = join(dir, name);
    looked.push(path);
    const text = readKey(path);
    const key = text === undefined ? undefined : parsePublicKey(text);
    if (key) return { path, key };
  }
  throw new UsageError(`No SSH public key found (looked at ${looked.join(', ')})`, {
    code: 'piu.no-public-key',
    hint: `Create one with: ssh-keygen -t ed25519 -f ${join(dir, 'id_ed25519')}   (or name one with -i/--ssh-public-key)`,
  });
}
