import { resolveRegion } from '../../aws/region.js';
import { loadToolConfig, type ToolConfig, toolConfigPath, updateToolConfig } from '../../config/tool-config.js';
import { UsageError } from '../../errors.js';

/** Keys senza reads at the top of senza.yaml (`region: eu-central-1`), besides `section.key` ones. */
const TOP_LEVEL_KEYS = new Set(['region']);

/** `sentry.endpoint` → section `sentry`, key `endpoint` (split at the first dot); `region` stays whole. */
export function splitConfigKey(key: string): { section: string; name?: string } {
  if (TOP_LEVEL_KEYS.has(key)) return { section: key };
  const dot = key.indexOf('.');
  if (dot < 0) throw new UsageError(`key does not contain a section: ${key}`, { code: 'senza.config-key-invalid' });
  return { section: key.slice(0, dot), name: key.slice(dot + 1) };
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const positiveSeconds = (v: string) => Number.isFinite(Number(v)) && Number(v) > 0 && v.trim() !== '';

/** The values senza itself reads, what each must be, and an example (checked on set and on read). */
const KNOWN_VALUES: Record<string, { valid: (v: string) => boolean; expected: string; example: string }> = {
  region: { valid: (v) => REGION.test(v), expected: 'an AWS region name', example: 'eu-central-1' },
  'aws.timeout': { valid: positiveSeconds, expected: 'a number of seconds above 0', example: '30' },
  'aws.connect_timeout': { valid: positiveSeconds, expected: 'a number of seconds above 0', example: '5' },
  aws_timeout: { valid: positiveSeconds, expected: 'a number of seconds above 0', example: '30' },
  aws_connect_timeout: { valid: positiveSeconds, expected: 'a number of seconds above 0', example: '5' },
};

function checkValue(key: string, value: unknown, where: string): void {
  const rule = KNOWN_VALUES[key];
  if (!rule || value === undefined || value === null) return;
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  if (text !== undefined && rule.valid(text) && (key !== 'region' || typeof value === 'string')) return;
  const configKey = key.replace(/^aws_/, 'aws.');
  throw new UsageError(`Invalid ${key} ${JSON.stringify(value)} ${where}: expected ${rule.expected}`, {
    code: 'config.invalid',
    hint: `Set it with \`senza config ${configKey} ${rule.example}\`.`,
    data: { key },
  });
}

/**
 * Checks the values senza reads from senza.yaml (region, the AWS timeouts) so that a bad one is named
 * with its file and the command that fixes it, rather than ignored or failing later.
 */
export function checkSenzaConfig(config: ToolConfig, path: string): void {
  for (const key of ['region', 'aws_timeout', 'aws_connect_timeout']) checkValue(key, config[key], `in ${path}`);
  const aws = config.aws;
  if (aws && typeof aws === 'object' && !Array.isArray(aws))
    for (const name of ['timeout', 'connect_timeout'])
      checkValue(`aws.${name}`, (aws as Record<string, unknown>)[name], `in ${path}`);
}

/** The file only: environment overrides must not leak into what `config` shows or writes back. */
function fileOnly(env: NodeJS.ProcessEnv): ToolConfig {
  return loadToolConfig('senza', { XDG_CONFIG_HOME: env.XDG_CONFIG_HOME, HOME: env.HOME });
}

export function configValue(config: ToolConfig, key: string): string | undefined {
  const { section, name } = splitConfigKey(key);
  if (name === undefined) {
    const v = config[section];
    return v === undefined || v === null ? undefined : String(v);
  }
  const s = config[section];
  if (!s || typeof s !== 'object' || Array.isArray(s)) return undefined;
  const v = (s as Record<string, unknown>)[name];
  return v === undefined || v === null ? undefined : String(v);
}

export function withConfigValue(config: ToolConfig, key: string, value: string): ToolConfig {
  const { section, name } = splitConfigKey(key);
  if (name === undefined) return { ...config, [section]: value };
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
  // A value senza could not use later is refused now, not stored to break every later command.
  checkValue(key, value, 'for senza config');
  return updateToolConfig('senza', (current) => withConfigValue(current, key, value), {
    XDG_CONFIG_HOME: env.XDG_CONFIG_HOME,
    HOME: env.HOME,
  });
}

/**
 * senza's config as commands read it: the file checked (a bad region or timeout names the file and the
 * `senza config` that fixes it), then the SENZA_* environment overlaid.
 */
export function loadSenzaConfig(env: NodeJS.ProcessEnv = process.env): ToolConfig {
  checkSenzaConfig(fileOnly(env), toolConfigPath('senza', env));
  return loadToolConfig('senza', env);
}

/** senza's region: --region, then AWS_REGION / AWS_DEFAULT_REGION, then `region` in senza.yaml, then ~/.aws/config. */
export function resolveSenzaRegion(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolveRegion({ flag, config: loadSenzaConfig(env).region as string | undefined, env });
}
