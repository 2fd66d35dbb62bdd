import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Serves a simulator's handler on 127.0.0.1 only; a handler that throws answers 500 instead of crashing. */
export function listenOnLoopback(handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>, port = 0): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      } else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
