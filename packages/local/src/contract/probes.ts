import { request } from 'node:http';
import { connect } from 'node:net';

/** Liveness probes a service and the daemon's `status` share. */

/** Whether an HTTP server answers on the unix socket at `socketPath`. */
export function unixHttpAnswers(socketPath: string, path: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

/** Whether an SSH server listens at host:port (it greets with `SSH-2.0-…`). */
export function sshAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('data', (d) => done(d.toString('latin1').startsWith('SSH-')));
    socket.once('error', () => done(false));
    // Closed before a banner (an sshd that cannot load its host key any more): not answering.
    socket.once('close', () => done(false));
  });
}
