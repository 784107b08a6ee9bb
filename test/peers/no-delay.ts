import type { Server } from 'node:net';

/**
 * Every accepted socket of a loopback peer sends at once (TCP_NODELAY): without it a peer can
 * hold small writes back by tens of milliseconds, and benchmarks measure the peer, not the kit.
 */
export function noDelay<T extends Server>(server: T): T {
  server.on('connection', (socket) => socket.setNoDelay(true));
  return server;
}
