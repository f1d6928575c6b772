import { Command, CommanderError } from './commander.js';
import { definitionCommands } from './commands/specs/definition.js';
import { lifecycleCommands } from './commands/specs/lifecycle.js';
import { stacksCommands } from './commands/specs/stacks.js';
import { trafficCommands } from './commands/specs/traffic.js';
import { version } from './version.js';

/**
 * `senza`: argument parsing, then a lazily imported command module (so `senza --help` loads neither
 * the engine's AWS code nor the SDK), then one error handler for every command.
 */
export interface CommandSpec {
  name: string;
  summary: string;
  define(cmd: Command): Command;
  /** Imports the implementation only when the command runs. */
  load(): Promise<{
    run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number | undefined>;
  }>;
}

export interface CliContext {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  debug: boolean;
}

export const COMMANDS: CommandSpec[] = [
  ...definitionCommands,
  ...lifecycleCommands,
  ...stacksCommands,
  ...trafficCommands,
].sort((a, b) => a.name.localeCompare(b.name));

/** Unique prefixes select a command (`senza pri` = `print`), like the original. */
export function expandCommandPrefix(argv: string[], names: string[]): string[] {
  const i = argv.findIndex((a) => !a.startsWith('-'));
  if (i < 0 || names.includes(argv[i])) return argv;
  const matches = names.filter((n) => n.startsWith(argv[i])).sort();
  if (matches.length === 1) return [...argv.slice(0, i), matches[0], ...argv.slice(i + 1)];
  if (matches.length > 1)
    throw new CommanderError(2, 'senza.ambiguous-command', `Too many matches: ${matches.join(', ')}`);
  return argv;
}

export async function main(argv: string[], io: Partial<CliContext> = {}): Promise<number> {
  const cli: CliContext = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    debug: argv.includes('--debug'),
  };
  let exitCode = 0;
  const program = new Command('senza')
    .description('Deploy immutable, versioned application stacks to AWS, the STUPS way.')
    .version(`Senza ${version}`, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help')
    .option('--debug', 'show stack traces and AWS calls on errors')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => cli.stdout.write(s),
      writeErr: (s) => cli.stderr.write(s),
    })
    .showSuggestionAfterError(true);
  for (const spec of COMMANDS) {
    const cmd = spec
      .define(program.command(spec.name).summary(spec.summary).description(spec.summary))
      .helpOption('-h, --help', 'show help')
      .exitOverride();
    cmd.action(async (...actionArgs: unknown[]) => {
      const command = actionArgs[actionArgs.length - 1] as Command;
      const options = command.opts();
      const positional = actionArgs.slice(0, -2);
      const mod = await spec.load();
      exitCode = (await mod.run(positional, options, cli)) ?? 0;
    });
  }
  try {
    await program.parseAsync(
      expandCommandPrefix(
        argv,
        COMMANDS.map((c) => c.name),
      ),
      { from: 'user' },
    );
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return 0;
      if (e.code === 'senza.ambiguous-command') cli.stderr.write(`Error: ${e.message}\n`);
      // commander has printed its own message for the others; usage errors exit 2.
      return 2;
    }
    const { reportError } = await import('./report-error.js');
    return reportError(e, cli);
  }
}
