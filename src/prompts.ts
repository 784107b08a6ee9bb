/**
 * The only module that talks to inquirer. It is imported lazily, so runs driven by flags never
 * load it. Prompts draw on stderr: stdout stays free for results (and for --json).
 */
import { KitError } from './errors';
import { rememberSecret } from './lib/secrets';

type Validate = (value: string) => true | string | Promise<true | string>;

async function inquirer(): Promise<typeof import('@inquirer/prompts')> {
  return import('@inquirer/prompts');
}

const context = { output: process.stderr, clearPromptOnDone: false };

async function guard<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if ((error as Error)?.name === 'ExitPromptError' || (error as Error)?.name === 'AbortPromptError') {
      throw new KitError('cancelled', 'Cancelled; nothing was written.', { hint: 'Run the command again when ready.' });
    }
    throw error;
  }
}

/** An error's fix in the wizard's words: a value the error asks for is entered here, not passed on a command line. */
function wizardHint(error: KitError): string {
  return error.expected === undefined ? error.hint : `Enter ${error.expected}`;
}

/** Turns a throwing validator (KitError) into inquirer's "true or message" form. */
export function validatorFrom(check: (value: string) => unknown): Validate {
  return (value) => {
    try {
      check(value);
      return true;
    } catch (error) {
      if (error instanceof KitError) return `${error.message} ${wizardHint(error)}`;
      return String((error as Error).message);
    }
  };
}

/** A typed answer; `signal` takes the question away (its caller has stopped waiting). */
export async function askText(
  message: string,
  options: { default?: string; validate?: Validate; signal?: AbortSignal } = {},
): Promise<string> {
  const { input } = await inquirer();
  return guard(() =>
    input(
      {
        message,
        ...(options.default === undefined ? {} : { default: options.default }),
        ...(options.validate === undefined ? {} : { validate: options.validate }),
      },
      options.signal === undefined ? context : { ...context, signal: options.signal },
    ),
  );
}

/** A hidden answer; remembered as a secret, so nothing the kit prints can repeat it. */
export async function askSecret(message: string): Promise<string> {
  const { password } = await inquirer();
  const answer = await guard(() =>
    password({ message, mask: '*', validate: (v: string) => (v === '' ? 'Enter a value.' : true) }, context),
  );
  rememberSecret(answer);
  return answer;
}

export async function askConfirm(message: string, defaultValue = true): Promise<boolean> {
  const { confirm } = await inquirer();
  return guard(() => confirm({ message, default: defaultValue }, context));
}

/**
 * A choice from a list; `loop: false` keeps the cursor from wrapping from the first item to the
 * last; `pageSize` is how many items show at once (inquirer's default is 7).
 */
export async function askSelect<T extends string>(
  message: string,
  choices: ReadonlyArray<{ value: T; name: string; description?: string }>,
  defaultValue?: T,
  options: { loop?: boolean; pageSize?: number } = {},
): Promise<T> {
  const { select } = await inquirer();
  return guard(() =>
    select<T>(
      {
        message,
        choices: choices.map((c) => ({ value: c.value, name: c.name, ...(c.description ? { description: c.description } : {}) })),
        ...(defaultValue === undefined ? {} : { default: defaultValue }),
        ...(options.loop === undefined ? {} : { loop: options.loop }),
        ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
      },
      context,
    ),
  );
}

/** Several choices from a list (Space marks one, Enter confirms); none is a valid answer. */
export async function askCheckbox<T extends string>(
  message: string,
  choices: ReadonlyArray<{ value: T; name: string; checked?: boolean }>,
): Promise<T[]> {
  const { checkbox } = await inquirer();
  return guard(() =>
    checkbox<T>(
      {
        message,
        choices: choices.map((c) => ({ value: c.value, name: c.name, checked: c.checked === true })),
        pageSize: Math.min(Math.max(choices.length, 1), 15),
        loop: false,
      },
      context,
    ),
  );
}
