import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An in-process Auth0 Management API on loopback that keeps connections in memory and enforces
 * Auth0's documented rules: the client-credentials token endpoint, the name pattern, known
 * top-level keys, unique names (409 with Auth0's body), PATCH refusing name and strategy and
 * replacing options whole, enabling applications through `/connections/{id}/clients`, scopes
 * from the token, 401 for unknown tokens, and modes that answer 429 (Retry-After) or 5xx first.
 *
 * It is a simulator for demonstrations and tests, not a security boundary: it listens on
 * 127.0.0.1 by default and keeps everything in memory.
 */
export interface StoredConnection {
  id: string;
  name: string;
  strategy: string;
  options: Record<string, unknown>;
  enabledClients: string[];
}

export interface ManagementApiOptions {
  /** Interface to listen on (default 127.0.0.1) and port (default: a free one). */
  host?: string;
  port?: number;
  /** Largest request body accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /** token -> scopes */
  tokens: Record<string, string[]>;
  clientCredentials?: { clientId: string; clientSecret: string; token: string };
  /** Answer the first N API requests with 429 and this Retry-After. */
  rateLimit?: { times: number; retryAfterSeconds: number };
  /** Answer the first N API requests with 503. */
  serverErrors?: number;
  /** Before answering a POST, create a connection with the same name (a race with another run). */
  raceOnCreate?: boolean;
  /** Answers a request itself when it returns an answer (fault injection: HTML, odd headers, ...). */
  answer?: (request: { method: string; path: string }) => SimulatedAnswer | undefined;
  /** Holds every API answer this long, so that concurrent requests overlap (ms). */
  delayMs?: number;
}

export interface SimulatedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface ManagementApi {
  /** http://127.0.0.1:<port>: the "tenant" to give the kit. */
  origin: string;
  connections: Map<string, StoredConnection>;
  requests: Array<{ method: string; path: string; authorization?: string; body: string }>;
  /** The most API requests that were being answered at the same time. */
  maxInFlight(): number;
  close(): Promise<void>;
}

const NAME = /^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$/;
const TOP_LEVEL = new Set([
  'name',
  'strategy',
  'options',
  'display_name',
  'enabled_clients',
  'metadata',
  'realms',
  'is_domain_connection',
  'show_as_button',
]);

export async function startManagementApi(options: ManagementApiOptions): Promise<ManagementApi> {
  const connections = new Map<string, StoredConnection>();
  const requests: ManagementApi['requests'] = [];
  let rateLimited = 0;
  let failed = 0;

  function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
    res
      .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      .end(value === undefined ? '' : JSON.stringify(value));
  }
  function error(res: ServerResponse, status: number, message: string, errorCode?: string): void {
    const names: Record<number, string> = {
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      409: 'Conflict',
      413: 'Payload Too Large',
      429: 'Too Many Requests',
      503: 'Service Unavailable',
    };
    json(res, status, { statusCode: status, error: names[status], message, ...(errorCode ? { errorCode } : {}) });
  }
  function create(body: Record<string, unknown>): StoredConnection {
    const stored: StoredConnection = {
      id: `con_${randomBytes(8).toString('hex')}`,
      name: String(body.name),
      strategy: String(body.strategy),
      options: (body.options ?? {}) as Record<string, unknown>,
      enabledClients: [],
    };
    connections.set(stored.id, stored);
    return stored;
  }
  const view = (c: StoredConnection) => ({
    id: c.id,
    name: c.name,
    strategy: c.strategy,
    options: c.options,
    enabled_clients: c.enabledClients,
    realms: [c.name],
    is_domain_connection: false,
  });

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', 'http://simulator');
    requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      body: raw,
    });
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      return error(res, 400, 'Invalid request payload JSON format', 'invalid_body');
    }
    if (url.pathname === '/oauth/token' && req.method === 'POST') {
      const b = (body ?? {}) as Record<string, string>;
      const cc = options.clientCredentials;
      if (!cc || b.grant_type !== 'client_credentials' || b.client_id !== cc.clientId || b.client_secret !== cc.clientSecret) {
        return json(res, 401, { error: 'access_denied', error_description: 'Unauthorized' });
      }
      if (b.audience !== `${origin}/api/v2/`)
        return json(res, 403, { error: 'access_denied', error_description: `Service not enabled within domain: ${b.audience}` });
      return json(res, 200, {
        access_token: cc.token,
        token_type: 'Bearer',
        expires_in: 86400,
        scope: (options.tokens[cc.token] ?? []).join(' '),
      });
    }
    if (!url.pathname.startsWith('/api/v2/')) return error(res, 404, 'Not Found');
    const injected = options.answer?.({ method: req.method ?? '', path: url.pathname + url.search });
    if (injected) return void res.writeHead(injected.status, injected.headers ?? {}).end(injected.body);
    if (options.rateLimit && rateLimited < options.rateLimit.times) {
      rateLimited += 1;
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(options.rateLimit.retryAfterSeconds),
        'x-ratelimit-limit': '10',
        'x-ratelimit-remaining': '0',
      });
      return void res.end(
        JSON.stringify({
          statusCode: 429,
          error: 'Too Many Requests',
          message: 'Global limit has been reached',
          errorCode: 'too_many_requests',
        }),
      );
    }
    if ((options.serverErrors ?? 0) > failed) {
      failed += 1;
      return error(res, 503, 'Service Unavailable');
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const scopes = options.tokens[token];
    if (!scopes) return error(res, 401, 'Invalid token', 'invalid_token');
    const need = (scope: string): boolean => {
      if (scopes.includes(scope)) return true;
      error(res, 403, `Insufficient scope, expected any of: ${scope}`, 'insufficient_scope');
      return false;
    };
    const parts = url.pathname.split('/').filter(Boolean); // api, v2, connections, id?, clients?
    if (parts[2] !== 'connections') return error(res, 404, 'Not Found');
    const id = parts[3];
    if (!id && req.method === 'GET') {
      if (!need('read:connections')) return;
      const name = url.searchParams.get('name');
      const strategy = url.searchParams.get('strategy');
      const found = [...connections.values()].filter((c) => (!name || c.name === name) && (!strategy || c.strategy === strategy));
      // Without read:connections_options the options are left out of the answer.
      const withOptions = scopes.includes('read:connections_options');
      const views = found.map((c) => {
        const { options: _options, ...rest } = view(c);
        return withOptions ? view(c) : rest;
      });
      // Paging as Auth0 does it: page (from 0), per_page, and with include_totals an envelope.
      const perPage = url.searchParams.has('per_page') ? Number(url.searchParams.get('per_page')) : undefined;
      const page = Number(url.searchParams.get('page') ?? 0);
      const slice = perPage === undefined ? views : views.slice(page * perPage, (page + 1) * perPage);
      if (url.searchParams.get('include_totals') === 'true') {
        return json(res, 200, {
          total: views.length,
          start: perPage === undefined ? 0 : page * perPage,
          limit: perPage ?? 50,
          connections: slice,
        });
      }
      return json(res, 200, slice);
    }
    if (!id && req.method === 'POST') {
      if (!need('create:connections')) return;
      const b = (body ?? {}) as Record<string, unknown>;
      const unknown = Object.keys(b).filter((k) => !TOP_LEVEL.has(k));
      if (unknown.length > 0)
        return error(res, 400, `Payload validation error: 'Additional properties not allowed: ${unknown.join(',')}'.`, 'invalid_body');
      if (typeof b.name !== 'string' || !NAME.test(b.name) || b.name.length > 128) {
        return error(
          res,
          400,
          `Payload validation error: 'String does not match pattern ^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$: ${String(b.name)}' on property name.`,
          'invalid_body',
        );
      }
      if (options.raceOnCreate && ![...connections.values()].some((c) => c.name === b.name)) create(b);
      if ([...connections.values()].some((c) => c.name === b.name)) {
        return json(res, 409, {
          statusCode: 409,
          error: 'Conflict',
          message: 'A connection with the same name already exists',
          errorCode: 'connection_conflict',
        });
      }
      return json(res, 201, view(create(b)));
    }
    const stored = id ? connections.get(id) : undefined;
    if (!stored) return error(res, 404, 'The connection does not exist', 'inexistent_connection');
    if (parts[4] === 'clients' && req.method === 'PATCH') {
      if (!need('update:connections')) return;
      for (const entry of (body ?? []) as Array<{ client_id: string; status: boolean }>) {
        stored.enabledClients = entry.status
          ? [...new Set([...stored.enabledClients, entry.client_id])]
          : stored.enabledClients.filter((c) => c !== entry.client_id);
      }
      return json(res, 204, undefined);
    }
    if (!parts[4] && req.method === 'PATCH') {
      if (!need('update:connections')) return;
      const b = (body ?? {}) as Record<string, unknown>;
      const refused = Object.keys(b).filter((k) => k === 'name' || k === 'strategy' || !TOP_LEVEL.has(k));
      if (refused.length > 0)
        return error(res, 400, `Payload validation error: 'Additional properties not allowed: ${refused.join(',')}'.`, 'invalid_body');
      if (b.options) stored.options = b.options as Record<string, unknown>; // replaced whole, as Auth0 does
      return json(res, 200, view(stored));
    }
    return error(res, 404, 'Not Found');
  }

  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer({ noDelay: true }, (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > maxBodyBytes) return error(res, 413, 'Payload too large');
      const raw = Buffer.concat(chunks).toString('utf8');
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('finish', () => (inFlight -= 1));
      if (options.delayMs) setTimeout(() => handle(req, res, raw), options.delayMs);
      else handle(req, res, raw);
    });
  });
  server.on('connection', (socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    origin,
    connections,
    requests,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const ALL_SCOPES = [
  'read:connections',
  'create:connections',
  'update:connections',
  'read:connections_options',
  'update:connections_options',
];
