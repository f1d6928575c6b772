import { type IoHost, type Row, StreamHost, type TableSpec, useColor } from '@stups/core';
import type { AwsSession } from '@stups/core/aws';
import type { StackRef } from '@stups/core/senza';
import type { CliContext } from './main.js';
import { printRows } from './output.js';
import { openSession, regionOf } from './template-request.js';

export interface Listing {
  spec: TableSpec;
  /** Typed rows of core; every column is a key. */
  rows: object[];
  /** Output that is no table (`console`): printed as is instead of the rows. */
  text?: string;
}

export interface ListingContext {
  session: AwsSession;
  refs: StackRef[];
  region: string;
}

export interface ListingBehaviour {
  /** Off a TTY, a watch prints only rows not printed before (by this key), backing off while none come. */
  appendKey?: (row: object) => string;
}

/** The watch period in seconds from `-W` (2 s) or `-w SECS`; undefined without watching. */
export function watchPeriod(options: Record<string, unknown>): number | undefined {
  if (options.watch !== undefined) return Number(options.watch);
  return options.W ? 2 : undefined;
}

export function stderrHost(cli: CliContext): IoHost {
  return new StreamHost({ stream: cli.stderr, color: useColor(cli.stderr, cli.env), debug: cli.debug });
}

function rendered(cli: CliContext, options: Record<string, unknown>, listing: Listing): string {
  if (listing.text !== undefined) return listing.text;
  let text = '';
  const capture = {
    ...cli,
    stdout: {
      isTTY: cli.stdout.isTTY,
      write: (s: string) => {
        text += s;
        return true;
      },
    } as unknown as NodeJS.WriteStream,
  };
  printRows(capture, options, listing.spec, listing.rows as Row[]);
  return text;
}

/**
 * Runs a stack table once, or with `-W`/`-w` again and again: on a TTY the screen is redrawn; off a
 * TTY whole tables are appended (or only new rows, with `appendKey`). Ctrl-C ends a watch with 130.
 */
export async function runListing(
  options: Record<string, unknown>,
  cli: CliContext,
  refs: StackRef[],
  load: (ctx: ListingContext) => Promise<Listing>,
  behaviour: ListingBehaviour = {},
): Promise<number> {
  const region = await regionOf(options, cli);
  const session = await openSession(region, stderrHost(cli));
  try {
    const period = watchPeriod(options);
    if (period === undefined) {
      cli.stdout.write(rendered(cli, options, await load({ session, refs, region })));
      return 0;
    }
    const { watchLoop } = await import('@stups/core/senza/stacks');
    const controller = new AbortController();
    const onInterrupt = () => controller.abort();
    process.once('SIGINT', onInterrupt);
    const seen = new Set<string>();
    let first = true;
    try {
      await watchLoop(
        async () => {
          const listing = await load({ session, refs, region });
          if (cli.stdout.isTTY) {
            cli.stdout.write(`\u001b[H\u001b[2J${rendered(cli, options, listing)}`);
            return true;
          }
          if (!behaviour.appendKey) {
            cli.stdout.write(rendered(cli, options, listing));
            return true;
          }
          const key = behaviour.appendKey;
          const fresh = listing.rows.filter((r) => !seen.has(key(r)));
          for (const r of fresh) seen.add(key(r));
          if (fresh.length === 0 && !first) return false;
          let text = rendered(cli, options, { ...listing, rows: fresh });
          const format = options.output ?? 'text';
          // After the first table, text and TSV rows continue it without repeating the header.
          if (!first && (format === 'text' || format === 'tsv')) text = text.slice(text.indexOf('\n') + 1);
          first = false;
          cli.stdout.write(text);
          return fresh.length > 0;
        },
        {
          periodSeconds: period,
          maxPeriodSeconds: behaviour.appendKey ? Math.min(300, Math.max(period, period * 8)) : period,
          signal: controller.signal,
        },
      );
    } finally {
      process.removeListener('SIGINT', onInterrupt);
    }
    return controller.signal.aborted ? 130 : 0;
  } finally {
    session.finish();
  }
}
