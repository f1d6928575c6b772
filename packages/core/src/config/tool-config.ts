import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { withFileLock } from '../fs/file-lock.js';

export type ToolConfig = Record<string, unknown>;

/** `${XDG_CONFIG_HOME:-~/.config}/<tool>/<tool>.yaml`, the location the original tools use. */
export function toolConfigPath(tool: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, tool, `${tool}.yaml`);
}

/**
 * Reads a tool's config file and overlays `<TOOL>_<KEY>` environment variables (env wins; keys
 * lower-cased). A missing or unreadable file counts as empty, like the originals.
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
  try {
    const parsed = parse(readFileSync(path, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as ToolConfig;
  } catch {
    // missing or broken file: the original treats both as empty
  }
  return {};
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
