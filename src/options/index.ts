/**
 * The option table, in four parts: `flags.ts` every option once (kind, description, default,
 * range, the wizard's question), `commands.ts` which command takes which option and what it says
 * differently, `secrets.ts` the secrets the kit reads and never takes as flag values,
 * `resolve.ts` a command's options with its overrides, their types, and a look at argv before
 * commander loads; `numbers.ts` the parser commander runs for number options.
 */
export { attributeOf, flagOf, flagText, optionByFlag, OPTIONS, questionOf } from './table';
export type { OptionConflict, OptionDef, OptionKind, OptionName, OptionNeed } from './table';
export { COMMANDS } from './commands';
export type { CommandName, CommandSpec, OptionOverride } from './commands';
export { SECRETS } from './secrets';
export type { SecretDef } from './secrets';
export { commandOptions, conflictIn, peekCommandLine } from './resolve';
export type { FlagsOf, ValueOf } from './resolve';
export { numberParser } from './numbers';
