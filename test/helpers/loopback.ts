/**
 * What the loopback stand-ins (fake-openai.ts, artifact-service.ts, github-api.ts) share: listening on a
 * free port of 127.0.0.1 while keeping every connection, closing at once, connections and all, and
 * reading a request's body.
 */
import type http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Listens on a free port of 127.0.0.1, adding each connection to `sockets` while it is open; resolves to the port. */
export function listenOnLoopback(server: http.Server, sockets: Set<Socket>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops `server` and ends every open connection, even one a client keeps alive or a hung request holds;
 * resolves once the server and all its sockets are closed.
 */
export function closeServer(server: http.Server, sockets: Set<Socket>): Promise<void> {
  const socketsClosed = [...sockets].map(
    (s) => new Promise<void>((done) => (s.destroyed && s.closed ? done() : s.once('close', () => done()))),
  );
  const serverClosed = new Promise<void>((done) => server.close(() => done()));
  server.closeAllConnections();
  for (const s of sockets) s.destroy();
  return Promise.all([serverClosed, ...socketsClosed]).then(() => undefined);
}

/** A request's whole body, as UTF-8 text. */
export const readBody = (req: http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
