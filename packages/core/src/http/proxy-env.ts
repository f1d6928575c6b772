/**
 * The proxy settings every tool honours, as curl, botocore (the original senza) and most HTTP clients
 * read them: HTTPS_PROXY for https URLs, HTTP_PROXY for http URLs (lower-case names first), NO_PROXY a
 * comma-separated list of hosts, domains (`example.com` and `.example.com` both cover sub-domains),
 * `host:port` entries and `*`. This module is tiny and loads nothing: the agent that tunnels through the
 * proxy (proxy-agent.ts) is imported only when a proxy is set (AWS_CA_BUNDLE alone: network-agents.ts).
 */
export function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
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
