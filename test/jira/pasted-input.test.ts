import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { normalizeJiraBaseUrl, parseJiraBaseUrl } from '../../src/jira/endpoints';
import { AUTH0_OUTBOUND_IPS_URL, privateJiraWarning } from '../../src/jira/reachability-notice';
import { parseTenant } from '../../src/lib/tenant';
import { isValidHostName, privateHostReason } from '../../src/lib/url';
import { runCli, type CliRun } from '../helpers/cli';
import { kitErrorOf } from '../helpers/errors';

describe('what people paste as the JIRA base URL', () => {
  it.each([
    ['https://jira.example.com/secure/Dashboard.jspa', 'https://jira.example.com', '/secure/Dashboard.jspa'],
    ['https://jira.example.com/browse/ABC-1', 'https://jira.example.com', '/browse/ABC-1'],
    ['https://jira.example.com/plugins/servlet/applinks/listApplicationLinks', 'https://jira.example.com', '/plugins/servlet/applinks'],
    ['https://jira.example.com/projects/ABC/issues/ABC-1?filter=allopenissues', 'https://jira.example.com', '/projects/ABC'],
    ['https://jira.example.com/issues/?jql=project%3DABC', 'https://jira.example.com', '/issues'],
    // A real context path is kept.
    ['https://host.example.com/jira/browse/X-1', 'https://host.example.com/jira', '/browse/X-1'],
    [
      'https://host.example.com/tools/jira/secure/admin/ViewApplicationProperties.jspa',
      'https://host.example.com/tools/jira',
      '/secure/admin',
    ],
    // Jira Cloud has no context path.
    ['https://acme.atlassian.net/jira/software/projects/ABC/boards/1', 'https://acme.atlassian.net', '/jira/software'],
  ])('%s is refused, suggesting %s', (input, suggested, page) => {
    const error = kitErrorOf(() => normalizeJiraBaseUrl(input));
    expect(error.code).toBe('invalid_url');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain("not JIRA's base URL");
    expect(error.message).toContain(page);
    expect(error.hint).toContain(`Pass ${suggested}, JIRA's base URL`);
    expect(error.details).toEqual({ suggestedJiraUrl: suggested, option: 'jiraUrl' });
  });

  it.each(['https://jira.example.com', 'https://host.example.com/jira/', 'https://host.example.com/browser-tools/jira'])(
    'a base URL (with or without a context path) is accepted: %s',
    (input) => {
      expect(() => normalizeJiraBaseUrl(input)).not.toThrow();
    },
  );

  it('the CLI refuses a browser address with exit 2 and the suggested base URL', async () => {
    const run = await runCli([
      'jira',
      '--jira-url',
      'https://host.example.com/jira/browse/X-1',
      '--tenant',
      'example.eu.auth0.com',
      '--json',
    ]);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc.error.code).toBe('invalid_url');
    expect(doc.error.hint).toContain("Pass https://host.example.com/jira, JIRA's base URL");
    // The library names the option; the command line turns it into the flag.
    expect(doc.error.details.option).toBe('jiraUrl');
    expect(doc.error.hint).toMatch(/ \(--jira-url\)\.$/);
    const verify = await runCli([
      'verify',
      '--jira-url',
      'https://jira.example.com/secure/Dashboard.jspa',
      '--consumer-key',
      'k',
      '--private-key',
      'x.pem',
    ]);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain("Pass https://jira.example.com, JIRA's base URL");
    expect(verify.stderr).toContain('(--jira-url).');
  });
});

