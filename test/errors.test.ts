import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { commandLine, errorCommand, forCommand, hintWithCommand, hintWithFlags, withFlagHint } from '../src/command-support/flag-hint';
import { COMMANDS, flagOf } from '../src/options';
import { askForValue, KitError, remoteError, suggestCommand } from '../src/errors';
import { parseTenant } from '../src/lib/tenant';
import { validatorFrom } from '../src/prompts';
import { DIAGNOSIS_FACTS, diagnosisFacts, type VerifyReport, type VerifyStep } from '../src/jira/verify';
import { formatStepLine, formatVerifyReport } from '../src/jira/verify/verify-format';
import { concludeSteps, isStepFailure, mayRun, plannedSteps } from '../src/jira/verify/verify-policy';
import { answerTooLarge, networkFailure } from '../src/lib/http';
import { runCli } from './helpers/cli';
import { keyFixtures } from './helpers/keys';
import { kitErrorOf } from './helpers/errors';
import { startManagementApi } from './peers/management-api';

describe('KitError: the service and the structured facts', () => {
  it('carries the service it concerns into --json, and leaves it out when none is set', () => {
    const about = remoteError('Auth0', 'auth0_conflict', 'Auth0 reports a conflict (HTTP 409).', {
      hint: 'Run the command again.',
      status: 409,
    });
    expect(about.service).toBe('Auth0');
    expect(about.exitCode).toBe(1);
    expect(about.toJSON()).toEqual({
      code: 'auth0_conflict',
      message: 'Auth0 reports a conflict (HTTP 409).',
      hint: 'Run the command again.',
      service: 'Auth0',
      details: { status: 409 },
    });
    const local = new KitError('usage', 'Bad.', { hint: 'Fix it.' });
    expect(local.service).toBeUndefined();
    expect(Object.keys(local.toJSON())).toEqual(['code', 'message', 'hint']);
  });

  it('options lists the option named, then the options named; none when the error names none', () => {
    const options = (named: { option?: string; options?: string[] }) => new KitError('usage', 'x', { hint: 'y', ...named }).options;
    expect(options({})).toEqual([]);
    expect(options({ option: 'privateKey' })).toEqual(['privateKey']);
    expect(options({ options: ['force', 'out'] })).toEqual(['force', 'out']);
    expect(options({ option: 'tenant', options: ['jiraUrl'] })).toEqual(['tenant', 'jiraUrl']);
    // An entry of details named like an option is output, not a fact.
    const loose: Record<string, unknown> = { option: 'privateKey' };
    expect(new KitError('usage', 'x', { hint: 'y', details: loose }).options).toEqual([]);
  });

  it('a network failure names the service the HTTP call was labelled with', () => {
    const refused = networkFailure({ code: 'ECONNREFUSED' }, 'https://example.eu.auth0.com/api/v2/connections', 15000, {
      service: 'Auth0',
    });
    expect(refused).toMatchObject({ code: 'connection_refused', service: 'Auth0' });
    expect(refused.hint).toContain('that Auth0 (or the proxy in front of it) is running');
    expect(refused.toJSON().service).toBe('Auth0');
    const timedOut = networkFailure({ code: 'ETIMEDOUT' }, 'https://jira.example.com/', 1000, { service: 'JIRA', stage: 'headers' });
    expect(timedOut).toMatchObject({ code: 'timeout', service: 'JIRA' });
    expect(networkFailure({ code: 'ENOTFOUND' }, 'https://x.example.com/', 1000).service).toBeUndefined();
    expect(answerTooLarge('https://api.vimeo.com/me', 1024, 'Vimeo').service).toBe('Vimeo');
    expect(answerTooLarge('https://api.vimeo.com/me', 1024).service).toBeUndefined();
  });
});

