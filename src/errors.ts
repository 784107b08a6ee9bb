/**
 * The one error type of the kit. Every failure a user can meet carries a stable `code`
 * (scripts match on it, tests assert it), a message that says what is wrong, and a hint
 * that names the fix. Messages and hints never contain secrets.
 */

/** Bad input or usage: exit code 2. */
export const INPUT_ERROR_CODES = [
  'usage',
  'missing_option',
  'invalid_option',
  'invalid_url',
  'insecure_url',
  'invalid_tenant',
  'invalid_connection_name',
  'invalid_consumer_key',
  'key_not_found',
  'key_not_pem',
  'key_is_public',
  'key_not_rsa',
  'key_truncated',
  'key_passphrase_required',
  'key_passphrase_wrong',
  'key_too_small',
  'key_bits_unsupported',
  'key_too_large_for_auth0',
  'key_mismatch',
  'file_exists',
  'file_is_symlink',
  'file_write_failed',
  'file_read_failed',
  'file_not_regular',
  'file_too_large',
  'out_not_directory',
  'token_file_invalid',
  'key_damaged',
  'unknown_provider',
  'invalid_payload',
  'secret_missing',
  'token_missing',
  'not_a_terminal',
  'public_key_unusable',
  'jira_admin_credentials_missing',
  'jira_cloud_applinks',
  /** Another rotation of the same folder is running. */
  'rotation_locked',
  /** Another run (rotate, link, jira --link, apply) is changing the same connection: its lock is held. */
  'connection_locked',
] as const;

/** The user cancelled (Ctrl-C, or Esc in a prompt): exit code 130. */
export const CANCEL_ERROR_CODES = ['cancelled', 'interrupted'] as const;

/** The remote side or the check failed: exit code 1. */
export const REMOTE_ERROR_CODES = [
  'network_error',
  'dns_failure',
  'connection_refused',
  'tls_error',
  'timeout',
  'response_too_large',
  'http_error',
  'unexpected_redirect',
  'unexpected_response',
  'oauth_problem',
  'callback_timeout',
  'auth0_unauthorized',
  'auth0_forbidden',
  'auth0_bad_request',
  'auth0_conflict',
  'auth0_strategy_conflict',
  'auth0_rate_limited',
  'auth0_server_error',
  /** Some connections of a batch failed (each result names its own error). */
  'apply_failed',
  'profile_script_failed',
  'jira_admin_unauthorized',
  'jira_admin_forbidden',
  'applink_failed',
  'applink_missing',
  'rotation_failed',
  /** A rotation was interrupted and this run could not finish or undo it: the journal stays. */
  'rotation_unfinished',
  /** JIRA's own OAuth 2.0 provider is missing, off (http base URL) or answers otherwise than documented. */
  'jira_oauth2_unavailable',
  /** JIRA's OAuth 2.0 provider refused a call (a client's fields, a token exchange). */
  'jira_oauth2_failed',
  /** A move to OAuth 2.0 could not be checked, planned or finished (each failure names its own check). */
  'migration_failed',
  /** A move to OAuth 2.0 was interrupted and this run could not finish or undo it: the journal stays. */
  'migration_unfinished',
  /** JIRA's link or the Auth0 connection changed between the plan and the write: nothing was written. */
  'changed_meanwhile',
  /** An audit found connections that do not work (each result names its own checks). */
  'audit_failed',
  /** A bug in the kit itself (never an expected failure). */
  'internal_error',
] as const;

export type InputErrorCode = (typeof INPUT_ERROR_CODES)[number];
export type RemoteErrorCode = (typeof REMOTE_ERROR_CODES)[number];
export type CancelErrorCode = (typeof CANCEL_ERROR_CODES)[number];
export type KitErrorCode = InputErrorCode | RemoteErrorCode | CancelErrorCode;

const inputCodes: ReadonlySet<string> = new Set(INPUT_ERROR_CODES);
const cancelCodes: ReadonlySet<string> = new Set(CANCEL_ERROR_CODES);

export interface KitErrorOptions {
  /** What the user must change; required so that no failure leaves them without a next step. */
  hint: string;
  /**
   * Structured facts for `--json` consumers (never secrets). An error about a value the user gave
   * names the option in `option` (camelCase, e.g. 'privateKey') or `options` (several): the CLI
   * turns it into the flag, the wizard into its question; the hint itself names no flag.
   */
  details?: Record<string, unknown>;
  /** The remote service the error concerns: 'JIRA', 'Auth0' or a provider's display name. */
  service?: KitErrorService;
  /** For an error about a value the user gives: what to give instead (see askForValue). */
  expected?: string;
  cause?: unknown;
}

