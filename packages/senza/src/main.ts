import { Command, CommanderError, Option } from 'commander';
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

const regionOption = () =>
  new Option('--region <AWS_REGION_ID>', 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or ~/.aws/config)');
const parameterFileOption = () =>
  new Option('--parameter-file <PATH>', 'YAML map of parameter values, used after the command-line ones');

export const COMMANDS: CommandSpec[] = [
  {
    name: 'init',
    summary: 'Create a new Senza definition from a template',
    define: (cmd) =>
      cmd
        .argument('<DEFINITION_FILE>', 'file to write, or - for stdout')
        .option('-t, --template <TEMPLATE_ID>', 'template: bgapp, rediscluster, redisnode, webapp')
        .option(
          '-v, --user-variable <KEY=VAL>',
          'answer a prompt, e.g. -v application_id=shop (repeatable)',
          collect,
          [],
        )
        .option('-y, --yes', 'accept the default of every prompt not answered by -v')
        .option('-f, --force', 'overwrite an existing file')
        .addOption(regionOption()),
    load: () => import('./commands/init.js'),
  },
  {
    name: 'print',
    summary: 'Print the generated CloudFormation template',
    define: (cmd) =>
      cmd
        .argument('<DEFINITION>', 'Senza definition YAML file')
        .argument('<VERSION>', 'stack version, letters and digits (e.g. 1, 42, v2)')
        .argument('[PARAMETER...]', 'parameter values, positional or NAME=VALUE')
        .addOption(regionOption())
        .addOption(parameterFileOption())
        .addOption(new Option('-o, --output <FORMAT>', 'output format').choices(['json', 'yaml']).default('json'))
        .option('-f, --force', 'skip checks against Docker registries'),
    load: () => import('./commands/print.js'),
  },
];

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

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
