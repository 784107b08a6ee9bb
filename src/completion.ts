import type { Command } from 'commander';
import { KitError } from './errors';
import { optionByFlag } from './options';

/** What belongs where the cursor is: a file, a folder, a provider id, some other value, or words. */
type ValueKind = 'file' | 'dir' | 'provider' | 'shell' | 'command' | 'value';

interface CompletionNode {
  words: string[];
  /** Flags that take a value, by the kind of value. */
  valueFlags: Map<string, ValueKind>;
  /** Flags whose value is one of a list (--format json|har|curl). */
  choiceFlags: Map<string, readonly string[]>;
  /** What the command's first positional argument is, if it has one. */
  positional?: ValueKind;
  children: Map<string, CompletionNode>;
}

function nodeOf(command: Command): CompletionNode {
  const children = new Map<string, CompletionNode>();
  for (const sub of command.commands) children.set(sub.name(), nodeOf(sub));
  const valueFlags = new Map<string, ValueKind>();
  const choiceFlags = new Map<string, readonly string[]>();
  // What each flag's value is comes from the option table: a file, a folder, a provider id, a choice.
  for (const option of command.options) {
    const def = option.long === undefined ? undefined : optionByFlag(option.long);
    if (!option.long || def === undefined || def.kind === 'boolean') continue;
    if (def.choices) choiceFlags.set(option.long, def.choices);
    else valueFlags.set(option.long, def.complete ?? (def.kind === 'file' || def.kind === 'dir' ? def.kind : 'value'));
  }
  const flags = command.options.map((o) => o.long).filter((f): f is string => typeof f === 'string');
  const first = command.registeredArguments[0]?.name();
  const positional: ValueKind | undefined =
    first === undefined ? undefined : first === 'shell' ? 'shell' : first === 'command' ? 'command' : 'file';
  return { words: [...children.keys(), ...flags, '--help'], valueFlags, choiceFlags, ...(positional ? { positional } : {}), children };
}

/** A bash `case` over the command path typed so far ("keys generate"), setting its words and value kinds. */
function cases(node: CompletionNode, prefix: string[], out: string[]): void {
  const byKind = new Map<ValueKind, string[]>();
  for (const [flag, kind] of node.valueFlags) byKind.set(kind, [...(byKind.get(kind) ?? []), flag]);
  const prevCases = [
    ...[...byKind].map(([kind, flags]) => `${flags.join('|')}) kind=${kind} ;;`),
    ...[...node.choiceFlags].map(([flag, choices]) => `${flag}) COMPREPLY=( $(compgen -W "${choices.join(' ')}" -- "$cur") ); return ;;`),
  ].join(' ');
  out.push(
    `    "${prefix.join(' ')}") words="${node.words.join(' ')}"; positional="${node.positional ?? ''}"; ` +
      `case "$prev" in ${prevCases} *) kind="" ;; esac ;;`,
  );
  for (const [name, child] of node.children) cases(child, [...prefix, name], out);
}

/**
 * Completion for bash and zsh (through zsh's bashcompinit), generated from the same commander
 * program as --help (both built from the option table), so it can never offer a flag that does
 * not exist. Where a file belongs it
 * offers files, where a provider id belongs the catalog's ids, and never flags as a value.
 */
export function completionScript(shell: string, program: Command, providerIds: readonly string[]): string {
  if (shell !== 'bash' && shell !== 'zsh') {
    throw new KitError('invalid_option', `No completion for the shell "${shell}".`, {
      hint: 'Use `jira-oauth-kit completion bash` or `jira-oauth-kit completion zsh`.',
    });
  }
  const root = nodeOf(program);
  // `help [command]` is commander's own command, not among program.commands.
  root.words.unshift('help');
  root.children.set('help', { words: [], valueFlags: new Map(), choiceFlags: new Map(), positional: 'command', children: new Map() });
  const lines: string[] = [];
  cases(root, [], lines);
  const commands = [...root.children.keys()].filter((name) => name !== 'help').join(' ');
  const body = `# jira-oauth-kit completion for ${shell}: eval "$(jira-oauth-kit completion ${shell})"
_jira_oauth_kit() {
  local cur prev path i word words kind positional
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in -*) ;; *) if [ -z "$path" ]; then path="$word"; else path="$path $word"; fi ;; esac
  done
  while :; do
    case "$path" in
${lines.join('\n')}
    *) if [ "$path" = "\${path% *}" ]; then path=""; else path="\${path% *}"; fi; continue ;;
    esac
    break
  done
  # A flag's value: files, folders or provider ids; another value gets no flags offered.
  case "$kind" in
    file) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
    dir) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -d -- "$cur") ); return ;;
    provider) COMPREPLY=( $(compgen -W "${providerIds.join(' ')}" -- "$cur") ); return ;;
    value) COMPREPLY=(); return ;;
  esac
  if [[ "$cur" != -* ]]; then
    case "$positional" in
      file) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
      shell) COMPREPLY=( $(compgen -W "bash zsh" -- "$cur") ); return ;;
      command) COMPREPLY=( $(compgen -W "${commands}" -- "$cur") ); return ;;
    esac
  fi
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _jira_oauth_kit jira-oauth-kit
`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${body}` : body;
}