describe('what people paste as the Auth0 tenant', () => {
  it.each([
    ['manage.auth0.com', undefined],
    ['https://manage.auth0.com/', undefined],
    ['https://manage.auth0.com/#/connections', undefined],
    ['https://manage.auth0.com/dashboard/eu/example/', 'example.eu.auth0.com'],
    ['https://manage.auth0.com/dashboard/au/acme-prod/connections/social', 'acme-prod.au.auth0.com'],
    ['manage.auth0.com/dashboard/jp/example', 'example.jp.auth0.com'],
    ['https://manage.auth0.com/dashboard/us/example/applications', 'example.us.auth0.com'],
  ])('%s is refused, deriving %s', (input, derived) => {
    const error = kitErrorOf(() => parseTenant(input));
    expect(error.code).toBe('invalid_tenant');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain("is Auth0's dashboard, not a tenant domain");
    expect(error.hint).not.toContain('Pass manage.auth0.com');
    if (derived) {
      expect(error.hint).toContain(`Pass ${derived}, the tenant's domain`);
      expect(error.details).toMatchObject({ suggestedTenant: derived, option: 'tenant' });
    } else {
      expect(error.hint).toContain("Pass the tenant's domain, for example");
      expect(error.details).toEqual({ option: 'tenant' });
    }
  });

  it('a US dashboard address also names the legacy domain (tenants created before June 2020)', () => {
    const error = kitErrorOf(() => parseTenant('https://manage.auth0.com/dashboard/us/example/'));
    expect(error.hint).toContain('legacy domain example.auth0.com');
    expect(error.details).toEqual({ suggestedTenant: 'example.us.auth0.com', legacyTenant: 'example.auth0.com', option: 'tenant' });
  });

  it.each(['-example.auth0.com', 'example-.auth0.com', 'exa$mple.auth0.com', 'a..b.auth0.com', 'example.auth0.com.', 'exa_mple.auth0.com'])(
    '%s is not a host name (RFC 1123): exit 2',
    async (input) => {
      const error = kitErrorOf(() => parseTenant(input));
      expect(error.code).toBe('invalid_tenant');
      expect(error.message).toContain('is not a valid host name');
    },
  );

  it.each(['example.auth0.com:0', 'example.auth0.com:65536', 'example.auth0.com:99999'])('%s has a port outside 1-65535', (input) => {
    expect(kitErrorOf(() => parseTenant(input)).code).toBe('invalid_tenant');
  });

  it.each(['example.auth0.com:1', 'example.auth0.com:65535', 'http://127.0.0.1:4000', 'https://[::1]:8443', 'a-b.c-d.auth0.com'])(
    '%s is accepted',
    (input) => {
      expect(() => parseTenant(input)).not.toThrow();
    },
  );

  it('host names: labels of letters, digits and inner hyphens', () => {
    expect(isValidHostName('example.eu.auth0.com')).toBe(true);
    expect(isValidHostName(`${'a'.repeat(63)}.com`)).toBe(true);
    expect(isValidHostName(`${'a'.repeat(64)}.com`)).toBe(false);
    expect(isValidHostName('')).toBe(false);
  });

  it.each([
    ['-example.auth0.com', 'is not a valid host name'],
    ['exa$mple.auth0.com', 'is not a valid host name'],
    ['a..b.auth0.com', 'is not a valid host name'],
    ['example.auth0.com:0', 'has port 0'],
    ['https://manage.auth0.com/dashboard/eu/example/', "Pass example.eu.auth0.com, the tenant's domain"],
  ])('the CLI refuses --tenant %s with exit 2', async (tenant, words) => {
    const run = await runCli(['jira', '--jira-url', 'https://jira.example.com', '--tenant', tenant, '--json']);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc.error.code).toBe('invalid_tenant');
    expect(`${doc.error.message} ${doc.error.hint}`).toContain(words);
    // The library names the option; the command line turns it into the flag.
    expect(doc.error.details.option).toBe('tenant');
    expect(doc.error.hint).toMatch(/ \(--tenant\)\.$/);
  });
});

describe('a JIRA that Auth0 cannot reach from the internet', () => {
  it.each([
    ['10.1.2.3', 'RFC 1918'],
    ['172.16.0.1', 'RFC 1918'],
    ['172.31.255.255', 'RFC 1918'],
    ['192.168.1.10', 'RFC 1918'],
    ['169.254.10.1', 'link-local'],
    ['100.64.0.1', 'RFC 6598'],
    ['[fe80::1]', 'link-local'],
    ['[fd12:3456::1]', 'unique local'],
    ['[febf::1]', 'link-local'],
    ['[fc00::1]', 'unique local'],
    ['jira.local', '.local'],
    ['jira.corp.internal', 'private-use'],
    ['jira', 'single-label'],
  ])('%s: %s', (host, words) => {
    expect(privateHostReason(host)).toContain(words);
  });

  it.each([
    '127.0.0.1',
    'localhost',
    '[::1]',
    '172.32.0.1',
    '8.8.8.8',
    'jira.example.com',
    '[2001:db8::1]',
    '[fe8::1]',
    '[fd::1]',
    '[fc0::1]',
  ])('%s: no warning', (host) => {
    expect(privateHostReason(host)).toBeUndefined();
  });

  it('the warning says Auth0 calls JIRA from the internet and points to its outbound IP list', () => {
    const warning = privateJiraWarning(parseJiraBaseUrl('https://192.168.1.10/jira'))!;
    expect(warning).toContain('Auth0 calls JIRA');
    expect(warning).toContain('from the internet');
    expect(warning).toContain(AUTH0_OUTBOUND_IPS_URL);
    expect(AUTH0_OUTBOUND_IPS_URL).toBe('https://auth0.com/docs/secure/security-guidance/data-security/allowlist');
  });

  it('`jira` warns at setup (stderr and the --json warnings), and still writes the files; loopback stays silent', async () => {
    const setUp = async (jiraUrl: string, ...more: string[]): Promise<CliRun> =>
      runCli([
        'jira',
        '--jira-url',
        jiraUrl,
        '--tenant',
        'example.eu.auth0.com',
        '--out',
        await mkdtemp(path.join(os.tmpdir(), 'jok-private-')),
        ...more,
      ]);
    const run = await setUp('https://jira.corp.local/jira', '--json');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    // (It does not resolve here either: a warning that JIRA's version could not be read comes too.)
    expect(doc.warnings).toEqual(expect.arrayContaining([expect.stringContaining('jira.corp.local is a .local name')]));
    expect(run.stderr).toContain(`warning: jira.corp.local is a .local name`);
    expect(run.stderr).toContain(AUTH0_OUTBOUND_IPS_URL);
    const loopback = await setUp('http://127.0.0.1:8080/jira');
    expect(loopback.code).toBe(0);
    // Loopback is where tests and the demo run: no reachability warning (only that nothing answers there).
    expect(loopback.stderr).not.toContain('Auth0 calls JIRA');
    expect(loopback.stderr).not.toContain(AUTH0_OUTBOUND_IPS_URL);
  });
});
