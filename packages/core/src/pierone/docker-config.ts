import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { fileError } from '../fs/file-error.js';
import { withFileLock } from '../fs/file-lock.js';
import type { MessageCode } from '../io/message-codes.js';
import { registryHost } from './pierone-url.js';

/**
 * Editing Docker's client configuration (`$DOCKER_CONFIG/config.json`, default `~/.docker`) for a
 * Pier One registry: the credential helper registered under the key Docker looks up (host and port),
 * or a stored `oauth2:<token>`; every other key is kept as it was. Written atomically, 0600 when the
 * file is new or holds credentials (whatever its mode was); a file that does not parse is never
 * overwritten, it is reported with its path. Every edit (read, change, write) holds the file's lock,
 * so that concurrent logins do not lose each other's entries.
 */
export const HELPER_NAME = 'pierone';
export const HELPER_BINARY = `docker-credential-${HELPER_NAME}`;

type JsonObject = Record<string, unknown>;

export interface DockerConfigFile {
  path: string;
  exists: boolean;
  config: JsonObject;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

/** A config.json that is not a JSON object: exit 2, names the file; nothing is written. */
export class MalformedDockerConfigError extends UsageError {
  constructor(path: string, reason: string) {
    super(`The Docker configuration ${path} is malformed (${reason}); it was left unchanged`, {
      code: 'pierone.docker-config-malformed',
      hint: `Fix or remove ${path}, then run the command again.`,
      data: { path },
    });
  }
}

export function readDockerConfig(env: NodeJS.ProcessEnv = process.env): DockerConfigFile {
  const path = dockerConfigPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { path, exists: false, config: {} };
    // Unreadable (permission denied, a directory) is not malformed: say what is wrong and the fix.
    throw fileError(e, path) ?? e;
  }
  if (text.trim() === '') return { path, exists: true, config: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new MalformedDockerConfigError(path, `not JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new MalformedDockerConfigError(path, 'not a JSON object');
  for (const key of ['auths', 'credHelpers'])
    if (key in parsed && !isObject((parsed as JsonObject)[key]))
      throw new MalformedDockerConfigError(path, `"${key}" is not an object`);
  return { path, exists: true, config: parsed as JsonObject };
}

function isObject(v: unknown): v is JsonObject {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v);
}

/** Whether config.json holds a secret: stored credentials or tokens under `auths`. */
function holdsCredentials(config: JsonObject): boolean {
  const auths = isObject(config.auths) ? config.auths : {};
  return Object.values(auths).some(
    (entry) =>
      isObject(entry) &&
      ['auth', 'password', 'identitytoken', 'registrytoken'].some((k) => typeof entry[k] === 'string' && entry[k]),
  );
}

function writeDockerConfig(file: DockerConfigFile): void {
  // A new file holds credentials-to-be, and a file with credentials must not be readable by others,
  // so 0600; an existing file without credentials keeps its mode.
  let mode = 0o600;
  if (file.exists && !holdsCredentials(file.config)) {
    try {
      mode = statSync(file.path).mode & 0o777;
    } catch {
      // vanished meanwhile: a new file
    }
  }
  writeFileAtomic(file.path, `${JSON.stringify(file.config, null, 2)}\n`, mode);
}

/** The `auths` keys that name this registry: `host:port`, with or without scheme or a `/v1/`-style path. */
function authsKeysFor(auths: JsonObject, host: string): string[] {
  return Object.keys(auths).filter((key) => {
    try {
      return new URL(key.includes('://') ? key : `https://${key}`).host.toLowerCase() === host;
    } catch {
      return false;
    }
  });
}

export interface DockerConfigChange {
  path: string;
  /** The registry key in config.json (`host[:port]`). */
  registry: string;
  created: boolean;
  /** `auths` keys removed for this registry. */
  removedAuths: string[];
  /** Whether `credHelpers[registry]` was removed (logout). */
  removedHelper?: boolean;
}

