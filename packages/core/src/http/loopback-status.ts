import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

/**
 * The HTTP status a plain-HTTP server on loopback answers a `GET` with, read from its status line over a
 * bare `node:net` socket (`Connection: close`); undefined when there is no answer in time, the connection
 * fails or what comes back is not HTTP/1.x. For a check that needs only the status (the credential
 * helper's `GET /v2/` on every `docker pull`): Node's HTTP client is a dozen modules more, some 7 ms of a
 * run on Node 24 (docs/benchmarks.md). No proxy applies: a proxy cannot reach this machine's loopback.
 */
export function loopbackGetStatus(
  url: URL,
  headers: Record<string, string>,
  timeouts: { connectMs: number; requestMs: number },
): Promise<number | undefined> {
  const { connect } = createRequire(import.meta.url)('node:net') as typeof import('node:net');
  return new Promise((resolve) => {
    let head = '';
    let settled = false;
    const finish = (status: number | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(requestTimer);
      socket.destroy();
      resolve(status);
    };
    const connectTimer = setTimeout(() => finish(undefined), timeouts.connectMs);
    const requestTimer = setTimeout(() => finish(undefined), timeouts.requestMs);
    const lines = [
      `GET ${url.pathname}${url.search} HTTP/1.1`,
      `Host: ${url.host}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      'Connection: close',
    ];
    const socket: Socket = connect({ host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 80) });
    socket.setEncoding('latin1');
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', (chunk: string) => {
      head += chunk;
      const end = head.indexOf('\r\n');
      if (end < 0 && head.length < 8192) return;
      const m = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(end < 0 ? head : head.slice(0, end));
      finish(m ? Number(m[1]) : undefined);
    });
    socket.once('error', () => finish(undefined));
    socket.once('close', () => finish(undefined));
  });
}
