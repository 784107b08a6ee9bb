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

/**
 * The facts about a failure that code reads back to decide what to do (retry, undo, ask again,
 * treat a missing file as none): typed fields, set by the code that knows them. `details` is
 * output only; the facts are shown inside it too, under the same names, for `--json` consumers.
 */
export interface KitErrorFacts {
  /** The HTTP status the remote side answered with. */
  readonly status?: number;
  /** The file system's error code (ENOENT, EACCES) for a file that could not be read or written. */
  readonly errno?: string;
  /** The step a request was in when it failed ('connect', 'proxy', 'tls', 'headers', 'body'). */
  readonly stage?: string;
  /** The Management API's status that the client last waited out and retried before this failure. */
  readonly retriedAfterStatus?: number;
  /** JIRA's oauth_problem (e.g. signature_invalid). */
  readonly problem?: string;
  /** A failed change was put back: the remote side holds what it held before (JIRA's old consumer). */
  readonly rolledBack?: boolean;
}

/** The names of the facts, in the order `details` shows them after the error's own entries. */
const FACT_NAMES = [
  'status',
  'errno',
  'stage',
  'retriedAfterStatus',
  'problem',
  'rolledBack',
] as const satisfies readonly (keyof KitErrorFacts)[];

/** Entries for `details` (never secrets): output only, so the facts code reads cannot go there. */
export type KitErrorDetails = Readonly<Record<string, unknown>> & {
  readonly [K in keyof KitErrorFacts | 'option' | 'options']?: never;
};

export interface KitErrorOptions extends KitErrorFacts {
  /** What the user must change; required so that no failure leaves them without a next step. */
  hint: string;
  /**
   * An error about a value the user gave names the option (camelCase, e.g. 'privateKey') in
   * `option`, or several in `options`: the CLI turns it into the flag, the wizard into its
   * question; the hint itself names no flag. `details` shows them under the name given.
   */
  option?: string;
  options?: readonly string[];
  /** Facts for `--json` consumers and the renderers, beyond the typed ones (never secrets). */
  details?: KitErrorDetails;
  /** The remote service the error concerns: 'JIRA', 'Auth0' or a provider's display name. */
  service?: KitErrorService;
  /** For an error about a value the user gives: what to give instead (see askForValue). */
  expected?: string;
  cause?: unknown;
}

/** Who an error is about: JIRA, Auth0, or a provider by its display name. */
export type KitErrorService = 'JIRA' | 'Auth0' | (string & {});

/** What reworded() may replace: the words, the details, the options named (both `option` and `options` together). */
export interface KitErrorChanges {
  message?: string;
  hint?: string;
  details?: KitErrorDetails;
  option?: string;
  options?: readonly string[];
}

export class KitError extends Error implements KitErrorFacts {
  readonly code: KitErrorCode;
  readonly hint: string;
  /** For output (`--json`, renderers): the entries given with the typed facts merged in. Code does not read it to decide. */
  readonly details: Record<string, unknown> | undefined;
  readonly service: KitErrorService | undefined;
  readonly expected: string | undefined;
  /** Every option the error names, in order (`option`, then `options`); empty when it names none. */
  readonly options: readonly string[];
  declare readonly status?: number;
  declare readonly errno?: string;
  declare readonly stage?: string;
  declare readonly retriedAfterStatus?: number;
  declare readonly problem?: string;
  declare readonly rolledBack?: boolean;
  /** What the error was made with, so that reworded() keeps every fact and `details` its shape. */
  readonly #made: KitErrorOptions;

  constructor(code: KitErrorCode, message: string, options: KitErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KitError';
    this.code = code;
    this.hint = options.hint;
    this.service = options.service;
    this.expected = options.expected;
    this.#made = { ...options };
    this.options = [...(options.option === undefined ? [] : [options.option]), ...(options.options ?? [])];
    if (options.status !== undefined) this.status = options.status;
    if (options.errno !== undefined) this.errno = options.errno;
    if (options.stage !== undefined) this.stage = options.stage;
    if (options.retriedAfterStatus !== undefined) this.retriedAfterStatus = options.retriedAfterStatus;
    if (options.problem !== undefined) this.problem = options.problem;
    if (options.rolledBack !== undefined) this.rolledBack = options.rolledBack;
    const shown = {
      ...options.details,
      ...(options.option === undefined ? {} : { option: options.option }),
      ...(options.options === undefined || options.options.length === 0 ? {} : { options: options.options }),
      ...this.facts,
    };
    this.details = options.details === undefined && Object.keys(shown).length === 0 ? undefined : shown;
  }

  /** The typed facts the error carries (only those it has), in the order `details` shows them. */
  get facts(): KitErrorFacts {
    const facts: { -readonly [K in keyof KitErrorFacts]: KitErrorFacts[K] } = {};
    for (const name of FACT_NAMES) if (this[name] !== undefined) Object.assign(facts, { [name]: this[name] });
    return facts;
  }

  /**
   * What an error that stands for this one carries over: the typed facts, the options named and
   * the details given (`{ ...error.carried(), rolledBack: true }`).
   */
  carried(): Pick<KitErrorOptions, keyof KitErrorFacts | 'option' | 'options' | 'details'> {
    const { option, options, details } = this.#made;
    return {
      ...this.facts,
      ...(option === undefined ? {} : { option }),
      ...(options === undefined ? {} : { options }),
      ...(details === undefined ? {} : { details }),
    };
  }

  /** 2 for bad input or usage, 1 when the remote side or a check failed, 130 cancelled (README, "Exit codes and output"). */
  get exitCode(): 1 | 2 | 130 {
    if (cancelCodes.has(this.code)) return 130;
    return inputCodes.has(this.code) ? 2 : 1;
  }

  /**
   * The same error in other words: every field (code, service, the typed facts, details, cause)
   * is kept, only the message, the hint, the details given or the options named are replaced.
   * The one way to re-word an error, so that no field is lost on the way (a `--json` document
   * names the same service either way).
   */
  reworded(changes: KitErrorChanges): KitError {
    const made = this.#made;
    const renamed = changes.option !== undefined || changes.options !== undefined;
    const { option, options, details, ...kept } = made;
    const named = renamed ? changes : { option, options };
    const given = changes.details ?? details;
    return new KitError(this.code, changes.message ?? this.message, {
      ...kept,
      hint: changes.hint ?? this.hint,
      ...(named.option === undefined ? {} : { option: named.option }),
      ...(named.options === undefined ? {} : { options: named.options }),
      ...(given === undefined ? {} : { details: given }),
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

/**
 * The hint of an error about a value the user gives, with what to give as a fact (`expected`):
 * the hint says "Pass <expected>" as a command line would, the wizard "Enter <expected>".
 * `option` names the option; null where there is none (a prompt).
 */
export function askForValue(
  expected: string,
  option: string | null,
  more: KitErrorDetails = {},
): { hint: string; expected: string; option?: string; details?: KitErrorDetails } {
  return {
    hint: `Pass ${expected}`,
    expected,
    ...(option === null ? {} : { option }),
    ...(Object.keys(more).length === 0 ? {} : { details: more }),
  };
}

/** A KitError about a remote service: JIRA, Auth0 or a provider (its display name). */
export function remoteError(service: KitErrorService, code: KitErrorCode, message: string, options: KitErrorOptions): KitError {
  return new KitError(code, message, { ...options, service });
}

export function isKitError(value: unknown): value is KitError {
  return value instanceof KitError;
}
