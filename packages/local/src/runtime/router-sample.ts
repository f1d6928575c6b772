import { Agent, request } from 'node:http';
import { SERVED_BY_HEADER } from './runtime-contract.js';

/**
 * Requests to the local router as a browser of the app would send them (by `Host`), counted by the
 * stack version that answered: what the demo prints next to the weights, and what the runtime's tests
 * and benchmark measure.
 */

export interface RouterAnswer {
  status: number;
  /** The router's `x-stups-stack` header: the stack version that served it (e.g. `hello-world-2`). */
  stack?: string;
  body: string;
  /** Milliseconds from sending the request to the end of the answer. */
  ms: number;
}

export interface RouterSample {
  /** Answers with status 200, by the stack version that served them. */
  byStack: Record<string, number>;
  /** Answers other than 200 and requests that failed (connection refused, reset, timeout), with why. */
  failed: { status?: number; body?: string; error?: string }[];
  total: number;
  /** Per request, in milliseconds (sorted). */
  latencies: number[];
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** One request to `endpoint` (STUPS_LOCAL_HTTP) for `host`; rejects when the connection fails. */
export function routerRequest(endpoint: string, host: string, path = '/', timeoutMs = 10_000): Promise<RouterAnswer> {
  const url = new URL(path, endpoint);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host }, agent, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('error', reject);
      res.on('end', () => {
        const stack = res.headers[SERVED_BY_HEADER];
        resolve({
          status: res.statusCode ?? 0,
          stack: Array.isArray(stack) ? stack[0] : stack,
          body,
          ms: performance.now() - started,
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** `count` requests for `host`, `concurrency` at a time, counted by the version that answered. */
export async function sampleRouter(
  endpoint: string,
  host: string,
  count: number,
  { concurrency = 8, path = '/' }: { concurrency?: number; path?: string } = {},
): Promise<RouterSample> {
  const sample: RouterSample = { byStack: {}, failed: [], total: count, latencies: [] };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      try {
        const answer = await routerRequest(endpoint, host, path);
        sample.latencies.push(answer.ms);
        if (answer.status === 200) {
          const stack = answer.stack ?? '(no header)';
          sample.byStack[stack] = (sample.byStack[stack] ?? 0) + 1;
        } else sample.failed.push({ status: answer.status, body: answer.body.slice(0, 200) });
      } catch (e) {
        sample.failed.push({ error: (e as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  sample.latencies.sort((a, b) => a - b);
  return sample;
}

/** Closes the kept-alive connections to the router (so a script or a test can exit). */
export function closeRouterConnections(): void {
  agent.destroy();
}
