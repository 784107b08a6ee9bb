import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatConnection } from '../../src/auth0/format';
import { connectionPayloadProblems, suggestConnectionName, validateConnectionName } from '../../src/auth0/payload';
import { formatAppLinkGuide, jiraEndpoints, normalizeJiraBaseUrl, parseJiraBaseUrl, planJiraSetup, setupJira } from '../../src';
import { buildAppLinkSettings, generateConsumerKey, validateConsumerKey } from '../../src/jira/app-link-settings';
import { jiraCloudDeprecationWarning } from '../../src/jira/cloud-notice';
import { buildJiraConnection } from '../../src/flows/jira-connection';
import { parsePrivateKey } from '../../src/keys/load';
import { parseTenant } from '../../src/lib/tenant';
import { keyFixtures } from '../helpers/keys';
import { ALL_SCOPES, startManagementApi } from '../peers/management-api';
import { kitErrorOf } from '../helpers/errors';

describe('JIRA base URL', () => {
  it.each([
    ['https://jira.example.com/', 'https://jira.example.com'],
    ['https://jira.example.com/jira/', 'https://jira.example.com/jira'],
    ['  https://JIRA.Example.com:8443/jira//  ', 'https://jira.example.com:8443/jira'],
    ['http://127.0.0.1:8080/jira', 'http://127.0.0.1:8080/jira'],
    ['http://localhost:2990/jira', 'http://localhost:2990/jira'],
    ['http://[::1]:2990', 'http://[::1]:2990'],
  ])('normalizes %s', (input, expected) => {
    expect(normalizeJiraBaseUrl(input)).toBe(expected);
  });

  it('derives the three servlet endpoints, keeping the context path', () => {
    expect(jiraEndpoints('https://example.com/jira/')).toMatchObject({
      baseUrl: 'https://example.com/jira',
      requestTokenUrl: 'https://example.com/jira/plugins/servlet/oauth/request-token',
      authorizeUrl: 'https://example.com/jira/plugins/servlet/oauth/authorize',
      accessTokenUrl: 'https://example.com/jira/plugins/servlet/oauth/access-token',
      myselfUrl: 'https://example.com/jira/rest/api/2/myself',
    });
  });

  it('is parsed once into a value with its parts, endpoints and REST roots', () => {
    const jira = parseJiraBaseUrl('https://JIRA.example.com:8443/jira/');
    expect(jira).toMatchObject({
      baseUrl: 'https://jira.example.com:8443/jira',
      origin: 'https://jira.example.com:8443',
      contextPath: '/jira',
      host: 'jira.example.com:8443',
      hostname: 'jira.example.com',
      cloud: false,
      endpoints: jiraEndpoints('https://jira.example.com:8443/jira'),
      serverInfoUrl: 'https://jira.example.com:8443/jira/rest/api/2/serverInfo',
      applinksRestUrl: 'https://jira.example.com:8443/jira/rest/applinks/3.0',
      applinksOAuthRestUrl: 'https://jira.example.com:8443/jira/rest/applinks-oauth/1.0',
      oauth2RestUrl: 'https://jira.example.com:8443/jira/rest/oauth2/latest',
      applicationLinksPageUrl: 'https://jira.example.com:8443/jira/plugins/servlet/applinks/listApplicationLinks',
    });
    // The library entry passes a value through unparsed; it prints and serializes as its base URL.
    expect(parseJiraBaseUrl(jira)).toBe(jira);
    expect(`${jira}`).toBe('https://jira.example.com:8443/jira');
    expect(JSON.stringify({ jira })).toBe('{"jira":"https://jira.example.com:8443/jira"}');
    expect(parseJiraBaseUrl('https://acme.atlassian.net')).toMatchObject({ cloud: true, contextPath: '' });
  });

  it.each([
    ['http://jira.example.com', 'insecure_url', 'The JIRA base URL http://jira.example.com uses plain http.', 'https://'],
    ['http://10.0.0.5:8080', 'insecure_url', 'The JIRA base URL http://10.0.0.5:8080 uses plain http.', 'loopback'],
    ['jira.example.com', 'invalid_url', 'The JIRA base URL "jira.example.com" is not an absolute URL.', 'https://jira.example.com'],
    ['ftp://jira.example.com', 'invalid_url', 'The JIRA base URL must use https, not ftp.', 'https://'],
    ['https://jira.example.com/?a=1', 'invalid_url', 'The JIRA base URL must not have a query string ("?a=1").', 'without "?'],
    ['https://jira.example.com/#top', 'invalid_url', 'The JIRA base URL must not have a fragment ("#top").', 'without "#'],
    ['https://u:p@jira.example.com', 'invalid_url', 'The JIRA base URL must not contain a user name or password.', 'user:password'],
    ['', 'missing_option', 'The JIRA base URL is empty.', 'Pass the JIRA base URL'],
  ])('refuses %s', (input, code, message, hintFragment) => {
    const error = kitErrorOf(() => normalizeJiraBaseUrl(input));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.hint).toContain(hintFragment);
    expect(error.hint).not.toMatch(/--[a-z]/);
    expect(error.details?.option).toBe('jiraUrl');
    expect(error.exitCode).toBe(2);
  });

  it('warns about Jira Cloud and names the OAuth 2.0 provider', () => {
    expect(jiraCloudDeprecationWarning(parseJiraBaseUrl('https://acme.atlassian.net'))).toContain('--provider atlassian');
    expect(jiraCloudDeprecationWarning(parseJiraBaseUrl('https://jira.acme.com'))).toBeUndefined();
  });
});

