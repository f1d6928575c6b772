import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { describeError } from '@stups/core';
import { MotoClients } from '../aws/moto-clients.js';
import { closeServer, listenOnLoopback } from '../contract/loopback-port.js';
import { HealthChecks } from './health-checks.js';
import { type DomainRoute, hostKey, LiveRouteTable, type LoadBalancerRoute, RouteTableReader } from './route-table.js';
import { cloudwatchClients, RouterMetrics } from './router-metrics.js';
import { type Router, type RouterOptions, type RuntimeInstance, SERVED_BY_HEADER } from './runtime-contract.js';

/** How often the route table is read again from moto (a `senza traffic` change shows within a second). */
export const ROUTE_REFRESH_MS = 500;

export interface RouterStartOptions extends RouterOptions {
  /** Where a failed route-table refresh is reported (once per run of failures): the runtime's log. */
  log: (line: string) => void;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function hostOf(header: string | undefined): string {
  if (!header) return '';
  const h = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.replace(/:\d*$/, '');
  return hostKey(h);
}

function plain(res: ServerResponse, status: number, body: string, stack?: string): void {
  const headers: OutgoingHttpHeaders = {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  };
  if (stack) headers[SERVED_BY_HEADER] = stack;
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * A weighted pick as Route53 answers a weighted record set: in proportion to the weights, weight 0 never
 * while another record has weight; when every weight is 0, each record equally. Undefined only without
 * records.
 */
export function pickWeighted<T extends { weight?: number }>(
  targets: readonly T[],
  random = Math.random,
): T | undefined {
  let total = 0;
  for (const t of targets) total += Math.max(0, t.weight ?? 0);
  if (total <= 0) return targets[Math.floor(random() * targets.length)];
  let r = random() * total;
  for (const t of targets) {
    const w = Math.max(0, t.weight ?? 0);
    if (w === 0) continue;
    if (r < w) return t;
    r -= w;
  }
  return targets.findLast((t) => (t.weight ?? 0) > 0);
}

/**
 * The weighted local router: an HTTP server on loopback that serves each stack version's instances by
 * the `Host` header, as Route53 and the version's ELB would. A main domain goes to a version chosen by
 * its weighted records, a version domain to its version; within a version, round robin over the
 * instances its health checks hold InService, proxied (streaming both ways) to the instance's unix
 * socket over a keep-alive agent per socket. Requests read the route table in memory; it is refreshed
 * from moto in the background.
 */
export async function startRouter(options: RouterStartOptions): Promise<Router> {
  const moto = new MotoClients(options.motoEndpoint);
  const { log } = options;
  const table = new LiveRouteTable(new RouteTableReader(moto, options.region), ROUTE_REFRESH_MS, (e) =>
    log(`stups-local router: reading routes from moto failed (${describeError(e).message}); keeping the last routes`),
  );
  const health = new HealthChecks(options.instances, options.region, options.maxHealthIntervalSeconds);
  // The load balancer metrics go to CloudWatch through the AWS endpoint, as any client's requests do.
  const cloudwatch = cloudwatchClients(options.awsEndpoint);
  const metrics = new RouterMetrics(
    (region) => cloudwatch.get(region),
    (region) => moto.elbv2(region),
    log,
  );
  table.onRefresh((t) => health.update(t));

  const agents = new Map<string, Agent>();
  const agentFor = (socketPath: string) => {
    let agent = agents.get(socketPath);
    if (!agent) {
      agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, keepAliveMsecs: 1000 });
      agents.set(socketPath, agent);
    }
    return agent;
  };
  // Agents of sockets no instance has any more are closed with each table refresh.
  table.onRefresh(() => {
    const live = new Set(options.instances.instances().flatMap((i) => Object.values(i.sockets)));
    for (const [path, agent] of agents) {
      if (!live.has(path)) {
        agent.destroy();
        agents.delete(path);
      }
    }
  });
  const turns = new Map<string, number>();

