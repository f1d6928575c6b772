// The runtime of every CLI, kept small for start-up; docs generators in `./docs`, prompts in `./prompt`.
export { type ArgSpec, type ArgValue, type ArgValues, arg, type FileKind } from './arg-spec.js';
export type { CliContext } from './cli-context.js';
export {
  CliHost,
  type CliHostOptions,
  LOG_FORMATS,
  type LogFormat,
  type MessageRenderer,
  type TextStream,
} from './cli-host.js';
export type { CliKitCodes } from './cli-messages.js';
export { type CliIo, commanderCommand, commanderOption, runCli, type ToolSpec } from './cli-runner.js';
export { expandCommandPrefix, nearCommands } from './command-prefix.js';
export { CommanderError, InvalidArgumentError } from './commander.js';
// The completion engine is a subpath of its own (`@stups/cli-kit/completion`): loaded only when completing.
export type { CompletionRequest, CompletionSource } from './completion.js';
export { completionCommand } from './completion-command.js';
export { type DefaultCommand, withDefaultCommand } from './default-command.js';
export {
  type AnyCommand,
  type CommandDefinition,
  type CommandModule,
  type CommandShape,
  commandShape,
  defineCommand,
  type RunCommand,
  type RunOf,
} from './define-command.js';
export { reportError } from './error-handler.js';
export {
  choice,
  flag,
  flagName,
  int,
  intRange,
  list,
  type OptionSpec,
  type OptionSpecs,
  type OptionValues,
  takesValue,
  text,
} from './option-spec.js';
export { fieldOption, type OutputFormat, outputOption } from './output-options.js';
export { escapeControl } from './terminal-text.js';
