import { EXIT } from '@stups/core/errors';
import type { CliHost, TextStream } from './cli-host.js';

type Guardable = TextStream & {
  on?(event: 'error', listener: (e: NodeJS.ErrnoException) => void): unknown;
};

/**
 * A closed stdout (`senza print … | head -c 10`) ends the run quietly with 0: the reader has all it
 * wanted. A full disk or another write error is one line and exit 1, never a stack trace.
 */
export function guardStreams(stdout: Guardable, stderr: Guardable, host: CliHost): void {
  const onStdoutError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.OK);
    host.error({
      message: `Cannot write the output: ${e.code === 'ENOSPC' ? 'no space left on device' : e.message}`,
      code: 'cli.output-failed',
      exitCode: EXIT.FAILED,
    });
    process.exit(EXIT.FAILED);
  };
  // Nowhere is left to report a failing stderr to.
  const onStderrError = () => process.exit(process.exitCode ?? EXIT.FAILED);
  stdout.on?.('error', onStdoutError);
  stderr.on?.('error', onStderrError);
}