/** Who an error is about: JIRA, Auth0, or a provider by its display name. */
export type KitErrorService = 'JIRA' | 'Auth0' | (string & {});

export class KitError extends Error {
  readonly code: KitErrorCode;
  readonly hint: string;
  readonly details: Record<string, unknown> | undefined;
  readonly service: KitErrorService | undefined;
  readonly expected: string | undefined;

  constructor(code: KitErrorCode, message: string, options: KitErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KitError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.service = options.service;
    this.expected = options.expected;
  }

  /** 2 for bad input or usage, 1 when the remote side or a check failed, 130 cancelled (README, "Exit codes and output"). */
  get exitCode(): 1 | 2 | 130 {
    if (cancelCodes.has(this.code)) return 130;
    return inputCodes.has(this.code) ? 2 : 1;
  }

  /**
   * The same error in other words: every field (code, service, details, cause) is kept, only the
   * message, the hint or the details given are replaced. The one way to re-word an error, so that
   * no field is lost on the way (a `--json` document names the same service either way).
   */
  reworded(changes: { message?: string; hint?: string; details?: Record<string, unknown> }): KitError {
    const details = changes.details ?? this.details;
    return new KitError(this.code, changes.message ?? this.message, {
      hint: changes.hint ?? this.hint,
      ...(details === undefined ? {} : { details }),
      ...(this.service === undefined ? {} : { service: this.service }),
      ...(this.expected === undefined ? {} : { expected: this.expected }),
      ...(this.cause === undefined ? {} : { cause: this.cause }),
    });
  }

  toJSON(): { code: KitErrorCode; message: string; hint: string; service?: KitErrorService; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      ...(this.service === undefined ? {} : { service: this.service }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** The option(s) an error names in its details (`option` or `options`), in order. */
export function errorOptions(details: Record<string, unknown> | undefined): string[] {
  if (details === undefined) return [];
  const one = typeof details.option === 'string' ? [details.option] : [];
  const many = Array.isArray(details.options) ? details.options.filter((o): o is string => typeof o === 'string') : [];
  return [...one, ...many];
}

/**
 * A kit command that fixes an error, as a fact in `details` (`command`: its words after the
 * program name, `commandOptions`: the options to give it, camelCase, each with its value or
 * `true` for a bare flag): the CLI writes it as a command line, the wizard in its own words.
 */
export type SuggestedCommand = {
  command: string[];
  commandOptions?: Record<string, string | true>;
};

/** The `details` entries that suggest a command: `{ ...suggestCommand(['keys', 'generate']) }`. */
export function suggestCommand(command: string[], commandOptions?: Record<string, string | true>): SuggestedCommand {
  return commandOptions === undefined ? { command } : { command, commandOptions };
}

/** The command an error's details suggest, if any. */
export function errorCommand(details: Record<string, unknown> | undefined): SuggestedCommand | undefined {
  const command = details?.command;
  if (!Array.isArray(command) || !command.every((w): w is string => typeof w === 'string')) return undefined;
  const options = details?.commandOptions;
  return options !== null && typeof options === 'object'
    ? suggestCommand(command, options as Record<string, string | true>)
    : suggestCommand(command);
}

/**
 * The hint of an error about a value the user gives, with what to give as a fact (`expected`):
 * the hint says "Pass <expected>" as a command line would, the wizard "Enter <expected>".
 * `option` names the option in `details`; null where there is none (a prompt).
 */
export function askForValue(
  expected: string,
  option: string | null,
  more: Record<string, unknown> = {},
): { hint: string; expected: string; details?: Record<string, unknown> } {
  const details = { ...more, ...(option === null ? {} : { option }) };
  return { hint: `Pass ${expected}`, expected, ...(Object.keys(details).length === 0 ? {} : { details }) };
}

/** A KitError about a remote service: JIRA, Auth0 or a provider (its display name). */
export function remoteError(service: KitErrorService, code: KitErrorCode, message: string, options: KitErrorOptions): KitError {
  return new KitError(code, message, { ...options, service });
}

export function isKitError(value: unknown): value is KitError {
  return value instanceof KitError;
}