/** `pierone login`: `credHelpers[host[:port]] = "pierone"`, and no stale `auths` for that registry. */
export function registerCredentialHelper(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DockerConfigChange> {
  return withFileLock(dockerConfigPath(env), () => {
    const file = readDockerConfig(env);
    const registry = registryHost(url);
    const auths = isObject(file.config.auths) ? file.config.auths : {};
    const removedAuths = authsKeysFor(auths, registry);
    for (const key of removedAuths) delete auths[key];
    file.config.auths = auths;
    const helpers = isObject(file.config.credHelpers) ? file.config.credHelpers : {};
    helpers[registry] = HELPER_NAME;
    file.config.credHelpers = helpers;
    writeDockerConfig(file);
    return { path: file.path, registry, created: !file.exists, removedAuths };
  });
}

/** `pierone login --store-token`: `auths[host[:port]] = {auth: base64("oauth2:" + token)}`, no helper for it. */
export function storeRegistryToken(
  url: string,
  token: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DockerConfigChange> {
  return withFileLock(dockerConfigPath(env), () => {
    const file = readDockerConfig(env);
    const registry = registryHost(url);
    const auths = isObject(file.config.auths) ? file.config.auths : {};
    const removedAuths = authsKeysFor(auths, registry).filter((k) => k !== registry);
    for (const key of removedAuths) delete auths[key];
    auths[registry] = { auth: Buffer.from(`oauth2:${token}`).toString('base64') };
    file.config.auths = auths;
    let removedHelper = false;
    if (isObject(file.config.credHelpers) && registry in file.config.credHelpers) {
      delete file.config.credHelpers[registry];
      removedHelper = true;
    }
    writeDockerConfig(file);
    return { path: file.path, registry, created: !file.exists, removedAuths, removedHelper };
  });
}

/** `pierone logout`: removes this registry's helper entry and stored credentials; nothing else. */
export function removeRegistryLogin(url: string, env: NodeJS.ProcessEnv = process.env): Promise<DockerConfigChange> {
  return withFileLock(dockerConfigPath(env), () => {
    const file = readDockerConfig(env);
    const registry = registryHost(url);
    if (!file.exists) return { path: file.path, registry, created: false, removedAuths: [], removedHelper: false };
    const auths = isObject(file.config.auths) ? file.config.auths : undefined;
    const removedAuths = auths ? authsKeysFor(auths, registry) : [];
    for (const key of removedAuths) delete auths?.[key];
    let removedHelper = false;
    const helpers = file.config.credHelpers;
    if (isObject(helpers) && helpers[registry] === HELPER_NAME) {
      delete helpers[registry];
      removedHelper = true;
    }
    if (removedAuths.length || removedHelper) writeDockerConfig(file);
    return { path: file.path, registry, created: false, removedAuths, removedHelper };
  });
}

/** The registries config.json hands to the helper (`credHelpers` entries with value `pierone`). */
export function helperRegistries(env: NodeJS.ProcessEnv = process.env): string[] {
  const { config } = readDockerConfig(env);
  return isObject(config.credHelpers)
    ? Object.entries(config.credHelpers)
        .filter(([, v]) => v === HELPER_NAME)
        .map(([k]) => k)
    : [];
}

export interface DoctorFinding {
  level: 'ok' | 'warn' | 'error';
  code: MessageCode;
  text: string;
}

/** Whether an executable of that name is on PATH. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * `pierone doctor`: what would make Docker miss or mistrust the login for this registry: a malformed
 * file, another helper registered for it, a `credsStore` with no helper entry (the store then answers),
 * the helper binary missing from PATH, and plaintext credentials in `auths`.
 */
export function diagnoseDockerConfig(url: string, env: NodeJS.ProcessEnv = process.env): DoctorFinding[] {
  const findings: DoctorFinding[] = [];
  const registry = registryHost(url);
  let file: DockerConfigFile;
  try {
    file = readDockerConfig(env);
  } catch (e) {
    const code =
      e instanceof MalformedDockerConfigError ? 'pierone.doctor-config-malformed' : 'pierone.doctor-config-unreadable';
    return [{ level: 'error', code, text: (e as Error).message }];
  }
  if (!file.exists)
    findings.push({
      level: 'error',
      code: 'pierone.doctor-no-config',
      text: `${file.path} does not exist: run \`pierone login\``,
    });
  const helpers = isObject(file.config.credHelpers) ? file.config.credHelpers : {};
  const helper = helpers[registry];
  const store = typeof file.config.credsStore === 'string' ? file.config.credsStore : undefined;
  if (helper === HELPER_NAME)
    findings.push({
      level: 'ok',
      code: 'pierone.doctor-helper-registered',
      text: `credHelpers["${registry}"] is "${HELPER_NAME}"`,
    });
  else if (typeof helper === 'string')
    findings.push({
      level: 'error',
      code: 'pierone.doctor-other-helper',
      text: `credHelpers["${registry}"] is "${helper}", not "${HELPER_NAME}": Docker asks that helper; run \`pierone login\``,
    });
  else if (file.exists)
    findings.push({
      level: store ? 'error' : 'warn',
      code: 'pierone.doctor-helper-missing',
      text: store
        ? `credsStore "${store}" answers for ${registry} (no credHelpers entry): run \`pierone login\``
        : `no credHelpers entry for ${registry}: run \`pierone login\``,
    });
  if (store)
    findings.push({
      level: 'ok',
      code: 'pierone.doctor-creds-store',
      text: `credsStore "${store}" is kept for other registries; credHelpers entries take precedence over it`,
    });
  if (helper === HELPER_NAME || !file.exists) {
    const found = onPath(HELPER_BINARY, env);
    findings.push(
      found
        ? { level: 'ok', code: 'pierone.doctor-helper-binary', text: `${HELPER_BINARY} is ${found}` }
        : {
            level: 'error',
            code: 'pierone.doctor-helper-binary-missing',
            text: `${HELPER_BINARY} is not on PATH: Docker cannot get a token for ${registry}`,
          },
    );
  }
  const auths = isObject(file.config.auths) ? file.config.auths : {};
  for (const [key, value] of Object.entries(auths)) {
    if (!isObject(value) || typeof value.auth !== 'string' || !value.auth) continue;
    const ours = authsKeysFor({ [key]: value }, registry).length > 0;
    findings.push({
      level: ours && helper === HELPER_NAME ? 'error' : 'warn',
      code: 'pierone.doctor-plaintext-auth',
      text: ours
        ? `auths["${key}"] holds a plaintext (base64) token for this registry${helper === HELPER_NAME ? ' beside the helper' : ''}`
        : `auths["${key}"] holds plaintext (base64) credentials`,
    });
  }
  return findings;
}