describe('KitError: the facts code reads are typed fields, details is output', () => {
  const facts = { status: 502, errno: 'EACCES', stage: 'proxy', retriedAfterStatus: 503, problem: 'signature_invalid', rolledBack: true };

  it("sets each fact through the constructor, keeps it through reworded(), and shows it in toJSON's details", () => {
    const cause = new Error('inner');
    const error = remoteError('JIRA', 'applink_failed', 'JIRA refused.', {
      hint: 'Fix it.',
      ...facts,
      option: 'jiraUrl',
      details: { url: 'https://jira.example.com/a' },
      cause,
    });
    expect(error).toMatchObject({ ...facts, options: ['jiraUrl'] });
    expect(error.facts).toEqual(facts);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'applink_failed',
      message: 'JIRA refused.',
      hint: 'Fix it.',
      service: 'JIRA',
      details: { url: 'https://jira.example.com/a', option: 'jiraUrl', ...facts },
    });
    const again = error.reworded({ message: 'Other words.', hint: 'Other fix.', details: { url: 'https://jira.example.com/b' } });
    expect(again).toMatchObject({ ...facts, options: ['jiraUrl'], service: 'JIRA', message: 'Other words.', hint: 'Other fix.' });
    expect(again.cause).toBe(cause);
    expect(again.toJSON().details).toEqual({ url: 'https://jira.example.com/b', option: 'jiraUrl', ...facts });
    expect(error.reworded({ hint: 'Again.' }).toJSON().details).toEqual(error.toJSON().details);
  });

  it('shows the options under the name they were given, and reworded() replaces them together', () => {
    expect(new KitError('usage', 'x', { hint: 'y', option: 'out' }).toJSON().details).toEqual({ option: 'out' });
    // A list of one stays a list: scripts match on the name they always saw.
    expect(new KitError('usage', 'x', { hint: 'y', options: ['loginDomain'] }).toJSON().details).toEqual({ options: ['loginDomain'] });
    expect(Object.keys(new KitError('usage', 'x', { hint: 'y', options: [] }).toJSON())).toEqual(['code', 'message', 'hint']);
    const exists = new KitError('file_exists', 'k.pem exists.', { hint: 'y', options: ['force', 'out'], details: { path: '/x/k.pem' } });
    const renamed = exists.reworded({ option: 'saveTokens' });
    expect(renamed.options).toEqual(['saveTokens']);
    expect(renamed.toJSON().details).toEqual({ path: '/x/k.pem', option: 'saveTokens' });
  });

  it('details cannot carry a fact: the type refuses it, and an entry of that name is no fact', () => {
    // @ts-expect-error the HTTP status is the typed `status`, not an entry of details
    const loose = new KitError('http_error', 'x', { hint: 'y', details: { status: 404 } });
    expect(loose.status).toBeUndefined();
  });

  it('carried() hands the facts, the options and the details to an error that stands for this one', () => {
    const refused = remoteError('JIRA', 'applink_failed', 'JIRA refused the consumer.', {
      hint: 'Fix it.',
      status: 400,
      option: 'consumerKey',
      details: { url: 'https://jira.example.com/a' },
    });
    const { details, ...carried } = refused.carried();
    expect(carried).toEqual({ status: 400, option: 'consumerKey' });
    const rolledBack = new KitError(refused.code, `${refused.message} Rolled back.`, {
      ...carried,
      hint: refused.hint,
      rolledBack: true,
      details: { ...details, jiraHolds: 'the old consumer' },
    });
    expect(rolledBack).toMatchObject({ status: 400, rolledBack: true, options: ['consumerKey'] });
    expect(rolledBack.toJSON().details).toEqual({
      url: 'https://jira.example.com/a',
      jiraHolds: 'the old consumer',
      option: 'consumerKey',
      status: 400,
      rolledBack: true,
    });
  });

  it('forCommand keeps only the options the command takes; a value suggested for a dropped option goes with it', () => {
    const exists = new KitError('file_exists', 'k.pem exists.', { hint: 'y', options: ['force', 'out'], details: { path: '/x/k.pem' } });
    expect(forCommand(exists, 'keys generate')).toBe(exists);
    const forRotate = forCommand(exists, 'rotate');
    expect(forRotate.options).toEqual(['out']);
    expect(forRotate.toJSON().details).toEqual({ path: '/x/k.pem', option: 'out' });
    const exportAs = new KitError('invalid_option', 'x', {
      hint: 'y',
      option: 'export',
      details: { optionValue: 'deploy-cli', file: 'a.json' },
    });
    const forVerify = forCommand(exportAs, 'verify');
    expect(forVerify.options).toEqual([]);
    expect(forVerify.toJSON().details).toEqual({ file: 'a.json' });
  });

  it("a verify diagnosis keeps its failure's typed facts out of the JSON document, which shows them in details", () => {
    const timedOut = networkFailure({ code: 'ETIMEDOUT' }, 'https://jira.example.com/', 1000, { service: 'JIRA', stage: 'proxy' });
    expect(timedOut.stage).toBe('proxy');
    const diagnosis = {
      code: timedOut.code,
      message: timedOut.message,
      hint: timedOut.hint,
      details: timedOut.details!,
      [DIAGNOSIS_FACTS]: { ...timedOut.facts, options: timedOut.options },
    };
    expect(diagnosisFacts({ ...diagnosis }).stage).toBe('proxy');
    expect(diagnosisFacts(undefined)).toEqual({ options: [] });
    expect(JSON.parse(JSON.stringify(diagnosis))).toEqual({
      code: 'timeout',
      message: timedOut.message,
      hint: timedOut.hint,
      details: { url: 'https://jira.example.com/', errorCode: 'ETIMEDOUT', stage: 'proxy' },
    });
  });

  it('no code outside the renderers reads an entry of details to decide: the facts it reads are typed fields', () => {
    // The renderers put details into words: the suggested command and value (flag-hint), the base strings (the audit's text, verify's).
    const RENDERERS = new Set(['command-support/flag-hint.ts', 'flows/audit/report-text.ts', 'jira/verify/verify-format.ts']);
    const patterns = [
      /\bdetails\??\.\s*[A-Za-z_]\w*\b(?!\s*=(?!=))/, // details.status, details?.errno (an assignment builds them)
      /\bdetails\??\.?\[/, // details['status']
      /\bdetails\?:\s*\{/, // (error as { details?: { status?: unknown } })
      /\}\s*=\s*[\w.?!]*\bdetails\b/, // const { option } = error.details
      /=\s*[\w.?!]+\.details\s*(\?\?\s*\{\s*\}|;|$)/, // const d = diagnosis.details ?? {}, then d.status
      /\berror(Options|Command)\(/, // the readers of option(s) and command out of details
      /\bdetails\.(status|errno|stage|retriedAfterStatus|problem|rolledBack|options?)\s*=(?!=)/, // a fact written into details
    ];
    const src = path.join(__dirname, '..', 'src');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? files(full) : entry.name.endsWith('.ts') ? [full] : [];
      });
    const offenders = files(src)
      .filter((file) => !RENDERERS.has(path.relative(src, file).split(path.sep).join('/')))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, index) => {
            const code = line.replace(/\s\/\/ .*$/, '');
            return !/^\s*(\*|\/\/|\/\*)/.test(line) && patterns.some((pattern) => pattern.test(code))
              ? [`${path.relative(src, file)}:${index + 1}: ${line.trim()}`]
              : [];
          }),
      );
    expect(offenders).toEqual([]);
  });
});

