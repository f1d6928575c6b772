import type { FileKind } from './arg-spec.js';
import { InvalidArgumentError } from './commander.js';

/**
 * An option declared once, as data. The commander definition, the typed value a command receives,
 * the docs table and shell completion are all derived from it. `T` is the value the command sees.
 */
export interface OptionSpec<T> {
  /** commander's flags, e.g. `-t, --timeout <SECS>` or `--dry-run`. */
  flags: string;
  description: string;
  /** Turns the text given on the command line (and the value so far, for repeatable options) into `T`. */
  parse?(text: string, previous: T): T;
  default?: T;
  /** The default as help shows it, when it is not the value itself. */
  defaultText?: string;
  choices?: readonly string[];
  /** What each choice means, for zsh completion (`json:one JSON document, sorted keys`). */
  choiceHelp?: Readonly<Record<string, string>>;
  /** An environment variable that gives the value when the flag is absent. */
  env?: string;
  /** The value when the option is absent and has no default (not shown in help): `false`, `[]`. */
  absent?: T;
  /** Hidden in help (still parsed). */
  hidden?: boolean;
  /** The value is a file name, for shell completion (see `ArgSpec.file`). */
  file?: FileKind;
}

export type OptionSpecs = Record<string, OptionSpec<unknown>>;

/** The values a command receives for its option specs. */
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]: O[K] extends OptionSpec<infer T> ? T : never };

interface Common {
  env?: string;
  hidden?: boolean;
  file?: FileKind;
  choiceHelp?: Readonly<Record<string, string>>;
}

/** A boolean flag (`--dry-run`; `--no-change-set` is true unless given). */
export function flag(flags: string, description: string, extra: Common = {}): OptionSpec<boolean> {
  return { flags, description, absent: false, ...extra };
}

/** A text value, undefined when absent. */
export function text(flags: string, description: string, extra?: Common): OptionSpec<string | undefined>;
/** A text value with a default. */
export function text(flags: string, description: string, extra: Common & { default: string }): OptionSpec<string>;
export function text(
  flags: string,
  description: string,
  extra: Common & { default?: string } = {},
): OptionSpec<string> | OptionSpec<string | undefined> {
  return { flags, description, ...extra };
}

/** One of a fixed list of values, with a default. */
export function choice<const C extends readonly string[]>(
  flags: string,
  description: string,
  choices: C,
  defaultValue: C[number],
  extra: Common = {},
): OptionSpec<C[number]> {
  return { flags, description, choices, default: defaultValue, ...extra };
}

/** A repeatable value (`-t a -t b` → `['a', 'b']`), empty when absent; `showDefault` shows `[]` in help. */
export function list(
  flags: string,
  description: string,
  extra: Common & { showDefault?: boolean } = {},
): OptionSpec<string[]> {
  const { showDefault, ...rest } = extra;
  return {
    flags,
    description,
    parse: (value, previous) => [...(previous ?? []), value],
    ...(showDefault ? { default: [] } : { absent: [] }),
    ...rest,
  };
}

/** An integer within bounds, inclusive (click's IntRange); undefined when absent unless a default is given. */
export function int(
  flags: string,
  description: string,
  range: { min: number; max: number; message?: string },
  extra?: Common,
): OptionSpec<number | undefined>;
export function int(
  flags: string,
  description: string,
  range: { min: number; max: number; message?: string },
  extra: Common & { default: number },
): OptionSpec<number>;
export function int(
  flags: string,
  description: string,
  range: { min: number; max: number; message?: string },
  extra: Common & { default?: number } = {},
): OptionSpec<number> | OptionSpec<number | undefined> {
  return { flags, description, parse: intRange(range.min, range.max, range.message), ...extra };
}

/** The one integer-range parser: digits only, within `min..max`, else a usage error naming the range. */
export function intRange(min: number, max: number, message?: string): (value: string) => number {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(message ?? `${value} is not in the range ${min}<=x<=${max}.`);
    }
    return n;
  };
}

/** The long flag's name without dashes (`--dry-run` → `dry-run`), or the short one's. */
export function flagName(spec: OptionSpec<unknown>): string {
  const long = /--([\w-]+)/.exec(spec.flags)?.[1];
  return long ?? /-(\w)/.exec(spec.flags)?.[1] ?? spec.flags;
}

/** Whether the option takes a value (`<X>` or `[X]` in its flags). */
export function takesValue(spec: OptionSpec<unknown>): boolean {
  return /[<[]/.test(spec.flags);
}
