import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { PlatformLinks } from '../contract/links.js';
import { closeServer, listenOnLoopback } from '../contract/loopback-port.js';
import type { AwsResponse } from './aws-errors.js';
import { type AwsRequest, describeRequest } from './aws-request.js';
import type { Correction, Forward, LayerContext } from './correction.js';
import { acmKeyTypes } from './corrections/acm-key-types.js';
import { aliasTargets } from './corrections/alias-targets.js';
import { consoleOutput } from './corrections/console-output.js';
import { elbDnsRegion } from './corrections/elb-dns-region.js';
import { instanceHealth, targetHealth } from './corrections/instance-health.js';
import { instanceTags } from './corrections/instance-tags.js';
import { launchConfigurations } from './corrections/launch-configurations.js';
import { metricAlarms } from './corrections/metric-alarms.js';
import { recordSetPhysicalId } from './corrections/record-set-physical-id.js';
import { resourceSignals } from './corrections/resource-signals.js';
import { route53Changes } from './corrections/route53-changes.js';
import { runtimePoke } from './corrections/runtime-poke.js';
import { stackEvents } from './corrections/stack-events.js';
import { stackFailure } from './corrections/stack-failure.js';
import { stackRecordSets } from './corrections/stack-record-sets.js';
import { stackResourcesCap } from './corrections/stack-resources-cap.js';
import { throttling } from './corrections/throttling.js';
import { FaultSwitch } from './faults.js';
import { MotoClients } from './moto-clients.js';
import { ACCOUNT_CREATED_ON } from './seed-account.js';
import { SIGNAL_TIMEOUT_ENV, SignalWaits } from './signal-waits.js';
import { StackEventLog } from './stack-event-log.js';

export type { Correction, Forward, LayerContext };

export interface AwsProxyOptions {
  motoEndpoint: string;
  /** Region for requests that carry none (unsigned). Default eu-central-1. */
  region?: string;
  /** Loopback port; 0 (default) for an ephemeral one. */
  port?: number;
  /** Corrections in order, outermost first; default all of them (see docs/stups-local.md). */
  corrections?: Correction[];
  /** Links to the runtime (default: none, the layer answers as moto does). */
  links?: PlatformLinks;
  /** The day the emulated account was created, `YYYY-MM-DD` (default ACCOUNT_CREATED_ON, seed-account.ts). */
  accountCreatedOn?: string;
  /** Caps every CreationPolicy `ResourceSignal.Timeout`, in seconds (tests); default: STUPS_LOCAL_SIGNAL_TIMEOUT, else the template's. */
  signalTimeoutCapSeconds?: number;
}

export interface AwsProxy {
  endpoint: string;
  port: number;
  faults: FaultSwitch;
  close(): Promise<void>;
}

export const FAULTS_PATH = '/__stups/faults';

/** The corrections, outermost first. */
export function defaultCorrections(): Correction[] {
  return [
    runtimePoke,
    throttling,
    launchConfigurations,
    resourceSignals,
    stackFailure,
    stackEvents,
    stackRecordSets,
    route53Changes,
    recordSetPhysicalId,
    stackResourcesCap,
    instanceTags,
    elbDnsRegion,
    aliasTargets,
    instanceHealth,
    targetHealth,
    consoleOutput,
    acmKeyTypes,
    metricAlarms,
  ];
}

/**
 * The AWS-correcting layer in front of moto: an HTTP server on loopback that forwards every request as
 * it is (method, path, headers, body) and returns moto's answer, except where a correction applies.
 */
export async function startAwsProxy(options: AwsProxyOptions): Promise<AwsProxy> {
  const defaultRegion = options.region ?? 'eu-central-1';
  const moto = new MotoClients(options.motoEndpoint);
  const faults = new FaultSwitch();
  let queue: Promise<unknown> = Promise.resolve();
  const layer: LayerContext = {
    moto,
    regions: new Set([defaultRegion]),
    defaultRegion,
    faults,
    events: new StackEventLog(),
    signals: new SignalWaits(options.signalTimeoutCapSeconds ?? (Number(process.env[SIGNAL_TIMEOUT_ENV]) || undefined)),
    links: options.links ?? {},
    accountCreatedOn: options.accountCreatedOn ?? ACCOUNT_CREATED_ON,
    exclusive: <T>(fn: () => Promise<T>) => {
      const run = queue.then(fn, fn);
      queue = run.catch(() => undefined);
      return run;
    },
  };
  const corrections = options.corrections ?? defaultCorrections();
  const target = new URL(options.motoEndpoint);

  const toMoto: Forward = (req) => forward(target, req);
  const chain = corrections.reduceRight<Forward>(
    (next, correction) => (req) => correction.handle(req, next, layer),
    toMoto,
  );

  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((e: unknown) => {
      if (!outgoing.headersSent) {
        outgoing.writeHead(502, { 'content-type': 'text/plain' });
      }
      outgoing.end(`stups-local layer: ${(e as Error).message ?? e}`);
    });
  });

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of incoming) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = incoming.url ?? '/';
    if (url.split('?')[0] === FAULTS_PATH) {
      const answer = faults.handleHttp(incoming.method ?? 'GET', body);
      outgoing.writeHead(answer.status, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify(answer.body));
      return;
    }
    const req = describeRequest(incoming.method ?? 'GET', url, incoming.headers, body, defaultRegion);
    if (req.service && !['route53', 'iam', 'sts', 's3'].includes(req.service)) layer.regions.add(req.region);
    const res = req.service ? await chain(req) : await toMoto(req);
    const headers: Record<string, string | string[]> = { ...res.headers, 'content-length': String(res.body.length) };
    delete headers['transfer-encoding'];
    outgoing.writeHead(res.status, headers);
    outgoing.end(res.body);
  }

  const port = await listenOnLoopback(server, options.port);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    faults,
    close: () => closeServer(server).finally(() => moto.destroy()),
  };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'expect', 'upgrade']);

/** Sends the request to moto unchanged (bar hop-by-hop headers) and buffers the answer. */
export function forward(target: URL, req: AwsRequest): Promise<AwsResponse> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  }
  headers['content-length'] = String(req.body.length);
  return new Promise((resolve, reject) => {
    const out = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const resHeaders: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined && !HOP_BY_HOP.has(k)) resHeaders[k] = v;
          }
          resolve({ status: res.statusCode ?? 502, headers: resHeaders, body: Buffer.concat(chunks) });
        });
      },
    );
    out.on('error', reject);
    out.end(req.body);
  });
}
