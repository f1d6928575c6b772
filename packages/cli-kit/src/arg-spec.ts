/**
 * A positional argument declared as data: `<NAME>` is required (a string), `[NAME]` optional
 * (string or undefined), `[NAME...]`/`<NAME...>` variadic (a list, maybe empty).
 */
export interface ArgSpec<S extends string = string> {
  name: S;
  description: string;
  /** A dynamic completion source of the tool (`ToolSpec.completions`) that suggests values, e.g. `stacks`. */
  complete?: string;
  /**
   * The argument is a file name: `true` for any file, the extensions zsh completes (`['yaml', 'yml']`,
   * directories too), or `'directory'`. With `complete`, a word that may be either (a stack name or a
   * definition file): its first word offers the source's values and the file names.
   */
  file?: FileKind;
}

/** A file-name value for completion: any file, files with one of these extensions (and directories), a directory. */
export type FileKind = true | 'directory' | readonly string[];

export function arg<const S extends string>(
  name: S,
  description: string,
  options: { complete?: string; file?: FileKind } = {},
): ArgSpec<S> {
  return { name, description, ...options };
}

export type ArgValue<S extends string> = string extends S
  ? string | string[] | undefined
  : S extends `${string}...${']' | '>'}`
    ? string[]
    : S extends `<${string}>`
      ? string
      : string | undefined;

export type ArgValues<A extends readonly ArgSpec[]> = {
  -readonly [I in keyof A]: A[I] extends ArgSpec<infer S> ? ArgValue<S> : never;
};
