/**
 * What the JIRA simulator remembers, as JIRA stores it (applinks-oauth 9.1.4, atlassian-oauth
 * 5.0.10): ONE consumer store for the whole instance, keyed by consumer key; each Application
 * Link only points at one key. Putting a consumer adds it (or overwrites the one with that key)
 * and re-points the link: the consumer it pointed at before stays registered with its tokens.
 * Disabling OAuth on a link, or deleting the link, removes the consumer it points at and that
 * consumer's tokens.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { storedRpcUrl } from '../../jira/link-url';
import { linkIdFor, uniqueLinkName } from './contract';
import { OAuth2Store } from './oauth2-store';
import type { JiraApplicationLink, JiraConsumer, JiraSimulatorOptions, JiraUser } from './types';
import { pemBody, readPublicKeyText } from '../../keys/public-key';

export interface StoredConsumer {
  consumerKey: string;
  name: string;
  description: string | null;
  publicKey: KeyObject;
  /** The base64 SPKI body, as the Application Links screen shows it. */
  publicKeyBase64: string;
  callback?: string;
}

export interface StoredLink {
  id: string;
  name: string;
  rpcUrl: string;
  displayUrl: string;
  typeId: string;
  /** The key of the consumer the link points at. */
  consumerKey?: string;
}

export interface RequestToken {
  secret: string;
  consumerKey: string;
  callback: string;
  verifier?: string;
  created: number;
  used: boolean;
}

/**
 * An SPKI public key from PEM or bare base64. JIRA parses the field as an X.509 public key, so a
 * PKCS#1 `RSA PUBLIC KEY` is refused, and so is any private key PEM (node would derive the public
 * half from it; JIRA does not, and a client that sends its private key must fail).
 */
export function parseSpkiPublicKey(text: string): { key: KeyObject; base64: string } {
  if (/BEGIN RSA PUBLIC KEY/.test(text)) throw new Error('a PKCS#1 RSA PUBLIC KEY is not accepted: give the SPKI (BEGIN PUBLIC KEY) form');
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw new Error('a private key is not a public key');
  if (!/^[A-Za-z0-9+/]+=*$/.test(pemBody(text))) throw new Error('the public key is not base64');
  const read = readPublicKeyText(text);
  if (read.key.asymmetricKeyType !== 'rsa') throw new Error('the public key is not an RSA key');
  return { key: read.key, base64: read.base64 };
}

export function randomToken(): string {
  return randomBytes(16).toString('hex');
}

export class JiraState {
  readonly consumers = new Map<string, StoredConsumer>();
  readonly links = new Map<string, StoredLink>();
  readonly requestTokens = new Map<string, RequestToken>();
  readonly accessTokens = new Map<string, { secret: string; consumerKey: string }>();
  readonly nonces = new Set<string>();
  /** The OAuth 2.0 provider's clients, codes and tokens. */
  readonly oauth2 = new OAuth2Store();
  /** Failed Basic logins per user name (the CAPTCHA counter). */
  readonly failedLogins = new Map<string, number>();

  /** Adds a consumer, or overwrites the one with its key; its tokens and the links pointing at it stay. */
  registerConsumer(consumer: JiraConsumer & { description?: string | null }): StoredConsumer {
    const parsed = parseSpkiPublicKey(consumer.publicKeyPem);
    const stored: StoredConsumer = {
      consumerKey: consumer.consumerKey,
      name: consumer.name ?? consumer.consumerKey,
      description: consumer.description ?? null,
      publicKey: parsed.key,
      publicKeyBase64: parsed.base64,
      ...(consumer.callback ? { callback: consumer.callback } : {}),
    };
    this.consumers.set(stored.consumerKey, stored);
    return stored;
  }

  /** Removes a consumer with its request and access tokens; links pointing at it point at none. */
  removeConsumer(consumerKey: string): boolean {
    for (const [token, value] of this.accessTokens) if (value.consumerKey === consumerKey) this.accessTokens.delete(token);
    for (const [token, value] of this.requestTokens) if (value.consumerKey === consumerKey) this.requestTokens.delete(token);
    for (const link of this.links.values()) if (link.consumerKey === consumerKey) delete link.consumerKey;
    return this.consumers.delete(consumerKey);
  }

  /** Disables incoming OAuth on a link: the consumer it points at goes, with its tokens. */
  revokeLink(link: StoredLink): void {
    if (link.consumerKey !== undefined) this.removeConsumer(link.consumerKey);
    delete link.consumerKey;
  }

  /** A generic link's id is derived from its URL: undefined when a link to that URL exists. */
  createLink(link: { name: string; rpcUrl: string; displayUrl?: string; typeId?: string }): StoredLink | undefined {
    const id = linkIdFor(link.rpcUrl);
    if (this.links.has(id)) return undefined;
    const stored: StoredLink = {
      id,
      name: uniqueLinkName(
        link.name,
        [...this.links.values()].map((l) => l.name),
      ),
      rpcUrl: storedRpcUrl(link.rpcUrl),
      displayUrl: link.displayUrl ?? link.rpcUrl,
      typeId: link.typeId ?? 'generic',
    };
    this.links.set(id, stored);
    return stored;
  }

  deleteLink(link: StoredLink): void {
    this.revokeLink(link);
    this.links.delete(link.id);
  }

  pointedConsumer(link: StoredLink): StoredConsumer | undefined {
    return link.consumerKey === undefined ? undefined : this.consumers.get(link.consumerKey);
  }

  linkView(link: StoredLink): JiraApplicationLink {
    const consumer = this.pointedConsumer(link);
    return {
      id: link.id,
      name: link.name,
      rpcUrl: link.rpcUrl,
      displayUrl: link.displayUrl,
      typeId: link.typeId,
      ...(consumer ? { consumer: { key: consumer.consumerKey, name: consumer.name, publicKey: consumer.publicKeyBase64 } } : {}),
    };
  }
}

/** What every surface of the simulator shares. */
export interface SimulatorContext {
  options: JiraSimulatorOptions;
  state: JiraState;
  user: JiraUser;
  /** Base URL with the context path, and origin; set once the server listens. */
  baseUrl: string;
  origin: string;
  now(): number;
}

export function send(ctx: SimulatorContext, res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { Date: new Date(ctx.now()).toUTCString(), ...headers });
  res.end(body);
}

/** The base URL JIRA computes base strings with (a reverse proxy may make it differ). */
export function seenBaseUrl(ctx: SimulatorContext): string {
  const seen = ctx.options.baseUrlSeenByJira;
  if (seen === undefined) return ctx.baseUrl;
  return seen.startsWith('/') ? `${ctx.origin}${seen}` : seen;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
