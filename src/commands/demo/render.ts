/**
 * How `demo` reads: each step's text and `result` made from what its command returned (the same
 * document `--json` gives for that command), and the whole run as one text and one document.
 */
import { scrubOutput } from '../../lib/secrets';
import type { CommandResult } from '../../command-support/context';
import { STALE_CONNECTION_NAME } from './steps';

export type DemoStepName =
  'simulators' | 'setup' | 'application-link' | 'verify' | 'dance' | 'apply' | 'apply-again' | 'wrong-public-key' | 'audit' | 'migrate';

export interface DemoStep {
  name: DemoStepName;
  title: string;
  ok: boolean;
  ms: number;
  /** What a real run of the same command prints. */
  text: string;
  result: Record<string, unknown>;
}

export interface StepView {
  ok?: boolean;
  text: string;
  result: Record<string, unknown>;
}

type Doc = Record<string, unknown>;

function record(value: unknown): Doc {
  return value !== null && typeof value === 'object' ? (value as Doc) : {};
}

export function setupView(result: CommandResult): StepView {
  const document = result.document;
  const appLink = record(document.appLink);
  const key = record(document.key);
  const connection = record(document.connection);
  const files = Object.values(record(document.files))
    .filter((file): file is string => typeof file === 'string')
    .map((file) => file.split(/[\\/]/).pop()!);
  return {
    text: [
      `Generated a ${String(key.bits)}-bit RSA key pair (public key SHA-256 ${String(key.fingerprint)}).`,
      `Consumer key: ${String(appLink.consumerKey)}`,
      `Auth0 connection body "${String(connection.name)}" (strategy oauth1, RSA-SHA1, the private key as client_secret).`,
      `Files (private key and connection body with mode 0600): ${files.join(', ')}`,
    ].join('\n'),
    result: {
      consumerKey: appLink.consumerKey,
      keyBits: key.bits,
      publicKeyFingerprint: key.fingerprint,
      connectionName: connection.name,
      endpoints: appLink.jiraEndpoints,
      files,
    },
  };
}

export function linkView(result: CommandResult): StepView {
  const report = result.document;
  const linked = record(report.link);
  const consumer = record(report.consumer);
  return {
    ok: result.ok,
    text: result.text,
    result: {
      linkId: linked.id ?? null,
      link: linked.status,
      consumer: consumer.change,
      consumerKey: consumer.key,
      publicKeyFingerprint: consumer.publicKeyFingerprint ?? null,
      changed: report.changed,
    },
  };
}

export function verifyView(result: CommandResult): StepView {
  const { steps, jiraUser, profile, browserError } = result.document;
  return {
    ok: result.ok,
    text: result.text,
    result: {
      ok: result.ok,
      steps: (Array.isArray(steps) ? steps : []).map((raw) => {
        const step = record(raw);
        return {
          name: step.name,
          status: step.status,
          ms: step.ms,
          ...(step.detail === undefined ? {} : { detail: step.detail }),
          ...(step.diagnosis === undefined ? {} : { diagnosis: step.diagnosis }),
        };
      }),
      ...(jiraUser ? { jiraUser } : {}),
      ...(profile ? { profile } : {}),
      ...(browserError ? { browserError } : {}),
    },
  };
}

export function applyView(result: CommandResult, tokenSource: string): StepView {
  const report = result.document;
  // What apply prints, less its "try a login" lines: the simulator has no login page.
  const lines = result.text.split('\n');
  const tryLogin = lines.findIndex((line) => line.startsWith('Try a login'));
  return {
    ok: result.ok,
    text: (tryLogin === -1 ? lines : lines.slice(0, tryLogin)).join('\n'),
    result: {
      action: report.action,
      applied: report.applied,
      ...(report.connectionId ? { connectionId: report.connectionId } : {}),
      changes: (Array.isArray(report.changes) ? report.changes : []).map((raw) => ({ key: record(raw).key, change: record(raw).change })),
      enabledClients: report.enabledClients,
      tokenSource,
    },
  };
}

/** The failure the demo shows on purpose: the step succeeds when the kit explains it. */
export function wrongKeyView(relinked: CommandResult, verified: CommandResult, fingerprints: { link: string; ours: unknown }): StepView {
  const steps = Array.isArray(verified.document.steps) ? verified.document.steps : [];
  const diagnosis = record(record(steps[0]).diagnosis);
  return {
    ok: !verified.ok && diagnosis.problem === 'signature_invalid',
    text: [
      `The link given another key pair's public key (SHA-256 ${fingerprints.link}):`,
      relinked.text,
      '',
      'Then verify again:',
      verified.text,
    ].join('\n'),
    result: {
      linkPublicKeyFingerprint: fingerprints.link,
      ourPublicKeyFingerprint: fingerprints.ours,
      ...(diagnosis.code === undefined
        ? {}
        : { diagnosis: { code: diagnosis.code, problem: diagnosis.problem, message: diagnosis.message, hint: diagnosis.hint } }),
    },
  };
}

/** The audit proves the working connection and names the other's fault (consumer_key_unknown). */
export function auditView(result: CommandResult, connectionName: string): StepView {
  const connections = (Array.isArray(result.document.connections) ? result.document.connections : []).map(record);
  const outcome = (name: string) => connections.find((c) => c.name === name);
  const checks = (connection: Doc | undefined) => (Array.isArray(connection?.checks) ? connection.checks : []).map(record);
  const staleProblem = checks(outcome(STALE_CONNECTION_NAME)).find((c) => c.name === 'request-token')?.problem;
  return {
    ok: outcome(connectionName)?.outcome === 'ok' && staleProblem === 'consumer_key_unknown',
    text: [`A second connection, "${STALE_CONNECTION_NAME}", whose Application Link was deleted in JIRA; then:`, '', result.text].join(
      '\n',
    ),
    result: {
      summary: result.document.summary,
      connections: connections.map((c) => ({
        name: c.name,
        outcome: c.outcome,
        checks: checks(c).map(({ name, outcome: checked, problem }) => ({
          name,
          outcome: checked,
          ...(problem === undefined ? {} : { problem }),
        })),
      })),
    },
  };
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '    ');
}

/** The whole run: the steps, the profile Auth0 would store, what to run next against a real JIRA. */
export function demoResult(steps: DemoStep[], profile: Record<string, unknown> | undefined): CommandResult {
  const next =
    'JIRA_ADMIN_TOKEN=... jira-oauth-kit jira --jira-url https://jira.example.com --tenant example.eu.auth0.com --link ' +
    '(or give the printed settings to a JIRA admin), then jira-oauth-kit verify --jira-url https://jira.example.com ' +
    '--consumer-key <key> --private-key jira-private.pem --dance';
  const text = [
    'jira-oauth-kit demo: the whole JIRA flow against simulators on this machine (nothing leaves 127.0.0.1).',
    ...steps.map((s, i) => `\n[${i + 1}] ${s.title} (${s.ms} ms)\n${indent(s.text)}`),
    '',
    'Profile Auth0 would store:',
    indent(JSON.stringify(profile ?? {}, null, 2)),
    '',
    `Next, against a real JIRA: ${next}`,
  ].join('\n');
  const document = {
    steps: steps.map(({ name, title, ok, ms, result }) => ({ name, title, ok, ms, result })),
    profile: profile ?? null,
    next,
  };
  // Belt and braces: no secret the demo made may reach the output.
  return {
    ok: steps.every((s) => s.ok),
    document: JSON.parse(scrubOutput(JSON.stringify(document))) as Record<string, unknown>,
    text: scrubOutput(text),
  };
}
