/** The JIRA simulator's public types and options. */

export interface JiraUser {
  key: string;
  name: string;
  emailAddress: string;
  displayName: string;
  avatarUrls: Record<string, string>;
  accountId?: string;
  active?: boolean;
  timeZone?: string;
  locale?: string;
}

/** An account for the Application Links REST API: Basic (user + password) and/or a personal access token. */
export interface JiraAccount {
  user: string;
  password?: string;
  token?: string;
  admin: boolean;
  /** A system administrator (JIRA's highest global permission): the only one the OAuth 2.0 client REST answers. */
  systemAdmin?: boolean;
}

/** An incoming OAuth 1.0a consumer: RSA-SHA1 with a public key (the only method JIRA's provider takes). */
export interface JiraConsumer {
  consumerKey: string;
  /** SPKI PEM, or its base64 body without the PEM lines. */
  publicKeyPem: string;
  name?: string;
  /** A registered consumer callback: JIRA then sends the verifier of an `oob` request token there too. */
  callback?: string;
}

export interface JiraApplicationLink {
  id: string;
  name: string;
  rpcUrl: string;
  displayUrl: string;
  typeId: string;
  /** The incoming consumer the link points at, when there is one. */
  consumer?: { key: string; name: string; publicKey: string };
}

export interface SignatureCheckJob {
  method: string;
  /** The URL as JIRA sees it (its base URL, path and query). */
  uri: string;
  headers: Record<string, string>;
  body: string;
  signatureMethod: 'RSA-SHA1';
  rsaPublicKeyPem: string;
}

/** How the Application Links REST API authenticates administrators. */
export interface JiraAdminAuthOptions {
  /** Basic authentication disabled (Data Center 8.16+): Basic calls get 403; a personal access token still works. */
  basicAuthDisabled?: boolean;
  /** Secure administrator sessions on: every call gets 401 "This resource requires WebSudo.". */
  webSudo?: boolean;
  /** After this many failed Basic logins of a user, JIRA wants a CAPTCHA (AUTHENTICATION_DENIED), even for the right password. */
  captchaAfterFailures?: number;
}

export interface JiraSimulatorOptions {
  /** Consumers registered without an Application Link (as another link's leftovers would be). */
  consumers?: JiraConsumer[];
  /** e.g. "/jira": every path lives under it. */
  contextPath?: string;
  /** Interface to listen on (default 127.0.0.1) and port (default: a free one). */
  host?: string;
  port?: number;
  /** Serve HTTPS with this key and certificate (PEM), as JIRA behind TLS does; default plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** The simulator's clock is real time plus this; its Date header and timestamp window use it. */
  clockSkewSeconds?: number;
  /** Answer every OAuth endpoint with this oauth_problem. */
  problem?: string;
  /** Whole-server behaviours: slow answers, a login redirect, an HTML page, or an empty 200. */
  mode?: 'normal' | 'slow' | 'login-redirect' | 'html' | 'empty-200';
  slowMs?: number;
  /** The user who approves on the authorize page and whom /rest/api/2/myself describes. */
  user?: JiraUser;
  /** /rest/api/2/myself: 'missing' answers 404 (old JIRA), so scripts fall back. */
  myself?: 'ok' | 'missing' | 'bad-json' | 'unauthorized';
  /**
   * JIRA computes base strings with this base URL (a reverse proxy or http/https mismatch); a
   * value starting with "/" keeps the simulator's own origin and changes only the context path.
   */
  baseUrlSeenByJira?: string;
  /** The authorize page: 'approve' (default) redirects at once, 'deny' as if Deny was chosen, 'page' shows Allow / Deny. */
  authorize?: 'approve' | 'deny' | 'page';
  /** /rest/api/2/serverInfo */
  version?: string;
  deploymentType?: 'Server' | 'Cloud';
  serverTitle?: string;
  /** Accounts for the Application Links REST API. */
  accounts?: JiraAccount[];
  /** How the Application Links REST API authenticates (Basic disabled, WebSudo, CAPTCHA). */
  adminAuth?: JiraAdminAuthOptions;
  /**
   * A second signature check by an independent implementation (tests use python3-oauthlib).
   * When its verdict differs from the simulator's own, the request fails with 500 naming both.
   */
  checkSignature?: (job: SignatureCheckJob) => Promise<{ valid: boolean; baseString: string }>;
  /** Largest request body accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /**
   * JIRA's own OAuth 2.0 provider (8.22+): on by default, but JIRA enables it only on an https
   * base URL; 'allow-http' plays the system property that allows http, false a JIRA without it.
   */
  oauth2Provider?: boolean | 'allow-http';
}

export interface JiraSimulatorRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface JiraSimulator {
  /** Base URL including the context path, without a trailing slash. */
  baseUrl: string;
  origin: string;
  requests: JiraSimulatorRequest[];
  /** Registers (or overwrites, by key) a consumer in JIRA's global store; links keep pointing where they did. */
  addConsumer(consumer: JiraConsumer): void;
  /** Removes a consumer and its tokens; a link pointing at it then points at none. */
  removeConsumer(consumerKey: string): boolean;
  /** Every registered consumer key, whether a link points at it or not. */
  consumerKeys(): string[];
  /** The Application Links, each with the consumer it points at. */
  links(): JiraApplicationLink[];
  /** Makes an Application Link directly (as an admin would in the UI); returns its id. */
  addLink(link: { name: string; rpcUrl: string; displayUrl?: string; typeId?: string; consumer?: JiraConsumer }): string;
  /** An access token as if the whole dance had run (for profile script tests). */
  issueAccessToken(consumerKey: string): { token: string; tokenSecret: string };
  /** How many access tokens JIRA holds for a consumer key. */
  accessTokenCount(consumerKey: string): number;
  /** The most requests that were being answered at the same time. */
  maxInFlight(): number;
  /** The OAuth 2.0 provider's incoming clients, as the client REST answers them. */
  oauth2Clients(): Array<{ id: string; clientId: string; name: string; redirects: string[]; scope: string }>;
  /** How many live token pairs (access or refresh token usable) an OAuth 2.0 client holds. */
  oauth2TokenCount(clientId: string): number;
  close(): Promise<void>;
}
