import { loadToolConfig, type ToolConfig, toolConfigPath, updateToolConfig } from '../../config/tool-config.js';
import { UsageError } from '../../errors.js';

/** `sentry.endpoint` → section `sentry`, key `endpoint` (split at the first dot). */
export function splitConfigKey(key: string): { section: string; name: string } {
  const dot = key.indexOf('.');
  if (dot < 0) throw new UsageError(`key does not contain a section: ${key}`, { code: 'senza.config-key-invalid' });
  return { section: key.slice(0, dot), name: key.slice(dot + 1) };
}

/** The file only: environment overrides must not leak into what `config` shows or writes back. */
function fileOnly(env: NodeJS.ProcessEnv): ToolConfig {
  return loadToolConfig('senza', { XDG_CONFIG_HOME: env.XDG_CONFIG_HOME, HOME: env.HOME });
}

export function configValue(config: ToolConfig, key: string): string | undefined {
  const { section, name } = splitConfigKey(key);
  const s = config[section];
  if (!s || typeof s !== 'object' || Array.isArray(s)) return undefined;
  const v = (s as Record<string, unknown>)[name];
  return v === undefined || v === null ? undefined : String(v);
}

export function withConfigValue(config: ToolConfig, key: string, value: string): ToolConfig {
  const { section, name } = splitConfigKey(key);
  const current = config[section];
  const s = current && typeof current === 'object' && !Array.isArray(current) ? current : {};
  return { ...config, [section]: { ...s, [name]: value } };
}

/** `senza config KEY`: the stored value, undefined when unset. */
export function readSenzaConfig(key: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  splitConfigKey(key);
  return configValue(fileOnly(env), key);
}

/**
 * `senza config KEY VALUE`: stores the value as a string, under the file's lock and atomically
 * (0600), so concurrent writers each keep their key; returns the file path.
 */
export function writeSenzaConfig(key: string, value: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  splitConfigKey(key);
  return updateToolConfig('senza', (current) => withConfigValue(current, key, value), {
    XDG_CONFIG_HOME: env.XDG_CONFIG_HOME,
    HOME: env.HOME,
  });
}

export const senzaConfigPath = (env: NodeJS.ProcessEnv = process.env): string => toolConfigPath('senza', env);
