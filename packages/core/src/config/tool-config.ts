import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

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
  let config: ToolConfig = {};
  try {
    const parsed = parse(readFileSync(toolConfigPath(tool, env), 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) config = parsed as ToolConfig;
  } catch {
    // missing or broken file: the original treats both as empty
  }
  const prefix = `${tool.toUpperCase().replaceAll('-', '_')}_`;
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith(prefix) && v !== undefined) config[k.slice(prefix.length).toLowerCase()] = v;
  }
  return config;
}

/** Writes a file atomically (temp file + rename) with the given mode (0600 for secrets). */
export function writeFileAtomic(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}

export function storeToolConfig(tool: string, config: ToolConfig, env: NodeJS.ProcessEnv = process.env): string {
  const path = toolConfigPath(tool, env);
  writeFileAtomic(path, stringify(config, { sortMapEntries: true }));
  return path;
}
