import { envValue, proxyConfigured } from './proxy-env.js';

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
