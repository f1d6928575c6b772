import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { LOG_FORMATS } from './cli-host.js';
import type { AnyCommand } from './define-command.js';
import { type OptionSpec, takesValue } from './option-spec.js';

/** What a dynamic completion source gets: the positional words before the one being completed. */
export interface CompletionRequest {
  /** Index of the positional argument being completed (0 = the first). */
  position: number;
  /** The positional words already typed. */
  positional: string[];
  env: NodeJS.ProcessEnv;
  /** Aborted when the time budget is spent: stop any remote call. */
  signal: AbortSignal;
}

export type CompletionSource = (request: CompletionRequest) => Promise<string[]>;

/** Dynamic suggestions that take longer than this are dropped: completion must answer at once. */
export const COMPLETION_BUDGET_MS = 300;

/** Set in the background run that completes without a budget, to fill the cache for the next TAB. */
export const REFRESH_ENV = 'STUPS_COMPLETION_REFRESH';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const GLOBAL_FLAGS = ['--debug', '--log-format', '--help', '--version'];

function flagsOf(o: OptionSpec<unknown>): string[] {
  return o.flags.split(/[ ,|]+/).filter((f) => f.startsWith('-'));
}

/**
 * The suggestions for `words[index]` of a command line (`words[0]` is the tool): command names,
 * flags, an option's choices, or an argument's dynamic source within the time budget.
 */
export async function completeWords(
  commands: AnyCommand[],
  words: string[],
  index: number,
  sources: () => Promise<Record<string, CompletionSource>>,
  env: NodeJS.ProcessEnv,
  /** Called when the budget is spent: e.g. start a refresh in the background that fills the cache. */
  onLate?: () => void,
): Promise<string[]> {
  const cur = words[index] ?? '';
  const matching = (all: readonly string[]) => [...new Set(all)].filter((w) => w.startsWith(cur));
  const before = words.slice(1, index);
  let c = 0;
  while (c < before.length && before[c].startsWith('-')) c += before[c] === '--log-format' ? 2 : 1;
  if (c >= before.length) {
    if (before.at(-1) === '--log-format') return matching(LOG_FORMATS);
    if (cur.startsWith('-')) return matching(GLOBAL_FLAGS);
    return matching(commands.map((x) => x.name));
  }
  const typed = before[c];
  const byPrefix = commands.filter((x) => x.name.startsWith(typed));
  const command = commands.find((x) => x.name === typed) ?? (byPrefix.length === 1 ? byPrefix[0] : undefined);
  if (!command) return [];
  const options = Object.values(command.options) as OptionSpec<unknown>[];
  const byFlag = new Map(options.flatMap((o) => flagsOf(o).map((f) => [f, o] as const)));
  const after = before.slice(c + 1);
  const previous = byFlag.get(after.at(-1) ?? '');
  if (previous && takesValue(previous)) return matching(previous.choices ?? []);
  if (cur.startsWith('-')) return matching([...options.flatMap(flagsOf), '-h', '--help', ...GLOBAL_FLAGS]);
  const positional: string[] = [];
  for (let j = 0; j < after.length; j++) {
    const w = after[j];
    if (w.startsWith('-')) {
      const o = byFlag.get(w);
      if (o && takesValue(o)) j++;
      continue;
    }
    positional.push(w);
  }
  const spec = command.args[Math.min(positional.length, command.args.length - 1)];
  if (!spec?.complete) return [];
  const source = (await sources())[spec.complete];
  if (!source) return [];
  const controller = new AbortController();
  const found = source({ position: positional.length, positional, env, signal: controller.signal }).catch(() => []);
  if (env[REFRESH_ENV]) return matching(await found);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      onLate?.();
      resolve([]);
    }, COMPLETION_BUDGET_MS);
  });
  try {
    return matching(await Promise.race([found, late]));
  } finally {
    clearTimeout(timer);
  }
}

/** A small JSON cache for dynamic suggestions in `${XDG_CACHE_HOME:-~/.cache}/<tool>/`, valid `ttlMs`. */
export async function cachedSuggestions<T>(
  tool: string,
  key: string,
  env: NodeJS.ProcessEnv,
  ttlMs: number,
  fetch: () => Promise<T>,
): Promise<T> {
  const file = join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), tool, `completion-${key}.json`);
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { at: number; value: T };
    if (Date.now() - cached.at < ttlMs) return cached.value;
  } catch {
    // No cache yet, or an unreadable one: fetch.
  }
  const value = await fetch();
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify({ at: Date.now(), value }));
    renameSync(`${file}.tmp`, file);
  } catch {
    // A cache that cannot be written only costs speed.
  }
  return value;
}

/** The script that `eval "$(tool completion SHELL)"` (or `source`) installs: it asks `tool __complete`. */
export function completionScript(tool: string, shell: Shell): string {
  const fn = `_${tool.replace(/[^A-Za-z0-9]/g, '_')}_complete`;
  if (shell === 'bash')
    return `# ${tool} completion for bash: eval "$(${tool} completion bash)"
${fn}() {
  local IFS=$'\\n'
  COMPREPLY=($(${tool} __complete "$COMP_CWORD" "\${COMP_WORDS[@]}" 2>/dev/null))
}
complete -o default -F ${fn} ${tool}
`;
  if (shell === 'zsh')
    return `#compdef ${tool}
# ${tool} completion for zsh: eval "$(${tool} completion zsh)"
${fn}() {
  local -a suggestions
  suggestions=("\${(@f)$(${tool} __complete $((CURRENT - 1)) "\${words[@]}" 2>/dev/null)}")
  compadd -- \${suggestions:#}
}
# compdef comes with compinit; a shell that has not loaded it gets it loaded here.
(( $+functions[compdef] )) || { autoload -Uz compinit && compinit -u }
compdef ${fn} ${tool}
`;
  return `# ${tool} completion for fish: ${tool} completion fish | source
function ${fn}
  set -l words (commandline -opc) (commandline -ct)
  ${tool} __complete (math (count $words) - 1) $words 2>/dev/null
end
complete -c ${tool} -f -a '(${fn})'
`;
}
