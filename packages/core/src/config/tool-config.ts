import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { fileError } from '../fs/file-error.js';
import { withFileLock } from '../fs/file-lock.js';

export type ToolConfig = Record<string, unknown>;

/** `${XDG_CONFIG_HOME:-~/.config}/<tool>/<tool>.yaml`, the location the original tools use. */
export function toolConfigPath(tool: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, tool, `${tool}.yaml`);
}

/**
 * Reads a tool's config file and overlays `<TOOL>_<KEY>` environment variables (env wins; keys
 * lower-cased). A missing or empty file counts as empty. A file that is not a YAML mapping is an error
 * naming it (exit 2; the originals ignored it, and a command then failed for a misleading reason), and
 * one that cannot be read (a directory, no permission) names the file and the fix (exit 1).
 */
export function loadToolConfig(tool: string, env: NodeJS.ProcessEnv = process.env): ToolConfig {
  const config = readConfigFile(toolConfigPath(tool, env));
  const prefix = `${tool.toUpperCase().replaceAll('-', '_')}_`;
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith(prefix) && v !== undefined) config[k.slice(prefix.length).toLowerCase()] = v;
  }
  return config;
}

/** The file alone, without environment overrides (what may be written back). */
function readConfigFile(path: string): ToolConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw fileError(e, path) ?? e;
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (e) {
    throw invalidConfig(path, `not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw invalidConfig(path, `not a mapping of keys to values (${Array.isArray(parsed) ? 'a list' : typeof parsed})`);
  return parsed as ToolConfig;
}

function invalidConfig(path: string, reason: string): UsageError {
  return new UsageError(`The config file ${path} is ${reason}`, {
    code: 'config.invalid',
    hint: `Fix ${path} (YAML, e.g. \`region: eu-central-1\`), or move it away to start with an empty one.`,
    data: { path },
  });
}

/** Replaces a tool's config file: atomically, 0600 (it may hold secrets). */
export function storeToolConfig(tool: string, config: ToolConfig, env: NodeJS.ProcessEnv = process.env): string {
  const path = toolConfigPath(tool, env);
  writeFileAtomic(path, stringify(config, { sortMapEntries: true }), 0o600);
  return path;
}

/**
 * Read-modify-write of a tool's config file under its lock, so that concurrent writers (20 `senza
 * config` at once) each keep their key. `update` gets the file's content (no environment overlay).
 */
export async function updateToolConfig(
  tool: string,
  update: (current: ToolConfig) => ToolConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const path = toolConfigPath(tool, env);
  return withFileLock(path, () => {
    writeFileAtomic(path, stringify(update(readConfigFile(path)), { sortMapEntries: true }), 0o600);
    return path;
  });
}