describe('the command line turns options into flags', () => {
  it('flagOf: camelCase option -> kebab-case flag', () => {
    expect(flagOf('privateKey')).toBe('--private-key');
    expect(flagOf('jiraUrl')).toBe('--jira-url');
    expect(flagOf('out')).toBe('--out');
    expect(flagOf('callbackPort')).toBe('--callback-port');
  });

  it('hintWithFlags appends the flags (and a suggested value) before the final full stop', () => {
    expect(hintWithFlags('Pass the tenant.', { options: ['tenant'] })).toBe('Pass the tenant (--tenant).');
    expect(hintWithFlags('Allow replacing it, or choose another folder.', { options: ['force', 'out'] })).toBe(
      'Allow replacing it, or choose another folder (--force, --out).',
    );
    expect(hintWithFlags('Export it for deploy-cli instead.', { options: ['export'], details: { optionValue: 'deploy-cli' } })).toBe(
      'Export it for deploy-cli instead (--export deploy-cli).',
    );
    expect(hintWithFlags('Check the path.', { options: [], details: { path: '/x' } })).toBe('Check the path.');
    expect(hintWithFlags('Check the path.', { options: [] })).toBe('Check the path.');
  });

  it('withFlagHint keeps code, message, details, service and exit class; without options it is the same error', () => {
    const cause = new Error('inner');
    const error = new KitError('file_exists', '/x/k.pem already exists.', {
      hint: 'Allow replacing it.',
      option: 'force',
      details: { path: '/x/k.pem' },
      service: 'JIRA',
      cause,
    });
    const shown = withFlagHint(error);
    expect(shown.toJSON()).toEqual({ ...error.toJSON(), hint: 'Allow replacing it (--force).' });
    expect(shown.exitCode).toBe(error.exitCode);
    expect(shown.cause).toBe(cause);
    const plain = new KitError('timeout', 'Slow.', { hint: 'Wait.' });
    expect(withFlagHint(plain)).toBe(plain);
  });

  it('the built CLI shows the flag a library error names, and the service in --json', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-errors-'));
    const first = await runCli(['keys', 'generate', '--out', dir, '--json']);
    expect(first.code).toBe(0);
    const again = await runCli(['keys', 'generate', '--out', dir, '--json']);
    expect(again.code).toBe(2);
    const doc = JSON.parse(again.stdout);
    expect(doc.error).toMatchObject({ code: 'file_exists', details: { options: ['force', 'out'] } });
    expect(doc.error.hint).toMatch(/ \(--force, --out\)\.$/);

    const mgmt = await startManagementApi({ tokens: {} });
    const tenant = mgmt.origin;
    await mgmt.close();
    const refused = await runCli(
      ['jira', '--jira-url', 'https://jira.example.com', '--tenant', tenant, '--out', dir, '--force', '--apply', '--json'],
      {
        env: { AUTH0_MGMT_TOKEN: 'not-a-real-token' },
      },
    );
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'connection_refused', service: 'Auth0' });
  });
});

