import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noDelay } from './no-delay';

/**
 * A loopback proxy in front of the Auth0 Management API simulator that breaks the connection
 * update (PATCH /api/v2/connections/{id}) the way networks do: the answer lost after Auth0
 * applied it (a reset, or a 502 from a proxy), or the call held open so a test can kill the
 * client in the middle. Everything else passes through unchanged.
 */
export type PatchFault =
  | 'none'
  /** Applied by Auth0, then the connection is reset before any answer. */
  | 'reset-after-apply'
  /** Applied by Auth0, then the connection is reset, and so is every request after it (Auth0 unreachable). */
  | 'down-after-apply'
  /** Applied by Auth0, then a 502 from the proxy (every attempt). */
  | '502-after-apply'
  /** Held before Auth0 sees it, until the client goes away. */
  | 'hold-before-apply'
  /** Applied by Auth0, then the answer held until the client goes away. */
  | 'hold-after-apply';

export interface Auth0Faults {
  origin: string;
  fault: PatchFault;
  /** Resolves when a PATCH is being held. */
  held(): Promise<void>;
  close(): Promise<void>;
}

function forward(
  upstream: string,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url ?? '/', upstream);
    const out = request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 502, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }),
      );
    });
    out.setNoDelay(true);
    out.on('error', reject);
    out.end(body);
  });
}

export async function startAuth0Faults(upstream: string, fault: PatchFault = 'none'): Promise<Auth0Faults> {
  let onHeld: () => void = () => undefined;
  const heldPromise = new Promise<void>((resolve) => (onHeld = resolve));
  const state = { fault, down: false };
  const server = noDelay(
    createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const isUpdate = req.method === 'PATCH' && /^\/api\/v2\/connections\/[^/]+$/.test(new URL(req.url ?? '/', upstream).pathname);
        if (state.down) return void res.socket?.destroy();
        const mode = isUpdate ? state.fault : 'none';
        if (mode === 'hold-before-apply') return onHeld();
        void forward(upstream, req, body).then(
          (answer) => {
            if (mode === 'down-after-apply') state.down = true;
            if (mode === 'reset-after-apply' || mode === 'down-after-apply') return res.socket?.destroy();
            if (mode === '502-after-apply') {
              return void res
                .writeHead(502, { 'content-type': 'text/html', 'retry-after': '0' })
                .end('<html><body>502 Bad Gateway</body></html>');
            }
            if (mode === 'hold-after-apply') return onHeld();
            const { 'transfer-encoding': _te, connection: _c, ...headers } = answer.headers;
            res.writeHead(answer.status, headers).end(answer.body);
          },
          () => res.socket?.destroy(),
        );
      });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get fault() {
      return state.fault;
    },
    set fault(value: PatchFault) {
      state.fault = value;
      state.down = false;
    },
    held: () => heldPromise,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
