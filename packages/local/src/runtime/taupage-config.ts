import { DecryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { parse } from 'yaml';

/**
 * What Taupage reads from an instance's user data (senza.md §4.5): a YAML document after the
 * `#taupage-ami-config` line, base64-encoded as EC2 hands it out. Only what the runtime acts on is typed;
 * the rest stays in `raw`.
 */
export interface TaupageConfig {
  /** The Docker image, `[REGISTRY/]TEAM/ARTIFACT:TAG`. */
  source: string;
  /** Environment of the container; values are strings, `aws:kms:…` ones still encrypted. */
  environment: Record<string, string>;
  /** Host port → container port, as in Taupage's `ports`. */
  ports: Record<number, number>;
  healthCheckPath?: string;
  applicationId?: string;
  applicationVersion?: string;
  runtime?: string;
  raw: Record<string, unknown>;
}

const HEADER = '#taupage-ami-config';
const KMS_PREFIX = 'aws:kms:';

/** The user data's text: EC2 and Auto Scaling return it base64-encoded; plain text is accepted too. */
export function userDataText(userData: string): string {
  if (userData.trimStart().startsWith(HEADER)) return userData;
  return Buffer.from(userData, 'base64').toString('utf8');
}

/** The Taupage configuration in user data, or undefined when it is not Taupage's (or has no `source`). */
export function parseTaupageUserData(userData: string | undefined): TaupageConfig | undefined {
  if (!userData) return undefined;
  const text = userDataText(userData).trimStart();
  if (!text.startsWith(HEADER)) return undefined;
  let doc: unknown;
  try {
    doc = parse(text.slice(HEADER.length));
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const raw = doc as Record<string, unknown>;
  if (typeof raw.source !== 'string' || raw.source === '') return undefined;
  return {
    source: raw.source,
    environment: stringMap(raw.environment),
    ports: portMap(raw.ports),
    healthCheckPath: optionalString(raw.health_check_path),
    applicationId: optionalString(raw.application_id),
    applicationVersion: optionalString(raw.application_version),
    runtime: optionalString(raw.runtime),
    raw,
  };
}

/** Numbers and booleans in YAML become their text, as Taupage passes them to `docker run -e`. */
function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

function portMap(value: unknown): Record<number, number> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<number, number> = {};
  for (const [k, v] of Object.entries(value)) {
    const host = Number.parseInt(k, 10);
    const container = Number.parseInt(String(v), 10);
    if (host > 0 && host < 65536 && container > 0 && container < 65536) out[host] = container;
  }
  return out;
}

function optionalString(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/** Decrypts KMS ciphertext (raw bytes) to text. */
export type Decrypt = (ciphertext: Uint8Array) => Promise<string>;

/** Values `aws:kms:<base64 ciphertext>` replaced by their plaintext, as Taupage does before starting the container. */
export async function decryptEnvironment(
  environment: Record<string, string>,
  decrypt: Decrypt,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(environment)) {
    if (!v.startsWith(KMS_PREFIX)) {
      out[k] = v;
      continue;
    }
    try {
      out[k] = await decrypt(Buffer.from(v.slice(KMS_PREFIX.length), 'base64'));
    } catch (e) {
      throw new EnvironmentDecryptError(k, e);
    }
  }
  return out;
}

/** An `aws:kms:` value of the environment that KMS does not decrypt, naming its key. */
export class EnvironmentDecryptError extends Error {
  constructor(
    readonly key: string,
    cause: unknown,
  ) {
    super(`${key}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'EnvironmentDecryptError';
  }
}

/** KMS Decrypt (the key is named in the ciphertext itself). */
export function kmsDecrypt(kms: KMSClient): Decrypt {
  return async (ciphertext) => {
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext }));
    return Buffer.from(out.Plaintext ?? new Uint8Array()).toString('utf8');
  };
}

/** The ports the container listens on (Taupage `ports` values), each once. */
export function containerPorts(config: TaupageConfig): number[] {
  return [...new Set(Object.values(config.ports))].sort((a, b) => a - b);
}
