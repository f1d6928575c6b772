/**
 * A tool's default command: the one a command line names without its name (`ztoken` = `zign token`,
 * `piu HOST REASON` = `piu request-access HOST REASON`). `takes` decides from the first word after the
 * tool's own options (undefined when there is none) whether the line is the default command's.
 */
export interface DefaultCommand {
  name: string;
  takes(word: string | undefined, names: string[]): boolean;
}

const HELP_OR_VERSION = new Set(['-h', '--help', '-V', '--version']);

/**
 * The command line with the default command's name put in, where it applies: never before a command,
 * a unique prefix of one or `help`, and never when the line asks for help or the version.
 */
export function withDefaultCommand(argv: string[], names: string[], command: DefaultCommand): string[] {
  let i = 0;
  while (i < argv.length) {
    const a = argv[i] as string;
    if (HELP_OR_VERSION.has(a)) return argv;
    if (a === '--log-format') i += 2;
    else if (a === '--debug' || a.startsWith('--log-format=')) i += 1;
    else break;
  }
  const word = argv[i];
  if (word !== undefined && (word === 'help' || names.some((n) => n.startsWith(word)))) return argv;
  if (!command.takes(word, names)) return argv;
  return [...argv.slice(0, i), command.name, ...argv.slice(i)];
}
