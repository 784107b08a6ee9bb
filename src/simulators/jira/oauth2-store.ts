/**
 * What JIRA's OAuth 2.0 provider remembers: the incoming clients (the applinks screen "External
 * application -> Incoming" lists the same ones, with the same id), the authorization codes, and
 * the token pairs. The client secret is stored in plain text (GET answers it again). Deleting a
 * client deletes every token it holds; resetting its secret revokes none.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { OAUTH2_REFRESH_TOKEN_TTL_MS, OAUTH2_ACCESS_TOKEN_TTL_S, type OAuth2Scope } from './oauth2-contract';

export interface OAuth2Client {
  id: string;
  /** 32 hex digits. */
  clientId: string;
  /** 64 hex digits. */
  clientSecret: string;
  name: string;
  /** Duplicates dropped, sorted. */
  redirects: string[];
  /** The key of the administrator who created it. */
  userKey: string;
  scope: OAuth2Scope;
}

export interface OAuth2Code {
  clientId: string;
  redirectUri: string;
  scope: OAuth2Scope;
  userKey: string;
  challenge?: { value: string; method: 'S256' | 'plain' };
  created: number;
  used: boolean;
  /** The access tokens issued from it, revoked when the code is used again. */
  issued: string[];
}

export interface OAuth2TokenPair {
  accessToken: string;
  refreshToken: string;
  clientId: string;
  scope: OAuth2Scope;
  userKey: string;
  accessExpires: number;
  refreshExpires: number;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

export class OAuth2Store {
  readonly clients = new Map<string, OAuth2Client>();
  readonly codes = new Map<string, OAuth2Code>();
  /** Keyed by access token. */
  readonly pairs = new Map<string, OAuth2TokenPair>();

  createClient(fields: { name: string; redirects: string[]; scope: OAuth2Scope; userKey: string }): OAuth2Client {
    const client: OAuth2Client = { id: randomUUID(), clientId: hex(16), clientSecret: hex(32), ...fields };
    this.clients.set(client.id, client);
    return client;
  }

  byClientId(clientId: string): OAuth2Client | undefined {
    return [...this.clients.values()].find((c) => c.clientId === clientId);
  }

  /** Deletes the client and every token it holds. */
  deleteClient(client: OAuth2Client): void {
    this.clients.delete(client.id);
    for (const [token, pair] of this.pairs) if (pair.clientId === client.clientId) this.pairs.delete(token);
    for (const [code, value] of this.codes) if (value.clientId === client.clientId) this.codes.delete(code);
  }

  issuePair(fields: { clientId: string; scope: OAuth2Scope; userKey: string }, now: number, refreshCreated = now): OAuth2TokenPair {
    const pair: OAuth2TokenPair = {
      accessToken: hex(24),
      refreshToken: hex(24),
      ...fields,
      accessExpires: now + OAUTH2_ACCESS_TOKEN_TTL_S * 1000,
      refreshExpires: refreshCreated + OAUTH2_REFRESH_TOKEN_TTL_MS,
    };
    this.pairs.set(pair.accessToken, pair);
    return pair;
  }

  byRefreshToken(refreshToken: string): OAuth2TokenPair | undefined {
    return [...this.pairs.values()].find((p) => p.refreshToken === refreshToken);
  }

  /** The pair an access token belongs to, while the access token lives. */
  liveAccess(accessToken: string, now: number): OAuth2TokenPair | undefined {
    const pair = this.pairs.get(accessToken);
    return pair && pair.accessExpires > now ? pair : undefined;
  }
}
