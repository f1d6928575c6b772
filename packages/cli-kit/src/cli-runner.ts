import { EXIT } from '@stups/core/errors';
import type { CliContext } from './cli-context.js';
import {
  CliHost,
  GLOBAL_OPTION_HELP,
  globalOptionHelp,
  LOG_FORMATS,
  type LogFormat,
  type TextStream,
} from './cli-host.js';
import { expandCommandPrefix } from './command-prefix.js';
import { Command, CommanderError, Option } from './commander.js';
import type { CompletionSource } from './completion.js';
import { type DefaultCommand, withDefaultCommand } from './default-command.js';
import type { AnyCommand } from './define-command.js';
import { reportError } from './error-handler.js';
import { helpLayout } from './help-layout.js';
import type { OptionSpec } from './option-spec.js';
import { guardStreams } from './stream-guard.js';
import { terminalWidth } from './terminal-width.js';

/** A command-line tool: its name, version line and commands. Nothing in the runner is tool-specific. */
export interface ToolSpec {
  name: string;
  description: string;
  /** What `--version` prints, e.g. `Senza 0.1.0`. */
  versionText: string;
  /** `--debug`'s help when it shows more than stack traces (what it logs). */
  debugHelp?: string;
  commands: AnyCommand[];
  /** The command a line means when it names none (`ztoken -n x` = `zign token -n x`). */
  defaultCommand?: DefaultCommand;
  /** Dynamic completion sources named by arguments' `complete`, imported only when completing. */
  completions?: () => Promise<Record<string, CompletionSource>>;
}

export interface CliIo {
  stdout: TextStream;
  stderr: TextStream;
  stdin: { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** commander's option for a spec. */
export function commanderOption(spec: OptionSpec<unknown>): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.parse) option.argParser(spec.parse as (value: string, previous: unknown) => unknown);
  if (spec.choices) option.choices([...spec.choices]);
  if (spec.default !== undefined) option.default(spec.default, spec.defaultText);
  if (spec.env) option.env(spec.env);
  if (spec.hidden) option.hideHelp();
  return option;
}

/** The commander command for a definition (arguments, options, help), without its action. */
export function commanderCommand(parent: Command, spec: AnyCommand): Command {
  const cmd = parent.command(spec.name).summary(spec.summary).description(spec.summary);
  if (spec.usage) cmd.usage(spec.usage);
  for (const a of spec.args) cmd.argument(a.name, a.description);
  for (const o of Object.values(spec.options) as OptionSpec<unknown>[]) cmd.addOption(commanderOption(o));
  return cmd.helpOption('-h, --help', GLOBAL_OPTION_HELP['--help']).exitOverride();
}

function logFormatOf(argv: string[]): LogFormat {
  const i = argv.findIndex((a) => a === '--log-format' || a.startsWith('--log-format='));
  const value = i < 0 ? undefined : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  return value === 'json' ? 'json' : 'text';
}

/**
 * Runs one command line: parses it (unique prefixes select a command), imports the command's module
 * only then (so `--help` loads no engine code), runs it with typed arguments and options, and maps
 * whatever it throws to one report and an exit code. Ctrl-C aborts `cli.signal`; a command that
 * never looked at the signal is ended at once with 130. SIGTERM (`timeout`, a cancelled CI job) takes
 * the same path (the command cleans up as on Ctrl-C) and ends with 143 (128 + 15), as a shell reports it.
 */
