import type { ArgSpec, ArgValues } from './arg-spec.js';
import type { CliContext } from './cli-context.js';
import type { OptionSpecs, OptionValues } from './option-spec.js';

/** A command's implementation, imported only when the command runs. Returns the exit code (0 if none). */
export interface CommandModule<A extends readonly ArgSpec[], O extends OptionSpecs> {
  run(args: ArgValues<A>, options: OptionValues<O>, cli: CliContext): Promise<number | undefined>;
}

/** The `run` of a command declared with `args: A` and `options: O`, for the command module to type itself. */
export type RunCommand<A extends readonly ArgSpec[], O extends OptionSpecs> = CommandModule<A, O>['run'];

export interface CommandDefinition<
  A extends readonly ArgSpec[] = readonly ArgSpec[],
  O extends OptionSpecs = OptionSpecs,
> {
  name: string;
  summary: string;
  /** Usage line when the arguments alone do not tell it (`[options] [REF...] DESIRED_CAPACITY`). */
  usage?: string;
  args: A;
  options: O;
  load(): Promise<CommandModule<A, O>>;
}

/**
 * Declares a command once, as data. Type inference carries the declaration into the loaded module's
 * `run`: it receives a tuple of its arguments and an object of its option values, with no casts.
 */
export function defineCommand<const A extends readonly ArgSpec[], const O extends OptionSpecs>(
  definition: CommandDefinition<A, O>,
): CommandDefinition<A, O> {
  return definition;
}

/** A command of any shape, for lists of commands. */
// biome-ignore lint/suspicious/noExplicitAny: a list holds commands whose argument and option types all differ
export type AnyCommand = CommandDefinition<readonly ArgSpec[], any>;

/** A command's arguments and options, declared before the command so its module can name their types. */
export interface CommandShape<A extends readonly ArgSpec[] = readonly ArgSpec[], O extends OptionSpecs = OptionSpecs> {
  args: A;
  options: O;
}

export function commandShape<const A extends readonly ArgSpec[], const O extends OptionSpecs>(
  shape: CommandShape<A, O>,
): CommandShape<A, O> {
  return shape;
}

/** The `run` that a command module exports for a shape: `export const run: RunOf<typeof printShape> = …`. */
// biome-ignore lint/suspicious/noExplicitAny: matched only to extract the shape's own types
export type RunOf<S extends CommandShape<readonly ArgSpec[], any>> = RunCommand<S['args'], S['options']>;
