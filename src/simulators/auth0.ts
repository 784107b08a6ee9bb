import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  clientsPatchProblem,
  connectionBodyProblem,
  managementJwt,
  NAME,
  pageOf,
  RATE_LIMIT,
  rateLimitHeaders,
  requiredScope,
  sendError,
  sendJson,
  TOO_MANY_REQUESTS,
  TOP_LEVEL,
} from './auth0-rules';
import { simulateLogin, type LoginOutcome, type LoginRequest } from './auth0-login';
import { TenantStore, tenantApi } from './auth0-tenant';

/**
 * An in-process Auth0 Management API on loopback that keeps connections in memory and answers as
 * Auth0 does (the rules are listed in auth0-rules.ts): the client-credentials token endpoint with
 * the canonical-audience rule, the name pattern, known top-level keys, the strategy enum and the
 * specification's limits on bodies (POST and PATCH), unique names (409), PATCH refusing name and
 * strategy, changing only the fields it names, replacing options whole and resetting
 * `display_name` when it is left out, enabled applications only through
 * `/connections/{id}/clients`, DELETE, scopes from the token (the token checked before the body
 * is read, the scope before the connection is looked up), 401 for unknown tokens, X-RateLimit-*
 * on every answer, and modes that answer 429 (with Retry-After, or a burst limit without it), 5xx,
 * or lose the answer to a create. Deleting a
 * connection deletes its users. Users, Actions, applications and client grants live in
 * auth0-tenant.ts; a login through a connection, with the post-login Actions run, in
 * auth0-login.ts; the applications it creates get client-credentials tokens with their grants'
 * scopes.
 *
 * It is a simulator for demonstrations and tests, not a security boundary: it listens on
 * 127.0.0.1 by default and keeps everything in memory.
 */
export interface StoredConnection {
  id: string;
  name: string;
  strategy: string;
  options: Record<string, unknown>;
  display_name?: string;
  /** The other top-level fields Auth0 keeps as they were sent; a PATCH that leaves them out keeps them. */
  metadata?: Record<string, string>;
  show_as_button?: boolean;
  realms?: string[];
  is_domain_connection?: boolean;
  /** The applications it is enabled for (read through /connections/{id}/clients only). */
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
  /** The client-credentials grant; `token` is what it issues (`managementJwt` makes one whose scopes can be read). */
  clientCredentials?: { clientId: string; clientSecret: string; token: string };
  /**
   * Plays a custom domain of the tenant with this canonical domain (NAME.REGION.auth0.com): its
   * /oauth/token refuses the Management API audience with 403 "Service not enabled within domain".
   */
  canonicalDomain?: string;
  /** Answer the first N API requests with 429 and this Retry-After. */
  rateLimit?: { times: number; retryAfterSeconds: number };
  /** A burst limit: for this long after the first API request, 429 with the reset at the current second and no Retry-After (ms). */
  burstMs?: number;
  /** Answer the first N token requests with 429. */
  tokenRateLimit?: number;
  /** Answer the first N API requests with 503. */
  serverErrors?: number;
  /** Create the connection of the first N POSTs, then answer 503 as if the answer was lost. */
  lostCreates?: number;
  /** Before answering a POST, create a connection with the same name (a race with another run). */
  raceOnCreate?: boolean;
  /** Answers a request itself when it returns an answer (fault injection: HTML, odd headers, ...). */
  answer?: (request: { method: string; path: string }) => SimulatedAnswer | undefined;
  /** Holds every API answer this long, so that concurrent requests overlap (ms). */
  delayMs?: number;
  /** The clock, ms since the epoch (default Date.now): tests that wait on a fake clock pass theirs. */
  now?: () => number;
  /**
   * The tenant's applications, listed by `GET /api/v2/clients` (read:clients); every tenant also
   * has its global client ("All Applications", `global: true`), which `is_global=false` leaves out.
   */
  applications?: SimulatedApplication[];
}

export interface SimulatedApplication {
  client_id: string;
  name: string;
  app_type?: string;
  global?: boolean;
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
  /** Users, Actions and their bindings, applications and client grants. */
  tenant: TenantStore;
  /** A login through a connection once its profile script gave `profileUserId`, post-login Actions included. */
  login(request: LoginRequest): Promise<LoginOutcome>;
  requests: Array<{ method: string; path: string; authorization?: string; body: string }>;
  /** The most API requests that were being answered at the same time. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export async function startManagementApi(options: ManagementApiOptions): Promise<ManagementApi> {
  const connections = new Map<string, StoredConnection>();
  const tenant = new TenantStore();
  /** Tokens issued to the applications the tenant holds (client credentials with a grant). */
  const issuedTokens = new Map<string, string[]>();
  const requests: ManagementApi['requests'] = [];
  const now = options.now ?? Date.now;
  const counts = { rateLimited: 0, failed: 0, lost: 0, tokenLimited: 0, answered: 0 };
  let burstStart: number | undefined;