describe('Auth0 tenant', () => {
  it.each([
    ['example.eu.auth0.com', 'example.eu.auth0.com', 'https://example.eu.auth0.com/login/callback'],
    ['https://example.eu.auth0.com/', 'example.eu.auth0.com', 'https://example.eu.auth0.com/login/callback'],
    ['login.example.com', 'login.example.com', 'https://login.example.com/login/callback'],
    ['http://127.0.0.1:4000', '127.0.0.1:4000', 'http://127.0.0.1:4000/login/callback'],
  ])('%s', (input, domain, callbackUrl) => {
    expect(parseTenant(input)).toMatchObject({ domain, callbackUrl });
  });
  it.each([
    ['', 'missing_option'],
    ['example', 'invalid_tenant'],
    ['https://example.auth0.com/api/v2', 'invalid_tenant'],
    ['http://example.auth0.com', 'insecure_url'],
    ['exa mple.auth0.com', 'invalid_tenant'],
  ])('refuses "%s"', (input, code) => {
    const error = kitErrorOf(() => parseTenant(input));
    expect(error.code).toBe(code);
    expect(error.hint).not.toMatch(/--[a-z]/);
    expect(error.details?.option).toBe('tenant');
  });
});

describe('names and consumer keys', () => {
  it.each(['jira', 'JIRA-prod-2', 'a', 'a'.repeat(128)])('accepts connection name %s', (name) => {
    expect(validateConnectionName(name)).toBe(name);
  });
  it.each(['', '-jira', 'jira-', 'ji--ra', 'ji_ra', 'jira prod', 'a'.repeat(129)])('refuses connection name "%s"', (name) => {
    const error = kitErrorOf(() => validateConnectionName(name));
    expect(error.code).toBe('invalid_connection_name');
    expect(error.message).toContain('letters and digits, with single hyphens');
    expect(error.hint).toMatch(/^Pass a name like [A-Za-z0-9-]+\.$/);
    expect(error.details?.option).toBe('connectionName');
    expect(error.details?.suggestedName).toBe(error.hint.slice('Pass a name like '.length, -1));
    expect(validateConnectionName(error.details?.suggestedName as string)).toBeTruthy();
  });
  it('suggests a valid name from arbitrary text', () => {
    expect(suggestConnectionName('My JIRA (prod)!')).toBe('My-JIRA-prod');
  });
  it.each(['auth0-jira', 'a', 'urn:auth0:jira.prod_1~x'])('accepts consumer key %s', (key) => {
    expect(validateConsumerKey(key)).toBe(key);
  });
  it.each(['', '-x', 'has space', 'qu"ote', 'a'.repeat(256), 'ключ'])('refuses consumer key "%s"', (key) => {
    expect(kitErrorOf(() => validateConsumerKey(key)).code).toBe('invalid_consumer_key');
  });
  it('generates readable, valid, distinct consumer keys', () => {
    const tenant = parseTenant('acme-prod.eu.auth0.com');
    const a = generateConsumerKey(tenant);
    expect(a).toMatch(/^auth0-acme-prod-[0-9a-f]{6}$/);
    expect(validateConsumerKey(a)).toBe(a);
    expect(generateConsumerKey(tenant)).not.toBe(a);
  });
});

