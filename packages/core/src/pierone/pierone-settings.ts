import { loadToolConfig, storeToolConfig } from '../config/tool-config.js';
import { normalizePieroneUrl } from './pierone-url.js';

/**
 * Where Pier One is, resolved once: `--url` wins over `PIERONE_URL`, which wins over `url` in
 * `${XDG_CONFIG_HOME:-~/.config}/pierone/pierone.yaml`. Undefined when none is set (the CLI may ask).
 */
export interface PierOneSettings {
  url?: string;
  /** Where the URL came from: `login` stores it only when it was not given with `--url`. */
  source: 'flag' | 'config' | 'none';
}

export function resolvePieroneSettings(
  flags: { url?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): PierOneSettings {
  if (flags.url) return { url: normalizePieroneUrl(flags.url), source: 'flag' };
  const configured = loadToolConfig('pierone', env).url;
  if (typeof configured === 'string' && configured.trim())
    return { url: normalizePieroneUrl(configured), source: 'config' };
  return { source: 'none' };
}

/** Stores the URL in pierone.yaml (only `login` does: the original's rule), keeping the file's other keys. */
export function rememberPieroneUrl(url: string, env: NodeJS.ProcessEnv = process.env): string {
  // The file's own keys, without the PIERONE_* overrides of this environment.
  const fileOnly = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('PIERONE_')));
  const config = loadToolConfig('pierone', fileOnly);
  return storeToolConfig('pierone', { ...config, url }, env);
}

/**
 * The Pier One URL for a registry named in an image: the configured one when its host matches, else
 * `https://<registry>` when the name contains `pierone` (the original senza's rule); undefined for
 * other registries.
 */
export function pieroneUrlForRegistry(registry: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = loadToolConfig('pierone', env).url;
  if (typeof configured === 'string' && configured) {
    try {
      const url = new URL(configured.includes('://') ? configured : `https://${configured}`);
      if (url.host.toLowerCase() === registry.toLowerCase()) return url.origin;
    } catch {
      // not a URL: fall through to the name rule
    }
  }
  return registry.includes('pierone') ? `https://${registry}` : undefined;
}
