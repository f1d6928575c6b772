import { EXIT, UsageError } from '@stups/core/errors';
import { arg } from './arg-spec.js';
import { SHELLS, type Shell } from './completion-shells.js';
import { commandShape, defineCommand, type RunOf } from './define-command.js';

const shape = commandShape({ args: [arg('<SHELL>', `shell: ${SHELLS.join(', ')}`)] as const, options: {} });

const run: RunOf<typeof shape> = async ([shell], _options, cli) => {
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`Unknown shell "${shell}"`, {
      code: 'cli.completion-shell',
      hint: `Choose one of ${SHELLS.join(', ')}.`,
    });
  }
  const { completionScript } = await import('./completion.js');
  cli.host.print(completionScript(cli.tool, shell as Shell));
  return EXIT.OK;
};

/** `<tool> completion bash|zsh|fish`: the same command for every tool; a tool lists it with its commands. */
export function completionCommand(tool: string) {
  return defineCommand({
    name: 'completion',
    summary: `print the shell completion script: eval "$(${tool} completion bash)" (or zsh; fish: | source)`,
    ...shape,
    load: async () => ({ run }),
  });
}
