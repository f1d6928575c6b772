import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { toolConfigPath } from '../config/tool-config.js';
import { writeFileAtomic } from '../fs/atomic-file.js';

/**
 * `${XDG_CONFIG_HOME:-~/.config}/piu/piu.yaml`, read and written as piu did: plain YAML, no `PIU_*`
 * overlay (options have their own variables), the even URL and odd host remembered on every
 * request. Keys piu does not know are kept.
 */
export interface PiuConfig {
  even_url?: string;
  odd_host?: string;
  /** A CA bundle path, or false to skip TLS verification (as `requests`' verify). */
  cacert?: string | boolean;
  ssh_public_key?: string;
  [key: string]: unknown;
}

export function piuConfigPath(env: NodeJS.ProcessEnv = process.env, given?: string): string {
  return given ?? toolConfigPath('piu', env);
}

export function loadPiuConfig(path: string): PiuConfig {
  try {
    const parsed = parse(readFileSync(path, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as PiuConfig) : {};
  } catch {
    return {};
  }
}

/** Writes the values given over the file's; undefined values leave a key as it was. */
export function rememberPiuConfig(path: string, values: PiuConfig): PiuConfig {
  const config = loadPiuConfig(path);
  for (const [k, v] of Object.entries(values)) if (v !== undefined) config[k] = v;
  writeFileAtomic(path, stringify(config, { sortMapEntries: true }));
  return config;
}