describe('re-wording an error keeps every field', () => {
  it('reworded replaces only what it is given: code, service, details and cause stay', () => {
    const cause = new Error('socket hang up');
    const original = remoteError('JIRA', 'jira_admin_unauthorized', 'JIRA refused (HTTP 401).', {
      hint: 'Check the token.',
      status: 401,
      cause,
    });
    const again = original.reworded({ hint: 'Check the token. Then run link.' });
    expect(again).toBeInstanceOf(KitError);
    expect(again.toJSON()).toEqual({ ...original.toJSON(), hint: 'Check the token. Then run link.' });
    expect(again.cause).toBe(cause);
    expect(again.exitCode).toBe(1);
    expect(original.reworded({ message: 'Other words.' }).toJSON()).toMatchObject({
      message: 'Other words.',
      service: 'JIRA',
      details: { status: 401 },
    });
  });

  it('jira --link --json keeps service "JIRA" in its error document, as link does', async () => {
    const { createServer } = await import('node:http');
    // A JIRA that refuses every administrator request.
    const server = createServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
    });
    server.on('connection', (socket) => socket.setNoDelay(true));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const jiraUrl = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
    try {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-errors-'));
      const env = { env: { JIRA_ADMIN_TOKEN: 'pat-distinct-token-value', JIRA_ADMIN_USER: '', JIRA_ADMIN_PASSWORD: '' } };
      const common = ['--jira-url', jiraUrl, '--tenant', 'example.eu.auth0.com', '--json'];
      const viaJira = await runCli(['jira', ...common, '--link', '--out', dir], env);
      // jira --link reads the link before it makes a key: the refusal comes before any file.
      expect(await readdir(dir)).toEqual([]);
      const publicKeyFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'jok-errors-')), 'public.pem');
      const viaLink = await runCli(
        [
          'link',
          ...common,
          '--consumer-key',
          'auth0-x',
          '--public-key',
          await writeFile(publicKeyFile, keyFixtures('b').spki).then(() => publicKeyFile),
        ],
        env,
      );
      const jiraError = JSON.parse(viaJira.stdout).error;
      const linkError = JSON.parse(viaLink.stdout).error;
      expect(linkError).toMatchObject({ code: 'jira_admin_unauthorized', service: 'JIRA' });
      expect(jiraError).toMatchObject({ code: linkError.code, service: 'JIRA', details: linkError.details });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('a line break in a credential variable is an input error', () => {
  it.each(['AUTH0_MGMT_TOKEN', 'AUTH0_CLIENT_SECRET'])(
    '%s with a newline inside: exit 2 naming the variable, and the value never printed',
    async (variable) => {
      const value = 'mgmt-first-half-Zq81\nmgmt-second-half-Zq81';
      const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-errors-'));
      const body = path.join(dir, 'connection.json');
      const made = await runCli(
        ['connection', '--provider', 'digitalocean', '--client-id', 'abc', '--tenant', 'example.eu.auth0.com', '--out', dir],
        {
          env: { CLIENT_SECRET: 'provider-secret-value' },
        },
      );
      expect(made.code).toBe(0);
      const env = { AUTH0_MGMT_TOKEN: '', AUTH0_CLIENT_ID: 'm2m-client', AUTH0_CLIENT_SECRET: '', [variable]: value };
      const run = await runCli(['apply', body, '--tenant', 'example.eu.auth0.com', '--json'], { env });
      expect(run.code).toBe(2);
      const error = JSON.parse(run.stdout).error;
      expect(error).toMatchObject({ code: 'invalid_option', details: { variable } });
      expect(error.message).toContain(`${variable} holds a line break`);
      expect(run.stdout + run.stderr).not.toContain('first-half-Zq81');
      expect(run.stdout + run.stderr).not.toContain('second-half-Zq81');
    },
  );

  it('JIRA_ADMIN_TOKEN with a newline inside: exit 2 naming the variable, not "a bug in jira-oauth-kit"', async () => {
    const token = 'pat-first-half\npat-second-half';
    const { generateKeyPairSync } = await import('node:crypto');
    const { writeFile } = await import('node:fs/promises');
    const publicKey = path.join(await mkdtemp(path.join(os.tmpdir(), 'jok-errors-')), 'jira-public.pem');
    await writeFile(publicKey, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' }));
    const run = await runCli(
      [
        'link',
        '--jira-url',
        'https://127.0.0.1:9',
        '--tenant',
        'example.eu.auth0.com',
        '--consumer-key',
        'k',
        '--public-key',
        publicKey,
        '--json',
      ],
      { env: { JIRA_ADMIN_TOKEN: token, JIRA_ADMIN_USER: '', JIRA_ADMIN_PASSWORD: '' } },
    );
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout).error;
    expect(error).toMatchObject({ code: 'invalid_option', details: { variable: 'JIRA_ADMIN_TOKEN' } });
    expect(error.message).toContain('JIRA_ADMIN_TOKEN holds a line break');
    expect(run.stdout + run.stderr).not.toContain('pat-first-half');
  });
});

