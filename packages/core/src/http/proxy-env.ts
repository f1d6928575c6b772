/**
 * The proxy settings every tool honours, as curl, botocore (the original senza) and most HTTP clients
 * read them: HTTPS_PROXY for https URLs, HTTP_PROXY for http URLs (lower-case names first), NO_PROXY a
 * comma-separated list of hosts, domains (`example.com` and `.example.com` both cover sub-domains),
 * `host:port` entries and `*`. This module is tiny and loads nothing: the agent that tunnels through the
 * proxy (proxy-agent.ts) is imported only when a proxy (or AWS_CA_BUNDLE) is set.
 */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v?.trim() ? v.trim() : undefined;
}

/** Whether any proxy variable is set (the cheap check before loading the agent). */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return envValue(env, 'https_proxy') !== undefined || envValue(env, 'http_proxy') !== undefined;
}

/** Whether NO_PROXY exempts this host (and port). */
export function bypassesProxy(host: string, port: number | string, env: NodeJS.ProcessEnv = process.env): boolean {
  const list = envValue(env, 'no_proxy');
  if (!list) return false;
  const hostname = host.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of list.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!m) continue;
    const name = m[1].replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (m[2] && String(port) !== m[2]) continue;
    if (hostname === name || hostname.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** The proxy for a request to `url`, or undefined for a direct connection. */
export function proxyFor(url: URL | string, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  const target = typeof url === 'string' ? new URL(url) : url;
  const https = target.protocol === 'https:';
  const proxy = envValue(env, https ? 'https_proxy' : 'http_proxy');
  if (!proxy) return undefined;
  const port = target.port || (https ? '443' : '80');
  if (bypassesProxy(target.hostname, port, env)) return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`);
  } catch {
    return undefined;
  }
}

type Agents = import('./proxy-agent.js').ProxyAgents;
const cache = new Map<string, Agents>();

/**
 * The http/https agents for the environment's proxy (and, with `awsCaBundle`, AWS_CA_BUNDLE's CAs), or
 * undefined when neither is set: then nothing is loaded and node's default agents serve.
 */
export async function agentsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: { awsCaBundle?: boolean } = {},
): Promise<Agents | undefined> {
  const bundle = options.awsCaBundle ? env.AWS_CA_BUNDLE?.trim() || undefined : undefined;
  if (!proxyConfigured(env) && !bundle) return undefined;
  const key = JSON.stringify([
    envValue(env, 'https_proxy'),
    envValue(env, 'http_proxy'),
    envValue(env, 'no_proxy'),
    bundle,
  ]);
  let agents = cache.get(key);
  if (!agents) {
    const { proxyAgents, caBundle } = await import('./proxy-agent.js');
    agents = proxyAgents(env, { ca: bundle ? caBundle(env) : undefined });
    cache.set(key, agents);
  }
  return agents;
}