  /** Sets the kept top-level fields a body names; the ones it leaves out stay as they were. */
  function keepNamed(stored: StoredConnection, body: Record<string, unknown>): void {
    if (body.metadata !== undefined) stored.metadata = body.metadata as Record<string, string>;
    if (typeof body.show_as_button === 'boolean') stored.show_as_button = body.show_as_button;
    if (Array.isArray(body.realms)) stored.realms = body.realms.map(String);
    if (typeof body.is_domain_connection === 'boolean') stored.is_domain_connection = body.is_domain_connection;
  }
  function create(body: Record<string, unknown>): StoredConnection {
    const stored: StoredConnection = {
      id: `con_${randomBytes(8).toString('hex')}`,
      name: String(body.name),
      strategy: String(body.strategy),
      options: (body.options ?? {}) as Record<string, unknown>,
      ...(typeof body.display_name === 'string' ? { display_name: body.display_name } : {}),
      enabledClients: [],
    };
    keepNamed(stored, body);
    connections.set(stored.id, stored);
    return stored;
  }
  // No enabled_clients: it left the connection object at its end of life.
  const view = (c: StoredConnection, withOptions: boolean) => ({
    id: c.id,
    name: c.name,
    ...(c.display_name === undefined ? {} : { display_name: c.display_name }),
    strategy: c.strategy,
    ...(withOptions ? { options: c.options } : {}),
    ...(c.metadata === undefined ? {} : { metadata: c.metadata }),
    ...(c.show_as_button === undefined ? {} : { show_as_button: c.show_as_button }),
    realms: c.realms ?? [c.name],
    is_domain_connection: c.is_domain_connection ?? false,
  });

  function token(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    if (options.tokenRateLimit && counts.tokenLimited < options.tokenRateLimit) {
      counts.tokenLimited += 1;
      return sendJson(res, 429, { error: 'too_many_requests', error_description: 'Too Many Requests' }, { 'retry-after': '30' });
    }
    const b = (body ?? {}) as Record<string, string>;
    const created = typeof b.client_id === 'string' ? tenant.clients.get(b.client_id) : undefined;
    if (created && b.grant_type === 'client_credentials' && b.client_secret === created.client_secret) {
      // An application of the tenant: the scopes of its grant for the audience, none without one.
      const grant = tenant.grantOf(created.client_id, String(b.audience));
      if (!grant || options.canonicalDomain !== undefined)
        return sendJson(res, 403, { error: 'access_denied', error_description: `Client has not been granted scopes for ${b.audience}` });
      const issued = managementJwt(grant.scope, grant.audience);
      issuedTokens.set(issued, grant.scope);
      return sendJson(res, 200, { access_token: issued, token_type: 'Bearer', expires_in: 86400, scope: grant.scope.join(' ') });
    }
    const cc = options.clientCredentials;
    if (!cc || b.grant_type !== 'client_credentials' || b.client_id !== cc.clientId || b.client_secret !== cc.clientSecret) {
      return sendJson(res, 401, { error: 'access_denied', error_description: 'Unauthorized' });
    }
    // The Management API audience is the canonical domain's, asked of the canonical domain.
    if (options.canonicalDomain !== undefined || b.audience !== `${origin}/api/v2/`)
      return sendJson(res, 403, { error: 'access_denied', error_description: `Service not enabled within domain: ${b.audience}` });
    const scopes = options.tokens[cc.token] ?? [];
    return sendJson(res, 200, { access_token: cc.token, token_type: 'Bearer', expires_in: 86400, scope: scopes.join(' ') });
  }

  /** A 429 before anything else, when a rate-limit mode says so. */
  function rateLimited(res: ServerResponse): boolean {
    const at = now();
    burstStart ??= at;
    if (options.burstMs !== undefined && at - burstStart < options.burstMs) {
      sendJson(res, 429, TOO_MANY_REQUESTS, rateLimitHeaders(at, 0, Math.floor(at / 1000)));
      return true;
    }
    if (options.rateLimit && counts.rateLimited < options.rateLimit.times) {
      counts.rateLimited += 1;
      sendJson(res, 429, TOO_MANY_REQUESTS, { 'retry-after': String(options.rateLimit.retryAfterSeconds), ...rateLimitHeaders(at, 0) });
      return true;
    }
    return false;
  }

