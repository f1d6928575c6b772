import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FileKind } from './arg-spec.js';
import { GLOBAL_OPTION_HELP, LOG_FORMAT_HELP, LOG_FORMATS } from './cli-host.js';
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

import type { Shell } from './completion-shells.js';

export { SHELLS, type Shell } from './completion-shells.js';

/** One suggestion, with the text zsh shows beside it (bash shows only the value). */
export interface Suggestion {
  value: string;
  description?: string;
}

/**
 * What completes `words[index]`: command names, flags or values (each maybe described), or file
 * names (`files`: any file, or these extensions) where the word is a file argument or option value;
 * values with `files` too where the word may be either (a stack name or a definition file).
 */
export interface Completion {
  kind: 'commands' | 'options' | 'values' | 'files';
  suggestions: Suggestion[];
  files?: FileKind;
}

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
  const { suggestions } = await completeLine(commands, words, index, sources, env, onLate);
  return suggestions.map((s) => s.value);
}

/** As `completeWords`, with descriptions and what kind of word is completed (for zsh). */
export async function completeLine(
  commands: AnyCommand[],
  words: string[],
  index: number,
  sources: () => Promise<Record<string, CompletionSource>>,
  env: NodeJS.ProcessEnv,
  onLate?: () => void,
  /** The global options' help (`globalOptionHelp`), for their descriptions. */
  globals: Record<string, string> = GLOBAL_OPTION_HELP,
): Promise<Completion> {
  const GLOBAL_FLAGS: Suggestion[] = Object.entries(globals).map(([value, description]) => ({ value, description }));
  const cur = words[index] ?? '';
  const matching = (all: readonly Suggestion[]) => {
    const seen = new Set<string>();
    return all.filter((s) => s.value.startsWith(cur) && !seen.has(s.value) && seen.add(s.value));
  };
  const values = (all: readonly string[], help: Readonly<Record<string, string>> = {}): Completion => ({
    kind: 'values',
    suggestions: matching(all.map((value) => (help[value] ? { value, description: help[value] } : { value }))),
  });
  const before = words.slice(1, index);
  let c = 0;
  while (c < before.length && before[c].startsWith('-')) c += before[c] === '--log-format' ? 2 : 1;
  if (c >= before.length) {
    if (before.at(-1) === '--log-format') return values(LOG_FORMATS, LOG_FORMAT_HELP);
    if (cur.startsWith('-')) return { kind: 'options', suggestions: matching(GLOBAL_FLAGS) };
    return {
      kind: 'commands',
      suggestions: matching(commands.map((x) => ({ value: x.name, description: x.summary }))),
    };
  }
  const typed = before[c];
  const byPrefix = commands.filter((x) => x.name.startsWith(typed));
  const command = commands.find((x) => x.name === typed) ?? (byPrefix.length === 1 ? byPrefix[0] : undefined);
  if (!command) return values([]);
  const options = Object.values(command.options) as OptionSpec<unknown>[];
  const byFlag = new Map(options.flatMap((o) => flagsOf(o).map((f) => [f, o] as const)));
  const after = before.slice(c + 1);
  const previous = byFlag.get(after.at(-1) ?? '');
  if (previous && takesValue(previous)) {
    if (previous.file && !previous.choices) return { kind: 'files', suggestions: [], files: previous.file };
    return values(previous.choices ?? [], previous.choiceHelp);
  }
  if (cur.startsWith('-'))
    return {
      kind: 'options',
      suggestions: matching([
        ...options.flatMap((o) => flagsOf(o).map((value) => ({ value, description: o.description }))),
        { value: '-h', description: GLOBAL_OPTION_HELP['--help'] },
        ...GLOBAL_FLAGS,
      ]),
    };
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
  if (spec?.file && !spec.complete) return { kind: 'files', suggestions: [], files: spec.file };
  if (!spec?.complete) return values([]);
  // A reference that may be a file (a stack name or a definition file): its first word offers both.
  const withFiles = (c: Completion): Completion =>
    spec.file && positional.length === 0 ? { ...c, files: spec.file } : c;
  const source = (await sources())[spec.complete];
  if (!source) return withFiles(values([]));
  const controller = new AbortController();
  const found = source({ position: positional.length, positional, env, signal: controller.signal }).catch(() => []);
  if (env[REFRESH_ENV]) return withFiles(values(await found));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      onLate?.();
      resolve([]);
    }, COMPLETION_BUDGET_MS);
  });
  try {
    return withFiles(values(await Promise.race([found, late])));
  } finally {
    clearTimeout(timer);
  }
}

/** zsh's glob for a file kind (empty: any file). */
function fileGlob(f: FileKind | undefined): string {
  return f === true || !f || f === 'directory' ? '' : f.length === 1 ? `*.${f[0]}` : `*.(${f.join('|')})`;
}

/**
 * `tool __complete zsh …` prints a completion for the zsh script: the kind on the first line, then
 * for `files` the glob of the file names (empty: any), for `directories` nothing, else one `value:description` per line
 * (`_describe`'s format; a `:` in a value escaped). Values that may also be file names are `values+files`,
 * the glob, then the values.
 */
export function zshLines(completion: Completion): string {
  const f = completion.files;
  if (completion.kind === 'files') {
    if (f === 'directory') return 'directories\n';
    return `files\n${fileGlob(f)}\n`;
  }
  const lines = completion.suggestions.map((s) => {
    const value = s.value.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
    return s.description ? `${value}:${s.description.replace(/\s+/g, ' ')}` : value;
  });
  const head = f && f !== 'directory' ? [`${completion.kind}+files`, fileGlob(f)] : [completion.kind];
  return [...head, ...lines].map((l) => `${l}\n`).join('');
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
# Commands and options with their descriptions, option values, and file names where a file is asked for.
${fn}() {
  local -a lines suggestions
  lines=("\${(@f)$(${tool} __complete zsh $((CURRENT - 1)) "\${words[@]}" 2>/dev/null)}")
  if [[ \${lines[1]} == files ]]; then
    if [[ -n \${lines[2]} ]]; then _files -g "\${lines[2]}"; else _files; fi
    return
  fi
  if [[ \${lines[1]} == directories ]]; then _files -/; return; fi
  if [[ \${lines[1]} == *+files ]]; then
    # A stack name or a definition file: both, the names described, the files as files.
    local ret=1
    suggestions=("\${(@)lines[3,-1]:#}")
    (( \${#suggestions} )) && _describe -t "\${lines[1]%+files}" "\${lines[1]%+files}" suggestions && ret=0
    if [[ -n \${lines[2]} ]]; then _files -g "\${lines[2]}" && ret=0; else _files && ret=0; fi
    return ret
  fi
  suggestions=("\${(@)lines[2,-1]:#}")
  (( \${#suggestions} )) && _describe -t "\${lines[1]:-values}" "\${lines[1]:-values}" suggestions
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