  function versionOf(domain: DomainRoute): LoadBalancerRoute | undefined {
    const tables = table.current.loadBalancers;
    if (!domain.weighted) return tables.get(domain.targets[0]?.loadBalancer ?? '');
    const picked = pickWeighted(domain.targets);
    return picked ? tables.get(picked.loadBalancer) : undefined;
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const host = hostOf(req.headers.host);
    const current = table.current;
    const domain = current.domains.get(host);
    if (!domain) {
      req.resume();
      const known = [...current.domains.keys()].sort();
      plain(
        res,
        404,
        `stups-local router: no stack version serves '${host || '(no Host header)'}'. ` +
          (known.length > 0 ? `Known domains: ${known.join(', ')}.\n` : 'No domain leads to a load balancer yet.\n'),
      );
      return;
    }
    const lb = versionOf(domain);
    if (!lb) {
      req.resume();
      plain(res, 503, `stups-local router: no load balancer serves '${domain.name}' yet.\n`);
      return;
    }
    const healthy = health.inService(lb, health.runningInstances());
    if (healthy.length === 0) {
      req.resume();
      plain(
        res,
        503,
        `stups-local router: stack version ${lb.stackName} (load balancer ${lb.name}) has no healthy instance.\n`,
        lb.stackName,
      );
      return;
    }
    const turn = turns.get(lb.name) ?? 0;
    turns.set(lb.name, (turn + 1) % 1_000_000);
    const instance = healthy[turn % healthy.length] as RuntimeInstance;
    proxy(req, res, lb, instance, bodiless(req) ? healthy : []);
  }

  /**
   * Proxies to the instance. A request without a body whose connection fails before any answer (the
   * instance stopped between the pick and the connect, or closed a kept-alive connection as it was
   * reused) is sent once more: to another instance in `others`, as a proxy's "next upstream" does, or
   * on a new connection to the same one; anything else gets 502.
   */
  function proxy(
    req: IncomingMessage,
    res: ServerResponse,
    lb: LoadBalancerRoute,
    instance: RuntimeInstance,
    others: readonly RuntimeInstance[],
    again = false,
  ): void {
    const socketPath = instance.sockets[lb.instancePort];
    const sent = process.hrtime.bigint();
    let reused = false;
    const failed = (why: string) => {
      const next =
        others.find((o) => o.instanceId !== instance.instanceId && o.sockets[lb.instancePort]) ??
        (reused && others.length > 0 ? instance : undefined);
      if (next && !res.headersSent && !res.destroyed) {
        proxy(req, res, lb, next, [], true);
        return;
      }
      if (!res.headersSent) {
        plain(
          res,
          502,
          `stups-local router: instance ${instance.instanceId} of ${lb.stackName} did not answer on port ${lb.instancePort}: ${why}.\n`,
          lb.stackName,
        );
      } else res.destroy();
    };
    if (!socketPath) {
      req.resume();
      failed('no forwarder for that port');
      return;
    }
    const headers = forwardHeaders(req.headers, req.socket.remoteAddress);
    const upstream = httpRequest(
      { socketPath, agent: agentFor(socketPath), method: req.method, path: req.url, headers },
      (answer) => {
        const out: OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(answer.headers)) {
          if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
        }
        out[SERVED_BY_HEADER] = lb.stackName;
        metrics.record(lb, answer.statusCode ?? 502, Number(process.hrtime.bigint() - sent) / 1e9);
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('socket', () => {
      reused = upstream.reusedSocket;
    });
    upstream.on('error', (e) => failed(e.message));
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    // A request sent again has no body, and its stream has ended with the first attempt.
    if (again) upstream.end();
    else req.pipe(upstream);
  }

  const server: Server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      if (!res.headersSent) plain(res, 500, `stups-local router: ${describeError(e).message}\n`);
      else res.destroy();
    }
  });

  await table.start();
  let port: number;
  try {
    port = await listenOnLoopback(server, options.port);
  } catch (e) {
    await table.close();
    health.close();
    await metrics.close();
    cloudwatch.destroy();
    moto.destroy();
    throw e;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    health,
    close: async () => {
      await closeServer(server);
      await table.close();
      health.close();
      await metrics.close();
      cloudwatch.destroy();
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
      moto.destroy();
    },
  };
}

/** A request that can be sent again as it is: a safe method and no body. */
function bodiless(req: IncomingMessage): boolean {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/** The request's headers for the instance: hop-by-hop ones dropped, X-Forwarded-For/-Host/-Proto added. */
function forwardHeaders(incoming: IncomingHttpHeaders, client: string | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(incoming)) {
    if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  }
  const address = (client ?? '').replace(/^::ffff:/, '');
  const prior = incoming['x-forwarded-for'];
  out['x-forwarded-for'] = prior ? `${prior}, ${address}` : address;
  if (incoming.host && !incoming['x-forwarded-host']) out['x-forwarded-host'] = incoming.host;
  if (!incoming['x-forwarded-proto']) out['x-forwarded-proto'] = 'http';
  return out;
}