  function setRateLimitHeaders(res: ServerResponse): void {
    for (const [name, value] of Object.entries(rateLimitHeaders(now(), RATE_LIMIT - ((counts.answered + 1) % RATE_LIMIT))))
      res.setHeader(name, value);
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', 'http://simulator');
    requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      body: raw,
    });
    const isApi = url.pathname.startsWith('/api/v2/');
    const injected = isApi ? options.answer?.({ method: req.method ?? '', path: url.pathname + url.search }) : undefined;
    if (injected) return void res.writeHead(injected.status, injected.headers ?? {}).end(injected.body);
    // Every answer carries the bucket; a 429 below writes its own values over these.
    setRateLimitHeaders(res);
    const parse = (): { body: unknown } | undefined => {
      try {
        return { body: raw === '' ? undefined : JSON.parse(raw) };
      } catch {
        return void sendError(res, 400, 'Invalid request payload JSON format', 'invalid_body');
      }
    };
    if (url.pathname === '/oauth/token' && req.method === 'POST') {
      const parsed = parse();
      return parsed && token(req, res, parsed.body);
    }
    if (!isApi) return sendError(res, 404, 'Not Found');
    if (rateLimited(res)) return;
    if ((options.serverErrors ?? 0) > counts.failed) {
      counts.failed += 1;
      return sendError(res, 503, 'Service Unavailable');
    }
    counts.answered += 1;
    // The token first: a body is not even read for an unknown token.
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const scopes = options.tokens[bearer] ?? issuedTokens.get(bearer);
    if (!scopes) return sendError(res, 401, 'Invalid token', 'invalid_token');
    const parsed = parse();
    if (parsed) api(req.method ?? '', url, parsed.body, scopes, res);
  }

  function api(method: string, url: URL, body: unknown, scopes: string[], res: ServerResponse): void {
    const ok = (status: number, value: unknown) => sendJson(res, status, value);
    const fail = (status: number, message: string, errorCode?: string) => sendError(res, status, message, errorCode);
    const need = (scope: string): boolean => {
      if (scopes.includes(scope)) return true;
      fail(403, `Insufficient scope, expected any of: ${scope}`, 'insufficient_scope');
      return false;
    };
    const withOptions = scopes.includes('read:connections_options');
    const parts = url.pathname.split('/').filter(Boolean); // api, v2, connections, id?, clients?
    if (parts[2] === 'clients' && parts.length === 3 && method === 'GET') return applications(url, { ok, fail, need });
    if (parts[2] !== 'connections') return tenantApi(tenant, () => origin, method, url, body, { ok, fail, need });
    if (parts.length > 5) return fail(404, 'Not Found');
    const id = parts[3];
    const scope = requiredScope(method, id, parts[4]);
    if (scope === undefined) return fail(404, 'Not Found');
    // The scope before the lookup: a token without it learns nothing about which ids exist.
    if (!need(scope)) return;
    if (!id && method === 'GET') {
      const name = url.searchParams.get('name');
      const strategy = url.searchParams.get('strategy');
      const found = [...connections.values()].filter((c) => (!name || c.name === name) && (!strategy || c.strategy === strategy));
      const page = pageOf(
        found.map((c) => view(c, withOptions)),
        url.searchParams,
        'connections',
        100,
      );
      return page.ok ? ok(200, page.body) : fail(400, page.message, 'invalid_query_string');
    }
    if (!id && method === 'POST') {
      const b = (body ?? {}) as Record<string, unknown>;
      const unknown = Object.keys(b).filter((k) => !TOP_LEVEL.has(k));
      if (unknown.length > 0)
        return fail(400, `Payload validation error: 'Additional properties not allowed: ${unknown.join(',')}'.`, 'invalid_body');
      if (typeof b.name !== 'string' || !NAME.test(b.name) || b.name.length > 128) {
        return fail(
          400,
          `Payload validation error: 'String does not match pattern ^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$: ${String(b.name)}' on property name.`,
          'invalid_body',
        );
      }
      const problem = connectionBodyProblem(b, b.strategy, true);
      if (problem !== undefined) return fail(400, problem, 'invalid_body');
      if (options.raceOnCreate && ![...connections.values()].some((c) => c.name === b.name)) create(b);
      if ([...connections.values()].some((c) => c.name === b.name))
        return fail(409, 'A connection with the same name already exists', 'connection_conflict');
      const created = create(b);
      if ((options.lostCreates ?? 0) > counts.lost) {
        counts.lost += 1;
        return fail(503, 'Service Unavailable');
      }
      return ok(201, view(created, true));
    }
    const stored = id ? connections.get(id) : undefined;
    if (!stored) return fail(404, 'The connection does not exist', 'inexistent_connection');
    if (parts[4] === 'clients') return clients(method, url, body, stored, { ok, fail });
    if (method === 'GET') return ok(200, view(stored, withOptions));
    if (method === 'DELETE') {
      // Deleting a connection deletes its users, and with them the identities linked into them.
      connections.delete(stored.id);
      tenant.deleteUsersOfConnection(stored.name);
      return ok(202, undefined);
    }
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.options !== undefined && !need('update:connections_options')) return;
    const refused = Object.keys(b).filter((k) => k === 'name' || k === 'strategy' || !TOP_LEVEL.has(k));
    if (refused.length > 0)
      return fail(400, `Payload validation error: 'Additional properties not allowed: ${refused.join(',')}'.`, 'invalid_body');
    const problem = connectionBodyProblem(b, stored.strategy, false);
    if (problem !== undefined) return fail(400, problem, 'invalid_body');
    if (b.options) stored.options = b.options as Record<string, unknown>; // replaced whole, as Auth0 does
    // Left out, the label goes back to the name (documented); the other fields it does not name stay.
    stored.display_name = typeof b.display_name === 'string' ? b.display_name : stored.name;
    keepNamed(stored, b);
    return ok(200, view(stored, withOptions));
  }

  type Answerers = {
    ok: (s: number, v: unknown) => void;
    fail: (s: number, m: string, c?: string) => void;
    need?: (scope: string) => boolean;
  };
  function clients(method: string, url: URL, body: unknown, stored: StoredConnection, { ok, fail }: Answerers): void {
    if (method === 'GET') {
      const page = pageOf(
        stored.enabledClients.map((client_id) => ({ client_id })),
        new URLSearchParams({ take: '50', ...Object.fromEntries(url.searchParams) }),
        'clients',
        1000,
      );
      return page.ok ? ok(200, page.body) : fail(400, page.message, 'invalid_query_string');
    }
    const problem = clientsPatchProblem(body);
    if (problem !== undefined) return fail(400, problem, 'invalid_body');
    for (const entry of body as Array<{ client_id: string; status: boolean }>) {
      stored.enabledClients = entry.status
        ? [...new Set([...stored.enabledClients, entry.client_id])]
        : stored.enabledClients.filter((c) => c !== entry.client_id);
    }
    return ok(204, undefined);
  }

  /** `GET /api/v2/clients`: `is_global` filters, `fields` + `include_fields=true` keeps only those fields. */
  function applications(url: URL, { ok, fail, need }: Required<Answerers>): void {
    if (!need('read:clients')) return;
    const global: SimulatedApplication = { client_id: 'global-client-simulator', name: 'All Applications', global: true };
    const isGlobal = url.searchParams.get('is_global');
    // The applications the tenant was given and those made through the API (machine-to-machine ones among them).
    const made = [...tenant.clients.values()].map((c): SimulatedApplication => ({
      client_id: c.client_id,
      name: c.name,
      app_type: c.app_type,
    }));
    const listed = [global, ...(options.applications ?? []), ...made]
      .filter((a) => isGlobal === null || String(a.global === true) === isGlobal)
      .map((a) => ({ client_id: a.client_id, name: a.name, app_type: a.app_type ?? 'regular_web', global: a.global === true }));
    const fields = url.searchParams.get('fields')?.split(',');
    const shown =
      fields && url.searchParams.get('include_fields') !== 'false'
        ? listed.map((a) => Object.fromEntries(Object.entries(a).filter(([k]) => fields.includes(k))))
        : listed;
    const page = pageOf(shown, url.searchParams, 'clients', 100);
    return page.ok ? ok(200, page.body) : fail(400, page.message, 'invalid_query_string');
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
      if (size > maxBodyBytes) {
        setRateLimitHeaders(res);
        return sendError(res, 413, 'Payload too large');
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('finish', () => (inFlight -= 1));
      if (options.delayMs) {
        // Answered late; a client that gave up first has hung up, and nothing waits on.
        const timer = setTimeout(() => handle(req, res, raw), options.delayMs);
        res.once('close', () => clearTimeout(timer));
      } else handle(req, res, raw);
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
    tenant,
    login: (request) => simulateLogin(tenant, connections.values(), request, now),
    requests,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export { managementJwt };

export const ALL_SCOPES = [
  'read:connections',
  'create:connections',
  'update:connections',
  'read:connections_options',
  'update:connections_options',
  'read:clients',
];
