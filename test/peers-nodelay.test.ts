import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { Socket } from 'node:net';
import path from 'node:path';
import { startJiraPeer } from './peers/jira';
import { startManagementApi } from './peers/management-api';
import { startProfileApi } from './peers/providers';

async function acceptedSocketsSetNoDelay(origin: string, requestPath: string): Promise<boolean> {
  const spy = jest.spyOn(Socket.prototype, 'setNoDelay');
  try {
    const port = Number(new URL(origin).port);
    await new Promise<void>((resolve, reject) => {
      get(`${origin}${requestPath}`, (res) => res.resume().on('end', resolve)).on('error', reject);
    });
    // The peer's side of the connection is the socket whose local port is the peer's.
    return spy.mock.contexts.some((socket, i) => (socket as Socket).localPort === port && spy.mock.calls[i]?.[0] === true);
  } finally {
    spy.mockRestore();
  }
}

/**
 * Loopback peers answer at once: a peer that lets Nagle's algorithm hold small writes back adds
 * tens of milliseconds per keep-alive request, and benchmarks then measure the peer.
 */
describe('loopback peers send without delay (TCP_NODELAY)', () => {
  it('the Management API peer', async () => {
    const api = await startManagementApi({ tokens: {} });
    try {
      expect(await acceptedSocketsSetNoDelay(api.origin, '/api/v2/connections')).toBe(true);
    } finally {
      await api.close();
    }
  });

  it("a provider's profile API", async () => {
    const api = await startProfileApi({ id: 1 }, 'ok');
    try {
      expect(await acceptedSocketsSetNoDelay(new URL(api.url('https://api.example.com/me')).origin, '/me')).toBe(true);
    } finally {
      await api.close();
    }
  });

  it('every Python peer serving HTTP sets disable_nagle_algorithm = True on its handler', () => {
    const dir = path.join(__dirname, 'peers');
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.py'))) {
      const source = readFileSync(path.join(dir, file), 'utf8');
      if (/BaseHTTPRequestHandler|SimpleHTTPRequestHandler|http\.server/.test(source)) {
        expect({ file, nagleDisabled: /disable_nagle_algorithm\s*=\s*True/.test(source) }).toEqual({ file, nagleDisabled: true });
      }
    }
  });
});

describe('the JIRA peer sends without delay (TCP_NODELAY)', () => {
  it('the JIRA peer', async () => {
    const jira = await startJiraPeer({ consumers: [] });
    try {
      expect(await acceptedSocketsSetNoDelay(jira.baseUrl, '/status')).toBe(true);
    } finally {
      await jira.close();
    }
  });
});
