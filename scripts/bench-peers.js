/**
 * Loopback peers for `npm run bench` and for the build's runs that write the code caches: a
 * JIRA that answers the signed request-token POST, and an Auth0 Management API that keeps
 * connections in memory. They accept any signature and any token
 * (only the kit's own cost is measured; the tests check signatures with python3-oauthlib) and set
 * TCP_NODELAY on every socket so the peer never holds an answer back.
 */
const { createServer } = require('node:http');

function listen(server) {
  server.on('connection', (socket) => socket.setNoDelay(true));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

function close(server) {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

async function startJira() {
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const signed = /oauth_signature_method="RSA-SHA1"/.test(String(req.headers.authorization));
      if (req.method !== 'POST' || !req.url.endsWith('/plugins/servlet/oauth/request-token') || !signed) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('oauth_problem=signature_invalid');
        return;
      }
      requests += 1;
      res
        .writeHead(200, { 'content-type': 'text/plain' })
        .end('oauth_token=bench-token&oauth_token_secret=bench-secret&oauth_callback_confirmed=true');
    });
  });
  const origin = await listen(server);
  return { origin, requests: () => requests, close: () => close(server) };
}

/**
 * GET (by name, or checkpoint-paged with `take`/`from`), POST, PATCH, and the clients GET and PATCH
 * of /api/v2/connections, shaped as Auth0 answers them (no `enabled_clients` on a connection).
 */
async function startManagementApi() {
  let connections = new Map();
  let nextId = 1;
  let requests = 0;
  const json = (res, status, value) =>
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(value === undefined ? '' : JSON.stringify(value));
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      requests += 1;
      const url = new URL(req.url, 'http://peer');
      const body = raw === '' ? undefined : JSON.parse(raw);
      if (url.pathname === '/oauth/token') return json(res, 200, { access_token: 'bench-token', token_type: 'Bearer', expires_in: 86400 });
      const parts = url.pathname.split('/').filter(Boolean);
      if (parts[0] !== 'api' || parts[2] !== 'connections') return json(res, 404, { statusCode: 404, message: 'Not Found' });
      const id = parts[3];
      if (!id && req.method === 'GET') {
        const name = url.searchParams.get('name');
        const list = [...connections.values()].filter((c) => !name || c.name === name);
        if (url.searchParams.has('take')) {
          const take = Number(url.searchParams.get('take'));
          const from = Number(url.searchParams.get('from') ?? 0);
          const slice = list.slice(from, from + take);
          return json(res, 200, { connections: slice, ...(from + take < list.length ? { next: String(from + take) } : {}) });
        }
        return json(res, 200, list);
      }
      if (!id && req.method === 'POST') {
        const stored = { id: `con_${String(nextId++).padStart(16, '0')}`, ...body };
        connections.set(stored.id, stored);
        return json(res, 201, stored);
      }
      const stored = connections.get(id);
      if (!stored) return json(res, 404, { statusCode: 404, message: 'The connection does not exist' });
      if (parts[4] === 'clients') return req.method === 'GET' ? json(res, 200, { clients: [] }) : json(res, 204, undefined);
      Object.assign(stored, body);
      return json(res, 200, stored);
    });
  });
  const origin = await listen(server);
  return {
    origin,
    requests: () => requests,
    connections: () => connections.size,
    /** Forget every connection: each measured run then creates its connections. */
    reset: () => {
      connections = new Map();
    },
    close: () => close(server),
  };
}

module.exports = { startJira, startManagementApi };