describe('library hints name no flag', () => {
  // The command line, the option table and the prompts may name flags; everything below them names options.
  const CLI_SIDE = /^(cli\.ts|cli\/|commands\/|command-support\/|options\/|prompts\.ts|completion\.ts)/;
  function libraryFiles(dir: string, root = dir): string[] {
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return libraryFiles(full, root);
      const relative = path.relative(root, full).split(path.sep).join('/');
      return full.endsWith('.ts') && !CLI_SIDE.test(relative) ? [full] : [];
    });
  }

  /** "file:line: text" of every code line (comments and trailing comments aside) below the command layer that `offends`. */
  function libraryOffenders(skip: ReadonlySet<string>, offends: (code: string) => boolean): string[] {
    const src = path.join(__dirname, '..', 'src');
    return libraryFiles(src)
      .filter((file) => !skip.has(path.relative(src, file).split(path.sep).join('/')))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, index) =>
            !/^\s*(\*|\/\/|\/\*)/.test(line) && offends(line.replace(/\s\/\/ .*$/, ''))
              ? [`${path.relative(process.cwd(), file)}:${index + 1}: ${line.trim()}`]
              : [],
          ),
      );
  }

  it('no string below the command layer names a --flag (a whole command line to run aside)', () => {
    // A generated shell script (curl's own flags) is not a hint.
    const NOT_HINTS = new Set(['auth0/format.ts']);
    const words = (code: string) =>
      code
        .replace(/https?:\/\/\S+/g, '') // addresses ("avatar-management--avatars")
        .replace(/jira-oauth-kit [^`'"]*/g, ''); // a command the user is told to run
    expect(libraryOffenders(NOT_HINTS, (code) => /['"`][^'"`]*--[a-z]/.test(words(code)))).toEqual([]);
  });

  it('no string below the command layer names a command line to run (the command is a fact in details)', () => {
    const commandWords = Object.keys(COMMANDS).map((name) => name.split(' ')[0]!);
    const commandLine = new RegExp(`jira-oauth-kit (${[...new Set(commandWords)].join('|')})\\b`);
    // A JUnit suite's name, not a command to run; a warning and a portal step that are text, not errors, yet.
    const NOT_SUGGESTIONS = new Set(['flows/audit/report-junit.ts', 'jira/cloud-notice.ts', 'auth0/providers/jira.ts']);
    expect(libraryOffenders(NOT_SUGGESTIONS, (code) => commandLine.test(code))).toEqual([]);
  });

  it('the CLI writes a suggested command as a command line, after the flags of the options named', () => {
    const failure = { options: ['privateKey'], details: suggestCommand(['keys', 'generate']) };
    expect(hintWithFlags('Generate a key, or leave the key out.', failure)).toBe(
      'Generate a key, or leave the key out (--private-key). Run `jira-oauth-kit keys generate`.',
    );
    const link = suggestCommand(['link'], { delete: true, tenant: 'DOMAIN', jiraUrl: 'https://jira.example.com' });
    expect(errorCommand(JSON.parse(JSON.stringify(link)))).toEqual(link);
    // Flags in the option table's order.
    expect(commandLine(link)).toBe('jira-oauth-kit link --jira-url https://jira.example.com --tenant DOMAIN --delete');
    expect(hintWithCommand('Make the link first', link)).toMatch(/^Make the link first\. Run `jira-oauth-kit link --jira-url/);
    expect(errorCommand({ command: 'keys generate' })).toBeUndefined();
    expect(hintWithFlags('Check the path.', { options: [], details: { path: '/x' } })).toBe('Check the path.');
  });

  it('the built CLI shows the command a library error suggests, in text and in --json', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jok-suggest-'));
    const small = path.join(dir, 'small.pem');
    await writeFile(small, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const run = await runCli(['keys', 'inspect', small, '--json']);
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout).error;
    expect(error).toMatchObject({ code: 'key_too_small', details: { command: ['keys', 'generate'] } });
    expect(error.hint).toContain('`jira-oauth-kit keys generate`');
    const text = await runCli(['keys', 'inspect', small]);
    expect(text.stderr).toContain('Run `jira-oauth-kit keys generate`.');
  });
});

describe('the wizard words the facts of an error itself', () => {
  it('a value the error asks for is entered: "Enter <expected>" from the fact, other hints as they are', () => {
    const dashboard = validatorFrom((v) => parseTenant(v, null))('https://manage.auth0.com/dashboard/eu/acme/');
    expect(dashboard).toContain('Enter acme.eu.auth0.com, the tenant');
    expect(kitErrorOf(() => parseTenant('https://manage.auth0.com/dashboard/eu/acme/', null)).hint).toMatch(/^Pass acme\.eu\.auth0\.com/);
    const stated = validatorFrom(() => {
      throw new KitError('usage', 'Bad.', { hint: 'Pass nothing here; this hint has no fact to word.' });
    })('x');
    expect(stated).toBe('Bad. Pass nothing here; this hint has no fact to word.');
    const asked = new KitError('invalid_option', 'Bad.', askForValue('a name like jira-prod.', 'connectionName'));
    expect(asked).toMatchObject({
      hint: 'Pass a name like jira-prod.',
      expected: 'a name like jira-prod.',
      details: { option: 'connectionName' },
    });
    expect(withFlagHint(asked).expected).toBe('a name like jira-prod.');
    expect(
      validatorFrom(() => {
        throw asked;
      })('x'),
    ).toBe('Bad. Enter a name like jira-prod.');
  });
});

describe('the verify policy and its words', () => {
  const ok = (name: VerifyStep['name']): VerifyStep => ({ name, status: 'ok', ms: 1 });
  const failed = (name: VerifyStep['name']): VerifyStep => ({
    name,
    status: 'failed',
    ms: 2,
    diagnosis: {
      code: 'oauth_problem',
      message: 'JIRA refused it.',
      hint: 'Check the key.',
      details: { option: 'consumerKey' },
      [DIAGNOSIS_FACTS]: { options: ['consumerKey'] },
    },
  });

  it('plans one step, or five with the whole flow', () => {
    expect(plannedSteps(false)).toEqual(['request-token']);
    expect(plannedSteps(true)).toEqual(['request-token', 'authorize', 'access-token', 'myself', 'profile-script']);
  });

  it('a failed step stops the steps that need it; the profile script runs even when /myself failed', () => {
    expect(mayRun('request-token', [])).toBe(true);
    expect(mayRun('authorize', [failed('request-token')])).toBe(false);
    expect(mayRun('authorize', [ok('request-token')])).toBe(true);
    expect(mayRun('myself', [ok('request-token'), ok('authorize'), failed('access-token')])).toBe(false);
    expect(mayRun('profile-script', [ok('request-token'), ok('authorize'), ok('access-token'), failed('myself')])).toBe(true);
  });

  it('only what the remote side refused is a failed step; bad input and cancellation end the check', () => {
    expect(isStepFailure(new KitError('connection_refused', 'x', { hint: 'y' }))).toBe(true);
    expect(isStepFailure(new KitError('invalid_option', 'x', { hint: 'y' }))).toBe(false);
    expect(isStepFailure(new KitError('cancelled', 'x', { hint: 'y' }))).toBe(false);
    expect(isStepFailure(new Error('bug'))).toBe(false);
  });

  it('the steps that did not run are skipped, and the link works only when every step is ok', () => {
    const concluded = concludeSteps([ok('request-token'), failed('authorize')], plannedSteps(true));
    expect(concluded.ok).toBe(false);
    expect(concluded.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'request-token:ok',
      'authorize:failed',
      'access-token:skipped',
      'myself:skipped',
      'profile-script:skipped',
    ]);
    expect(concludeSteps([ok('request-token')], plannedSteps(false)).ok).toBe(true);
  });

  it('formats a step line and the report; the caller words the fix', () => {
    expect(formatStepLine({ ...ok('request-token'), detail: 'accepted' })).toBe('✓ signed request-token POST (1 ms): accepted');
    expect(formatStepLine(failed('request-token'))).toBe('✗ signed request-token POST (2 ms): JIRA refused it.');
    const report: VerifyReport = {
      ok: false,
      jiraBaseUrl: 'https://jira.example.com',
      consumerKey: 'k',
      publicKeyFingerprint: 'fp',
      steps: [failed('request-token')],
    };
    expect(formatVerifyReport(report)).toContain('      fix: Check the key.');
    expect(
      formatVerifyReport(report, { fix: (d) => hintWithFlags(d.hint, { options: diagnosisFacts(d).options, details: d.details }) }),
    ).toContain('      fix: Check the key (--consumer-key).');
    expect(formatVerifyReport(report)).toMatch(/The link does not work yet: see the fix above\.$/);
  });

  it('after a browser timeout or a wrong code, the verdict says the signed call passed and which step did not finish', () => {
    const concluded = concludeSteps([ok('request-token'), failed('authorize')], plannedSteps(true));
    const report: VerifyReport = {
      ok: concluded.ok,
      jiraBaseUrl: 'https://jira.example.com',
      consumerKey: 'k',
      publicKeyFingerprint: 'fp',
      steps: concluded.steps as VerifyStep[],
    };
    const text = formatVerifyReport(report);
    expect(text).not.toContain('The link does not work yet');
    expect(text).toMatch(/The link itself works: JIRA accepted the signed request-token call/);
    expect(text).toMatch(
      /The whole flow did not finish: the authorization in the browser failed, so these did not run: access-token exchange, GET \/rest\/api\/2\/myself with the access token, fetchUserProfile script in the local Auth0-like sandbox; see the fix above\.$/,
    );
  });
});