export async function runCli(tool: ToolSpec, argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  const debug = argv.includes('--debug');
  const host = new CliHost({ stdout, stderr, env, debug, logFormat: logFormatOf(argv) });
  const names = tool.commands.map((c) => c.name);
  if (argv[0] === '__complete') {
    // The shells' completion functions call this with the word index and the words; no parser.
    // zsh's puts `zsh` first, and gets descriptions and file-name hints (`zshLines`).
    const zsh = argv[1] === 'zsh';
    const [{ completeLine, zshLines, REFRESH_ENV }, { spawn }] = await Promise.all([
      import('./completion.js'),
      import('node:child_process'),
    ]);
    // Too slow this time (a cold start, a slow AWS): the same completion runs on in the background,
    // without a budget, and fills the cache for the next TAB.
    let late = false;
    const refresh = () => {
      late = true;
      spawn(process.execPath, [...process.execArgv, process.argv[1], ...argv], {
        detached: true,
        stdio: 'ignore',
        env: { ...env, [REFRESH_ENV]: '1' },
      }).unref();
    };
    const at = zsh ? 2 : 1;
    const completion = await completeLine(
      tool.commands,
      argv.slice(at + 1),
      Number(argv[at]),
      tool.completions ?? (async () => ({})),
      env,
      refresh,
      globalOptionHelp(tool.debugHelp),
    );
    host.print(zsh ? zshLines(completion) : completion.suggestions.map((s) => `${s.value}\n`).join(''));
    // The dropped remote call may hold the event loop for its own timeouts; the shell is waiting.
    if (late && !io.stdout) process.exit(EXIT.OK);
    return EXIT.OK;
  }
  // Kept for the life of the process: a write may fail after the command returned.
  guardStreams(stdout, stderr, host);
  let exitCode: number = EXIT.OK;
  let commandName: string | undefined;

  const controller = new AbortController();
  let watched = false;
  let terminated = false;
  const onSigint = () => {
    controller.abort();
    if (!watched) {
      stderr.write('\n');
      process.exit(EXIT.INTERRUPTED);
    }
  };
  const onSigterm = () => {
    terminated = true;
    controller.abort();
    if (!watched) process.exit(EXIT.TERMINATED);
  };
  // An interruption that SIGTERM caused ends with its own code.
  const interruption = (code: number) => (terminated && code === EXIT.INTERRUPTED ? EXIT.TERMINATED : code);
  let interactive: boolean | undefined;
  const cli: CliContext = {
    tool: tool.name,
    host,
    env,
    debug,
    // Asked when a command first wants to know: the first touch of process.stdin builds its stream (for
    // a terminal with node:tty), and most commands never prompt.
    get interactive() {
      interactive ??= Boolean(stderr.isTTY && (io.stdin ?? process.stdin).isTTY);
      return interactive;
    },
    get signal() {
      watched = true;
      return controller.signal;
    },
  };

  const program = new Command(tool.name)
    .description(tool.description)
    .version(tool.versionText, '-V, --version', GLOBAL_OPTION_HELP['--version'])
    .helpOption('-h, --help', GLOBAL_OPTION_HELP['--help'])
    .option('--debug', globalOptionHelp(tool.debugHelp)['--debug'])
    .addOption(
      new Option('--log-format <FORMAT>', GLOBAL_OPTION_HELP['--log-format']).choices([...LOG_FORMATS]).default('text'),
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => host.print(s),
      writeErr: (s) => stderr.write(s),
      getOutHelpWidth: () => terminalWidth(stdout, env),
      getErrHelpWidth: () => terminalWidth(stderr, env),
      outputError: () => {},
    })
    .configureHelp(helpLayout)
    .showSuggestionAfterError(true);
  for (const spec of tool.commands) {
    const cmd = commanderCommand(program, spec);
    cmd.action(async (...actionArgs: unknown[]) => {
      const command = actionArgs[actionArgs.length - 1] as Command;
      const given = command.opts();
      const options: Record<string, unknown> = {};
      for (const [key, o] of Object.entries(spec.options) as [string, OptionSpec<unknown>][]) {
        const attribute = new Option(o.flags).attributeName();
        let value = given[attribute];
        // commander reads `process.env`; the run's own environment decides (tests pass their own).
        if (o.env && (value === undefined || command.getOptionValueSource(attribute) === 'env')) {
          const fromEnv = env[o.env];
          value = fromEnv === undefined || fromEnv === '' ? o.default : o.parse ? o.parse(fromEnv, undefined) : fromEnv;
        }
        options[key] = value ?? o.absent;
      }
      const positional = actionArgs.slice(0, spec.args.length) as (string | string[] | undefined)[];
      const mod = await spec.load();
      exitCode = (await mod.run(positional, options, cli)) ?? EXIT.OK;
    });
  }

  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    const expanded = expandCommandPrefix(
      tool.defaultCommand ? withDefaultCommand(argv, names, tool.defaultCommand) : argv,
      names,
    );
    commandName = expanded.find((a) => names.includes(a));
    await program.parseAsync(expanded, { from: 'user' });
    // A command that ends quietly on Ctrl-C (a `-W` watch): the terminal echoed `^C` without a line end,
    // and the shell's prompt must not start on that line.
    if (exitCode === EXIT.INTERRUPTED && controller.signal.aborted && stderr.isTTY) stderr.write('\n');
    return interruption(exitCode);
  } catch (e) {
    if (
      e instanceof CommanderError &&
      (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
    )
      return EXIT.OK;
    if (e instanceof CommanderError && e.code === 'commander.executeSubCommandAsync') return EXIT.OK;
    return interruption(reportError(e, host, { tool: tool.name, command: commandName, commands: names }));
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigterm);
  }
}
