import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noDelay } from './no-delay';

/**
 * A loopback proxy in front of a simulator (JIRA or the Auth0 Management API) that breaks one
 * request the way networks do, and passes everything else through unchanged:
 *
 * - `delay`: the request reaches the server after `ms` (or when `release()` is called);
 * - `drop-after-apply`: the server applies it, then the client's connection is destroyed before
 *   any answer (the answer is lost);
 * - `502-after-apply`: the server applies it, then a proxy's 502 answers instead;
 * - `502-before-apply`: a proxy's 502 answers, and the server never sees it;
 * - `down-after-apply`: as drop, and every later request is dropped too (the server unreachable);
 * - `hold-before-apply` / `hold-after-apply`: held (before the server sees it, or after it applied
 *   it) until `release()` forwards or answers it, or the client goes away.
 *
 * A rule matches a method and a path pattern; it acts on the `nth` match (1-based, default 1) and
 * on the `times - 1` matches after it (default 1; `Infinity` for every one). Loopback only,
 * TCP_NODELAY on both legs.
 */
export type FaultAction =
  '502-before-apply' | 'delay' | 'drop-after-apply' | '502-after-apply' | 'down-after-apply' | 'hold-before-apply' | 'hold-after-apply';

export interface FaultRule {
  method: string;
  /** Matched against the path without the query. */
  path: RegExp;
  action: FaultAction;
  nth?: number;
  times?: number;
  /** For `delay`: how long (default: until `release()`). */
  ms?: number;
}

export interface FaultProxy {
  origin: string;
  /** Where requests go; may be set after the proxy started (a JIRA that must know the proxy's URL first). */
  upstream: string;
  /** The armed rule (setting it resets the match count); undefined passes everything. */
  rule: FaultRule | undefined;
  /** How many requests the rule has acted on. */
  readonly fired: number;
  /** Resolves once the rule has acted `count` times (default 1; for holds and delays: once held). */
  hit(count?: number): Promise<void>;
  /** Lets every held or delayed request go on. */
  release(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function forward(upstream: string, req: IncomingMessage, body: Buffer): Promise<Answer> {
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

function answerWith(res: ServerResponse, answer: Answer): void {
  const { 'transfer-encoding': _te, connection: _c, ...headers } = answer.headers;
  res.writeHead(answer.status, headers).end(answer.body);
}

export async function startFaultProxy(upstream = '', rule?: FaultRule): Promise<FaultProxy> {
  const state = { upstream, rule, matches: 0, fired: 0, down: false };
  let waiting: Array<() => void> = [];
  let held: Array<() => void> = [];
  let hitWaiters: Array<{ count: number; resolve: () => void }> = [];
  const fire = (): void => {
    state.fired += 1;
    const reached = hitWaiters.filter((w) => w.count <= state.fired);
    hitWaiters = hitWaiters.filter((w) => w.count > state.fired);
    for (const w of reached) w.resolve();
  };
  const actionFor = (req: IncomingMessage): FaultAction | undefined => {
    const armed = state.rule;
    if (!armed || req.method !== armed.method || !armed.path.test(new URL(req.url ?? '/', 'http://x').pathname)) return undefined;
    state.matches += 1;
    const first = armed.nth ?? 1;
    return state.matches >= first && state.matches < first + (armed.times ?? 1) ? armed.action : undefined;
  };
  const untilReleased = (res: ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      const go = (): void => resolve(true);
      held.push(go);
      res.on('close', () => resolve(false));
    });
  const server = noDelay(
    createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void (async () => {
          const body = Buffer.concat(chunks);
          if (state.down) return void res.socket?.destroy();
          const action = actionFor(req);
          if (action === 'delay' || action === 'hold-before-apply') {
            const released =
              action === 'delay' && state.rule?.ms !== undefined
                ? new Promise<boolean>((resolve) => {
                    const timer = setTimeout(() => resolve(true), state.rule?.ms);
                    waiting.push(() => {
                      clearTimeout(timer);
                      resolve(true);
                    });
                  })
                : untilReleased(res);
            fire();
            if (!(await released)) return;
          }
          if (action === '502-before-apply') {
            fire();
            return void res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
          }
          let answer: Answer;
          try {
            answer = await forward(state.upstream, req, body);
          } catch {
            return void res.socket?.destroy();
          }
          if (action === 'drop-after-apply' || action === 'down-after-apply') {
            if (action === 'down-after-apply') state.down = true;
            fire();
            return void res.socket?.destroy();
          }
          if (action === '502-after-apply') {
            fire();
            return void res
              .writeHead(502, { 'content-type': 'text/html', 'retry-after': '0' })
              .end('<html><body>502 Bad Gateway</body></html>');
          }
          if (action === 'hold-after-apply') {
            const go = untilReleased(res);
            fire();
            if (!(await go)) return;
          }
          answerWith(res, answer);
        })();
      });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get upstream() {
      return state.upstream;
    },
    set upstream(value: string) {
      state.upstream = value;
    },
    get rule() {
      return state.rule;
    },
    set rule(value: FaultRule | undefined) {
      state.rule = value;
      state.matches = 0;
      state.down = false;
    },
    get fired() {
      return state.fired;
    },
    hit: (count = 1) =>
      new Promise<void>((resolve) => {
        if (state.fired >= count) resolve();
        else hitWaiters.push({ count, resolve });
      }),
    release: () => {
      for (const go of [...waiting.splice(0), ...held.splice(0)]) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        waiting = [];
        held = [];
        hitWaiters = [];
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