describe('the JIRA connection body', () => {
  const fixtures = keyFixtures();
  const endpoints = jiraEndpoints('https://jira.example.com/jira');

  it('is valid for Auth0 and carries the key, the URLs and RSA-SHA1', async () => {
    const key = await parsePrivateKey(fixtures.pkcs1);
    const payload = buildJiraConnection({ connectionName: 'jira', consumerKey: 'auth0-jira', endpoints, key });
    expect(connectionPayloadProblems(payload)).toEqual([]);
    const roundTrip = JSON.parse(formatConnection(payload, 'json', 'https://example.auth0.com'));
    expect(roundTrip).toEqual(payload);
    expect(roundTrip.options).toMatchObject({
      client_id: 'auth0-jira',
      client_secret: key.privateKeyPem,
      requestTokenURL: 'https://jira.example.com/jira/plugins/servlet/oauth/request-token',
      accessTokenURL: 'https://jira.example.com/jira/plugins/servlet/oauth/access-token',
      userAuthorizationURL: 'https://jira.example.com/jira/plugins/servlet/oauth/authorize',
      signatureMethod: 'RSA-SHA1',
    });
    expect(Object.keys(roundTrip.options)).not.toContain('consumerKey');
    expect(Object.keys(roundTrip.options)).not.toContain('consumerSecret');
    // The script compiles as a function expression and never uses the private API.
    const script: string = roundTrip.options.scripts.fetchUserProfile;
    expect(() => new Function(`return (${script})`)).not.toThrow();
    expect(script).not.toContain('_performSecureRequest');
    expect(script).toContain('ctx.client_secret');
  });

  it('refuses a key whose PEM does not fit Auth0', () => {
    const longPem = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(2400)}\n-----END PRIVATE KEY-----\n`;
    expect(() => buildJiraConnection({ connectionName: 'jira', consumerKey: 'k', endpoints, key: { privateKeyPem: longPem } })).toThrow(
      expect.objectContaining({ code: 'key_too_large_for_auth0' }),
    );
  });

  it('the Application Link guide names every value in the order of JIRA screens', async () => {
    const key = await parsePrivateKey(fixtures.pkcs8);
    const tenant = parseTenant('example.eu.auth0.com');
    const settings = buildAppLinkSettings({
      tenant,
      endpoints,
      consumerKey: 'auth0-jira',
      publicKey: key.publicKey,
      connectionName: 'jira',
    });
    expect(settings).toMatchObject({
      applicationUrl: 'https://example.eu.auth0.com',
      applicationType: 'Generic Application',
      consumerKey: 'auth0-jira',
      consumerCallbackUrl: '',
      auth0CallbackUrl: 'https://example.eu.auth0.com/login/callback',
      publicKey: key.publicKey.pem,
    });
    const guide = formatAppLinkGuide(settings, endpoints.baseUrl, '/tmp/jira-public.pem');
    const order = [
      'Application links',
      settings.applicationUrl,
      'Generic Application',
      'Create incoming link',
      'auth0-jira',
      'Consumer Callback URL: leave empty',
      'BEGIN PUBLIC KEY',
    ];
    const positions = order.map((s) => guide.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(guide).not.toContain('PRIVATE');
    // JIRA would send the verifier of an oob request token to a registered callback.
    expect(guide).not.toContain('/login/callback');
  });
});

describe('output formats', () => {
  const payload = {
    name: 'jira',
    strategy: 'oauth2' as const,
    options: {
      client_id: "id'with quote",
      client_secret: 'line1\nline2 AUTH0_CONNECTION_JSON',
      authorizationURL: 'https://x.example/authorize',
      tokenURL: 'https://x.example/token',
      scripts: { fetchUserProfile: 'function(a, c, cb) { cb(null, {user_id: "1"}); }' },
    },
  };

  it('har: the seed document shape with a body that is valid JSON and a token placeholder', () => {
    const har = JSON.parse(formatConnection(payload, 'har', 'https://example.auth0.com'));
    expect(har).toMatchObject({ method: 'POST', url: 'https://example.auth0.com/api/v2/connections', httpVersion: 'HTTP/1.1' });
    expect(JSON.parse(har.postData.text)).toEqual(payload);
    expect(har.headers).toContainEqual({ name: 'Authorization', value: 'Bearer YOUR_MANAGEMENT_API_TOKEN' });
  });

  /** Runs a generated script file with sh (asynchronously: the peer answers from this process). */
  function runScript(file: string, token: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn('sh', [file], { env: { ...process.env, AUTH0_MGMT_TOKEN: token } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c));
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  it("curl: sh connection.sh creates the connection with exactly the body and prints only the status and the id, never Auth0's answer", async () => {
    const api = await startManagementApi({ tokens: { 'tok-123': ALL_SCOPES } });
    try {
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'jok-curl-')), 'connection.sh');
      writeFileSync(file, formatConnection(payload, 'curl', api.origin), { mode: 0o600 });
      const created = await runScript(file, 'tok-123');
      const [stored] = [...api.connections.values()];
      expect({ status: created.status, stderr: created.stderr }).toEqual({ status: 0, stderr: '' });
      expect(stored).toMatchObject({ name: 'jira', strategy: 'oauth2', options: payload.options });
      // Auth0 answers the whole connection, secret included: the log gets the status and the id only.
      expect(created.stdout).toBe(`HTTP 201: connection created, id ${stored!.id}\n`);
      // Again: Auth0 refuses the duplicate name; its error code, not its answer, on stderr; exit 1.
      const again = await runScript(file, 'tok-123');
      expect(again).toEqual({ status: 1, stdout: '', stderr: 'HTTP 409: Auth0 did not create the connection (connection_conflict)\n' });
      const refused = await runScript(file, 'not-a-token');
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/^HTTP 401: Auth0 did not create the connection \(\w+\)\n$/);
      expect(`${created.stdout}${again.stderr}${refused.stderr}`).not.toContain('line1');
    } finally {
      await api.close();
    }
  });

  it("curl: the token never appears in curl's arguments (visible in ps); the header comes on a file descriptor", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jok-curl-'));
    // A stand-in curl on PATH records what it was given: its argv, and the header file it was pointed at.
    writeFileSync(
      path.join(dir, 'curl'),
      [
        '#!/bin/sh',
        `printf '%s\\n' "$@" > '${dir}/argv'`,
        'for arg in "$@"; do case "$arg" in @/dev/fd/*) cat "${arg#@}" > \'' + dir + "/header';; esac; done",
        `cat > '${dir}/body'`,
        `printf '{"id":"con_1"}\\n201'`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const script = formatConnection(payload, 'curl', 'http://127.0.0.1:9');
    const token = 'tok-must-not-be-in-argv-0123456789';
    const result = spawnSync('sh', ['-c', script], {
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, AUTH0_MGMT_TOKEN: token },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('HTTP 201: connection created, id con_1\n');
    const argv = readFileSync(path.join(dir, 'argv'), 'utf8');
    expect(argv).toContain('--data-binary');
    expect(argv).not.toContain(token);
    expect(readFileSync(path.join(dir, 'header'), 'utf8').trim()).toBe(`Authorization: Bearer ${token}`);
    expect(JSON.parse(readFileSync(path.join(dir, 'body'), 'utf8'))).toEqual(payload);
  });

  it('curl: refuses to run without AUTH0_MGMT_TOKEN', () => {
    const script = formatConnection(payload, 'curl', 'http://127.0.0.1:9');
    const env = { ...process.env };
    delete env.AUTH0_MGMT_TOKEN;
    const result = spawnSync('sh', ['-c', script], { env, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set AUTH0_MGMT_TOKEN');
  });
});

describe('planJiraSetup: the setup as data, written separately', () => {
  const fixtures = keyFixtures();

  it('writes nothing and lists each file with its content and mode', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jok-plan-'));
    const plan = await planJiraSetup({
      jiraUrl: 'https://jira.example.com/jira',
      tenant: 'example.auth0.com',
      outDir: dir,
      format: 'curl',
    });
    expect(readdirSync(dir)).toEqual([]);
    expect(plan.writes.map((f) => [path.basename(f.path), f.mode.toString(8)])).toEqual([
      ['jira-private.pem', '600'],
      ['jira-public.pem', '644'],
      ['connection.json', '600'],
      ['connection.sh', '600'],
    ]);
    const byName = Object.fromEntries(plan.writes.map((f) => [path.basename(f.path), f.content]));
    expect(byName['jira-private.pem']).toBe(plan.keyPair.privateKeyPem);
    expect(JSON.parse(byName['connection.json']!)).toEqual(plan.connection);
    expect(plan.files).toEqual({
      privateKey: path.join(dir, 'jira-private.pem'),
      publicKey: path.join(dir, 'jira-public.pem'),
      connection: path.join(dir, 'connection.json'),
      formatted: path.join(dir, 'connection.sh'),
    });
    expect(plan.guide).toContain('Open https://jira.example.com/jira/plugins/servlet/applinks/listApplicationLinks');
    expect(plan.jira.baseUrl).toBe('https://jira.example.com/jira');
  });

  it('with an existing key lists no private key file and no files without a folder', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jok-plan-'));
    const keyFile = path.join(dir, 'mine.pem');
    writeFileSync(keyFile, fixtures.pkcs8, { mode: 0o600 });
    const plan = await planJiraSetup({ jiraUrl: 'https://jira.example.com', tenant: 'example.auth0.com', privateKeyFile: keyFile });
    expect(plan.writes).toEqual([]);
    expect(plan.files).toEqual({ privateKey: keyFile });
    expect(plan.key.generated).toBe(false);
  });

  it('setupJira writes exactly the planned files, with their modes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jok-setup-'));
    const result = await setupJira({ jiraUrl: parseJiraBaseUrl('https://jira.example.com'), tenant: 'example.auth0.com', outDir: dir });
    expect(readdirSync(dir).sort()).toEqual(['connection.json', 'jira-private.pem', 'jira-public.pem']);
    expect(statSync(path.join(dir, 'jira-private.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'jira-public.pem')).mode & 0o777).toBe(0o644);
    expect(readFileSync(path.join(dir, 'jira-private.pem'), 'utf8')).toBe(result.keyPair.privateKeyPem);
    expect(result).not.toHaveProperty('writes');
  });
});
