import { type AgentOptions, Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { proxyFor } from './proxy-env.js';

/**
 * Agents that reach a host through the HTTP(S) proxy of the environment with a CONNECT tunnel (for https
 * and http targets alike), or directly when NO_PROXY exempts the host; with a CA bundle, TLS trusts it.
 * Loaded only when a proxy or a CA bundle is configured (see proxy-env.ts).
 */
type ConnectOptions = {
  host?: string | null;
  hostname?: string | null;
  port?: number | string | null;
  servername?: string;
};
type Callback = (err: Error | null, stream: Duplex) => void;

/** The proxy itself failed the tunnel: `EPROXY`, so that errors say so rather than blame the endpoint. */
const proxyError = (message: string) => Object.assign(new Error(message), { code: 'EPROXY' });

/** A CONNECT tunnel to host:port through `proxy`; resolves with the raw socket once the proxy says 200. */
function tunnel(proxy: URL, host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
    const socket: Socket =
      proxy.protocol === 'https:'
        ? tlsConnect({ host: proxy.hostname, port: proxyPort, servername: proxy.hostname })
        : netConnect({ host: proxy.hostname, port: proxyPort });
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const auth =
      proxy.username || proxy.password
        ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
        : '';
    let head = Buffer.alloc(0);
    const fail = (e: Error) => {
      socket.destroy();
      reject(e);
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16_384) fail(proxyError(`proxy ${proxy.host} sent an oversized answer to CONNECT`));
        return;
      }
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('close', onClose);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString('latin1'));
      if (status?.[1] !== '200') {
        return fail(proxyError(`proxy ${proxy.host} refused CONNECT ${authority}: ${status?.[1] ?? 'no HTTP answer'}`));
      }
      const rest = head.subarray(end + 4);
      if (rest.length) socket.unshift(rest);
      resolve(socket);
    };
    const onClose = () => fail(proxyError(`proxy ${proxy.host} closed the connection before CONNECT ${authority}`));
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('close', onClose);
    socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
    });
  });
}

function targetOf(options: ConnectOptions, https: boolean): { host: string; port: number } {
  return {
    host: String(options.hostname ?? options.host ?? 'localhost'),
    port: Number(options.port || (https ? 443 : 80)),
  };
}

class ProxyHttpsAgent extends HttpsAgent {
  constructor(
    options: AgentOptions & { ca?: string | Buffer },
    private readonly env: NodeJS.ProcessEnv,
  ) {
    super(options);
  }
  // biome-ignore lint/suspicious/noExplicitAny: node's createConnection signature is untyped here
  override createConnection(options: any, callback?: Callback): any {
    const { host, port } = targetOf(options, true);
    const proxy = proxyFor(`https://${host.includes(':') ? `[${host}]` : host}:${port}`, this.env);
    // biome-ignore lint/suspicious/noExplicitAny: the base class's method is not in the typings
    if (!proxy) return (HttpsAgent.prototype as any).createConnection.call(this, options, callback);
    tunnel(proxy, host, port).then(
      (raw) => {
        const secure = tlsConnect({ ...options, socket: raw, servername: options.servername ?? host });
        callback?.(null, secure);
      },
      (e) => callback?.(e, undefined as never),
    );
    return undefined;
  }
}

class ProxyHttpAgent extends HttpAgent {
  constructor(
    options: AgentOptions,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    super(options);
  }
  // biome-ignore lint/suspicious/noExplicitAny: node's createConnection signature is untyped here
  override createConnection(options: any, callback?: Callback): any {
    const { host, port } = targetOf(options, false);
    const proxy = proxyFor(`http://${host.includes(':') ? `[${host}]` : host}:${port}`, this.env);
    // biome-ignore lint/suspicious/noExplicitAny: the base class's method is not in the typings
    if (!proxy) return (HttpAgent.prototype as any).createConnection.call(this, options, callback);
    tunnel(proxy, host, port).then(
      (raw) => callback?.(null, raw),
      (e) => callback?.(e, undefined as never),
    );
    return undefined;
  }
}

export interface ProxyAgents {
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
}

/** An http and an https agent that honour the proxy variables of `env` (and `ca` for TLS when given). */
export function proxyAgents(env: NodeJS.ProcessEnv = process.env, options: { ca?: string } = {}): ProxyAgents {
  const base: AgentOptions = { keepAlive: true };
  return {
    httpAgent: new ProxyHttpAgent(base, env),
    httpsAgent: new ProxyHttpsAgent(options.ca ? { ...base, ca: options.ca } : base, env),
  };
}
