import { readFileSync } from 'node:fs';
import type { AgentOptions as HttpsAgentOptions } from 'node:https';
import { UsageError } from '../errors.js';
import { envValue, proxyConfigured } from './proxy-env.js';

type Agents = import('./proxy-agent.js').ProxyAgents;
const cache = new Map<string, Agents>();
const caFiles = new Map<string, string>();

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
    const { proxyAgents } = await import('./proxy-agent.js');
    agents = proxyAgents(env, { ca: bundle ? caBundle(env) : undefined });
    cache.set(key, agents);
  }
  return agents;
}

/** AWS_CA_BUNDLE's certificates (replacing the default roots, as botocore does), or undefined. */
export function caBundle(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.AWS_CA_BUNDLE?.trim();
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read AWS_CA_BUNDLE ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`, {
      code: 'aws.ca-bundle-unreadable',
      hint: 'Point AWS_CA_BUNDLE at a readable PEM file of CA certificates, or unset it.',
      cause: e,
    });
  }
}

/**
 * What the AWS SDK's request handler is given for the environment: the proxy's agents (with AWS_CA_BUNDLE's
 * CAs) when a proxy is set; with AWS_CA_BUNDLE alone, options for the https agent that the SDK makes on its
 * first https request, so that a run against a plain-HTTP endpoint (the local platform) never loads TLS,
 * whose first load costs some 20 ms on Node 24 (docs/benchmarks.md); undefined when neither is set.
 */
export async function awsRequestAgents(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ httpAgent?: Agents['httpAgent']; httpsAgent: Agents['httpsAgent'] | HttpsAgentOptions } | undefined> {
  if (proxyConfigured(env)) return agentsFromEnv(env, { awsCaBundle: true });
  const file = env.AWS_CA_BUNDLE?.trim();
  if (!file) return undefined;
  let ca = caFiles.get(file);
  if (ca === undefined) {
    ca = caBundle(env) as string;
    caFiles.set(file, ca);
  }
  return { httpsAgent: { ca } };
}
