import type { Command } from 'commander';
import { KitError } from './errors';

interface CompletionNode {
  words: string[];
  children: Map<string, CompletionNode>;
}

function nodeOf(command: Command): CompletionNode {
  const children = new Map<string, CompletionNode>();
  for (const sub of command.commands) children.set(sub.name(), nodeOf(sub));
  const flags = command.options.map((o) => o.long).filter((f): f is string => typeof f === 'string');
  return { words: [...children.keys(), ...flags, '--help'], children };
}

/** A bash `case` over the command path typed so far ("keys generate"), offering its words. */
function cases(node: CompletionNode, prefix: string[], out: string[]): void {
  out.push(`    "${prefix.join(' ')}") words="${node.words.join(' ')}" ;;`);
  for (const [name, child] of node.children) cases(child, [...prefix, name], out);
}

/**
 * Completion for bash and zsh (through zsh's bashcompinit), generated from the same commander
 * program as --help, so it can never offer a flag that does not exist.
 */
export function completionScript(shell: string, program: Command): string {
  if (shell !== 'bash' && shell !== 'zsh') {
    throw new KitError('invalid_option', `No completion for the shell "${shell}".`, {
      hint: 'Use `jira-oauth-kit completion bash` or `jira-oauth-kit completion zsh`.',
    });
  }
  const root = nodeOf(program);
  const lines: string[] = [];
  cases(root, [], lines);
  const body = `# jira-oauth-kit completion for ${shell}: eval "$(jira-oauth-kit completion ${shell})"
_jira_oauth_kit() {
  local cur path i word words
  cur="\${COMP_WORDS[COMP_CWORD]}"
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
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _jira_oauth_kit jira-oauth-kit
`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${body}` : body;
}
