import type { CliHost } from './cli-host.js';

/** What a command gets besides its arguments: the host that renders, the environment, the tool. */
export interface CliContext {
  /** The tool's name as users type it (`senza`), for hints and resume commands. */
  tool: string;
  host: CliHost;
  env: NodeJS.ProcessEnv;
  debug: boolean;
  /** Whether a person can answer prompts (stdin and stderr are terminals). */
  interactive: boolean;
  /** Ends with Ctrl-C (SIGINT); commands pass it to the engine's waits and watches. */
  signal: AbortSignal;
}
