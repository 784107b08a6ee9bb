import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildMyselfRequest, buildRequestTokenRequest } from '../../src/jira/verify';
import { publicKeyFingerprint } from '../../src/keys/fingerprint';
import { httpRequest } from '../../src/lib/http';
import { parseOAuthProblem } from '../../src/jira/verify/parse-problem';
import { startFaultProxy, type FaultProxy } from '../peers/fault-proxy';
import { startJiraPeer, type JiraPeer } from '../peers/jira';
import { ALL_SCOPES, startManagementApi, type ManagementApi } from '../peers/management-api';
import { freshStateHome } from './cli';
import { ADMIN, cli, MGMT_TOKEN, PAT } from './rotate-world';

/**
 * JIRA and Auth0 each behind a fault proxy (test/peers/fault-proxy.ts), set up by
 * `jira --link --apply` through the proxies, and the checks of what must hold after any run,
 * whatever was delayed or lost:
 *
 * 1. JIRA's consumer on the link and the key in the Auth0 connection are one pair, and a request
 *    token signed with Auth0's key is accepted;
 * 2. every key a side held before and the run replaced is refused (consumer_key_unknown), with
 *    its access tokens;
 * 3. the report says what both sides hold, read back.
 *
 * Every signature JIRA receives is also checked by the second implementation (the JIRA peer).
 */
export interface FaultWorld {
  jira: JiraPeer;
  mgmt: ManagementApi;
  /** In front of JIRA: the kit's --jira-url. */
  jiraProxy: FaultProxy;
  /** In front of Auth0: the kit's --tenant. */
  auth0Proxy: FaultProxy;
  jiraUrl: string;
  tenant: string;
  /** The folder `jira --link --apply` wrote the key set into. */
  dir: string;
  /** One state folder (connection locks) for every run of this world: runs on one machine. */
  stateHome: string;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function faultWorld(options: { consumerKey?: string } = {}): Promise<FaultWorld> {
  // The proxy first: JIRA computes base strings with the URL the kit signs (the proxy's).
  const jiraProxy = await startFaultProxy();
  const jira = await startJiraPeer({ consumers: [], accounts: [ADMIN], baseUrlSeenByJira: jiraProxy.origin });
  jiraProxy.upstream = jira.origin;
  const mgmt = await startManagementApi({ tokens: { [MGMT_TOKEN]: ALL_SCOPES } });
  const auth0Proxy = await startFaultProxy(mgmt.origin);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-truth-'));
  const stateHome = freshStateHome();
  const env = { ...PAT, AUTH0_MGMT_TOKEN: MGMT_TOKEN, XDG_STATE_HOME: stateHome };
  const setup = await cli(
    [
      'jira',
      '--jira-url',
      jiraProxy.origin,
      '--tenant',
      auth0Proxy.origin,
      '--link',
      '--apply',
      '--out',
      dir,
      '--consumer-key',
      options.consumerKey ?? 'auth0-r1',
      '--json',
    ],
    env,
  );
  expect(setup.code).toBe(0);
  return {
    jira,
    mgmt,
    jiraProxy,
    auth0Proxy,
    jiraUrl: jiraProxy.origin,
    tenant: auth0Proxy.origin,
    dir,
    stateHome,
    env,
    close: async () => {
      await jiraProxy.close();
      await auth0Proxy.close();
      await jira.close();
      await mgmt.close();
    },
  };
}

/** The one Auth0 connection of the world. */
export function auth0Connection(w: FaultWorld): { id: string; name: string; options: Record<string, unknown> } {
  return [...w.mgmt.connections.values()][0]! as never;
}

/** A consumer a side held, with what a user of it held: to prove all of it refused later. */
export interface HeldConsumer {
  consumerKey: string;
  privateKey?: KeyObject;
  accessToken?: { token: string; tokenSecret: string };
}

/** What Auth0 holds now, as a consumer (with an access token JIRA issued to it, as a logged-in user has). */
export function auth0Consumer(w: FaultWorld, withToken = true): HeldConsumer {
  const options = auth0Connection(w).options;
  const consumerKey = String(options.client_id);
  return {
    consumerKey,
    privateKey: createPrivateKey(String(options.client_secret)),
    ...(withToken ? { accessToken: w.jira.issueAccessToken(consumerKey) } : {}),
  };
}

async function requestToken(w: FaultWorld, consumerKey: string, privateKey: KeyObject): Promise<string> {
  const prepared = buildRequestTokenRequest(`${w.jiraUrl}/plugins/servlet/oauth/request-token`, {
    consumerKey,
    privateKey,
    publicKeyFingerprint: publicKeyFingerprint(createPublicKey(privateKey)),
    jiraBaseUrl: w.jiraUrl,
  });
  const answer = await httpRequest({ ...prepared.http, timeoutMs: 10_000 });
  const problem = parseOAuthProblem(answer.body, answer.headers['www-authenticate'])?.problem;
  return problem ?? (answer.status === 200 && answer.body.includes('oauth_token=') ? 'accepted' : `HTTP ${answer.status}`);
}

async function myself(w: FaultWorld, consumer: HeldConsumer): Promise<number> {
  const prepared = buildMyselfRequest(
    `${w.jiraUrl}/rest/api/2/myself`,
    {
      consumerKey: consumer.consumerKey,
      privateKey: consumer.privateKey!,
      publicKeyFingerprint: publicKeyFingerprint(createPublicKey(consumer.privateKey!)),
      jiraBaseUrl: w.jiraUrl,
    },
    consumer.accessToken!.token,
  );
  return (await httpRequest({ ...prepared.http, timeoutMs: 10_000 })).status;
}

/**
 * The "what must hold" points: JIRA and Auth0 one pair that signs; each of `replaced` refused with
 * its access token; the report, when given, naming what Auth0 and JIRA hold now.
 */
export async function expectOneTruth(w: FaultWorld, replaced: HeldConsumer[], report?: { current?: { key?: string } }): Promise<void> {
  const [link] = w.jira.links();
  const connection = auth0Connection(w);
  const auth0Key = createPrivateKey(String(connection.options.client_secret));
  const auth0PublicKey = createPublicKey(auth0Key).export({ type: 'spki', format: 'der' }).toString('base64');
  // 1. One pair, and it signs.
  expect({ jira: link?.consumer?.key, publicKey: link?.consumer?.publicKey }).toEqual({
    jira: connection.options.client_id,
    publicKey: auth0PublicKey,
  });
  expect(await requestToken(w, String(connection.options.client_id), auth0Key)).toBe('accepted');
  // 2. Every replaced key refused, with its access tokens.
  for (const old of replaced) {
    if (old.consumerKey === connection.options.client_id) continue;
    const signer = old.privateKey ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect({ consumerKey: old.consumerKey, answer: await requestToken(w, old.consumerKey, signer) }).toEqual({
      consumerKey: old.consumerKey,
      answer: 'consumer_key_unknown',
    });
    expect(w.jira.consumerKeys()).not.toContain(old.consumerKey);
    if (old.accessToken && old.privateKey) expect(await myself(w, old)).toBe(401);
  }
  // 3. The report names what holds now.
  if (report?.current?.key !== undefined) expect(report.current.key).toBe(connection.options.client_id);
}
