import { createServer, type Server } from 'node:http';
import { AuthError } from '../errors.js';

/**
 * The redirect listener of a native app (RFC 8252 §7.3): bound to 127.0.0.1 only, never to a name
 * (`localhost` may resolve to another program on `[::1]`, zign #38), without address reuse, on an
 * ephemeral port or on the first free port of the range a provider registered (the original's
 * 8081–8181). A port another program holds on 127.0.0.1 is skipped, never shared.
 */
export interface LoopbackListener {
  server: Server;
  port: number;
  redirectUri: string;
  close(): Promise<void>;
}

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.removeListener('error', reject);
      resolve(server);
    });
  });
}

export async function openLoopbackListener(ports?: { from: number; to: number }): Promise<LoopbackListener> {
  const candidates = ports ? Array.from({ length: ports.to - ports.from + 1 }, (_, i) => ports.from + i) : [0];
  for (const candidate of candidates) {
    let server: Server;
    try {
      server = await listenOn(candidate);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' || (e as NodeJS.ErrnoException).code === 'EACCES')
        continue;
      throw e;
    }
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : candidate;
    return {
      server,
      port,
      redirectUri: `http://127.0.0.1:${port}/`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }
  throw new AuthError(
    ports
      ? `No free port for the sign-in redirect on 127.0.0.1 in ${ports.from}-${ports.to}`
      : 'No free port on 127.0.0.1',
    {
      code: 'auth.no-port',
      hint: 'Stop what holds these ports, or sign in with `zign login --device`.',
    },
  );
}
