import type { Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { OperationError } from '@stups/core';

/**
 * Binds port 0 on a loopback address to learn a free port, then releases it for a child process
 * (moto, sshd) to bind. Another process may take it in between: callers retry on "address in use".
 */
export function freeLoopbackPort(address = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, address, () => {
      const bound = server.address();
      const port = typeof bound === 'object' && bound ? bound.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** Whether `port` on `address` can be bound right now. */
export function portIsFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, address, () => server.close(() => resolve(true)));
  });
}

function portTaken(port: number | undefined, cause: Error): OperationError {
  return new OperationError(`Port ${port} on 127.0.0.1 is already in use`, {
    code: 'local.port-taken',
    hint: 'Choose another --port, or leave it out to get a free one.',
    cause,
  });
}

/**
 * Starts `server` listening on 127.0.0.1:`port` (0 or left out: an ephemeral one) and resolves with the
 * bound port. A taken port fails with `local.port-taken`; other listen errors pass through.
 */
export function listenOnLoopback(server: Server, port?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? portTaken(port, e) : e);
    server.once('error', failed);
    server.listen(port ?? 0, '127.0.0.1', () => {
      server.removeListener('error', failed);
      const bound = server.address();
      resolve(typeof bound === 'object' && bound ? bound.port : 0);
    });
  });
}

/** Fails with `local.port-taken` when a port the user asked for cannot be bound on 127.0.0.1. */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => reject(portTaken(port, e)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** Stops accepting, cuts open (keep-alive) connections, and resolves once the server is closed. */
export function closeServer(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
