import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AUDIT_CONCURRENCY, runAudit } from '../../src/flows/audit/run-audit';
import { CONNECTIONS_PAGE_SIZE } from '../../src/auth0/connections';
import { managementReader } from '../../src/flows/audit/tenant-reader';
import type { AuditReport } from '../../src/flows/audit/types';
import type { KeyPair } from '../../src/keys/describe';
import { parseTenant } from '../../src/lib/tenant';
import { AUDIT_TOKEN, startAuditTenant, type AuditTenant } from '../helpers/audit-tenant';
import { noDelay } from '../peers/no-delay';
import { selfSignedCertificate } from '../helpers/tls';
import { fixtureKeyPair } from '../helpers/keys';
import { waitRecorder } from '../helpers/wait-recorder';

function audit(tenant: AuditTenant, requestTimeoutMs = 5000, sleep?: (ms: number) => Promise<void>): Promise<AuditReport> {
  const origin = parseTenant(tenant.auth0.origin);
  const waits = sleep === undefined ? {} : { sleep };
  return runAudit({
    tenant: origin,
    reader: managementReader({ tenant: origin, token: AUDIT_TOKEN, ...waits }),
    requestTimeoutMs,
    env: {},
    ...waits,
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { value, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

describe('audit at scale', () => {
  let key: KeyPair;
  const tenants: AuditTenant[] = [];
  beforeAll(async () => {
    key = await fixtureKeyPair('a');
  });
  afterEach(async () => {
    await Promise.all(tenants.splice(0).map((t) => t.close()));
  });
  async function tenantWith(count: number, options: Parameters<typeof startAuditTenant>[1] = {}): Promise<AuditTenant> {
    const tenant = await startAuditTenant(key, options);
    tenants.push(tenant);
    for (let i = 0; i < count; i += 1) tenant.addJira(`jira-${i}`);
    return tenant;
  }

  it('20 working connections are checked several at a time, never more than the limit (JIRA and Auth0 answering with latency)', async () => {
    // Latency on both sides, as over a network, so that requests of concurrent checks overlap.
    const twenty = await tenantWith(20, { jiraSlowMs: 250, management: { delayMs: 100 } });
    const report = await audit(twenty);
    expect(report.summary).toMatchObject({ audited: 20, ok: 20, failed: 0 });
    // Concurrency is read where it happens (requests held open at once), not from a wall-clock
    // ratio that a loaded machine bends; how fast an audit is belongs to the benchmark.
    expect(twenty.jira.maxInFlight()).toBeGreaterThan(1);
    expect(twenty.jira.maxInFlight()).toBeLessThanOrEqual(AUDIT_CONCURRENCY);
    // One serverInfo probe for the JIRA all twenty point at.
    expect(twenty.jira.requests.filter((r) => r.path.endsWith('/serverInfo'))).toHaveLength(1);
  }, 30000);

  it('200 connections finish, read from Auth0 page by page (checkpoint paging)', async () => {
    const tenant = await tenantWith(200);
    const report = await audit(tenant);
    expect(report.summary).toMatchObject({ audited: 200, ok: 200 });
    const pages = tenant.auth0.requests.filter((r) => /^\/api\/v2\/connections\?/.test(r.path));
    expect(pages).toHaveLength(Math.ceil(200 / CONNECTIONS_PAGE_SIZE));
    for (const page of pages) expect(page.path).toMatch(new RegExp(`take=${CONNECTIONS_PAGE_SIZE}`));
  }, 60000);

  it("rate limits: Auth0's 429s are waited out; a JIRA that answers 429 twice leaves its connection not checked, not failed", async () => {
    const tenant = await tenantWith(3, { management: { rateLimit: { times: 2, retryAfterSeconds: 1 } } });
    const limited = noDelay(
      createHttpServer((req, res) => {
        if (req.url?.endsWith('/rest/api/2/serverInfo'))
          return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":"10.3.1"}');
        res.writeHead(429, { 'retry-after': '1' }).end();
      }),
    );
    await new Promise<void>((resolve) => limited.listen(0, '127.0.0.1', resolve));
    try {
      tenant.addJira('jira-rate-limited', { jiraUrl: `http://127.0.0.1:${(limited.address() as AddressInfo).port}/jira` });
      // Both sides' limits are counts of answers, not times: the waits are kept, not spent. Auth0's
      // two 429s (Retry-After: 1) are waited out before the listing; JIRA's 429 gets one retry after 1 s.
      const clock = waitRecorder();
      const report = await audit(tenant, 5000, clock.sleep);
      expect(clock.waits).toEqual([1000, 1000, 1000]);
      expect(report.summary).toMatchObject({ audited: 4, ok: 3, failed: 0, notChecked: 1 });
      const limitedCheck = report.connections.find((c) => c.name === 'jira-rate-limited')!.checks.find((c) => c.name === 'request-token');
      expect(limitedCheck).toMatchObject({ outcome: 'not-checked' });
      expect(limitedCheck!.detail).toContain('429');
      expect(tenant.auth0.requests.filter((r) => r.path.startsWith('/api/v2/connections?')).length).toBeGreaterThanOrEqual(2);
    } finally {
      await new Promise<void>((resolve) => limited.close(() => resolve()));
    }
  }, 30000);

  it('a JIRA that never answers costs its deadline once, not once per connection', async () => {
    const sockets: Socket[] = [];
    const silent = noDelay(createTcpServer((socket) => sockets.push(socket)));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const tenant = await startAuditTenant(key);
      tenants.push(tenant);
      const jiraUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/jira`;
      for (let i = 0; i < 6; i += 1) tenant.addJira(`silent-${i}`, { jiraUrl });
      const deadline = 1000;
      const { value: report, ms } = await timed(() => audit(tenant, deadline));
      expect(report.summary).toMatchObject({ audited: 6, failed: 6 });
      for (const connection of report.connections) {
        expect(connection.checks.find((c) => c.name === 'reachable')).toMatchObject({ outcome: 'failed', code: 'timeout' });
        expect(connection.checks.find((c) => c.name === 'request-token')).toMatchObject({ outcome: 'not-checked' });
      }
      expect(sockets).toHaveLength(1);
      expect(ms).toBeLessThan(2 * deadline);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('audit checks TLS as Auth0 would', () => {
  it("a JIRA whose certificate this machine does not trust is unreachable, with the certificate's fault named", async () => {
    const server = noDelay(createHttpsServer(selfSignedCertificate('localhost'), (_req, res) => res.end('{}')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const key = await fixtureKeyPair('a');
    const tenant = await startAuditTenant(key);
    try {
      tenant.addJira('jira-self-signed', { jiraUrl: `https://localhost:${(server.address() as AddressInfo).port}/jira` });
      const report = await audit(tenant);
      const reachable = report.connections[0]!.checks.find((c) => c.name === 'reachable');
      expect(reachable).toMatchObject({ outcome: 'failed', code: 'tls_error' });
      expect(reachable!.message).toContain('self-signed');
    } finally {
      await tenant.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
