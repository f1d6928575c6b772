import type { CliContext } from '@stups/cli-kit';
import { tableColumns } from '@stups/cli-kit/table';
import type { Row, TableSpec } from '@stups/core';
import { EXIT } from '@stups/core';
import type { AwsSession } from '@stups/core/aws';
import type { StackRef } from '@stups/core/senza';
import { renderRows, type TableOptions } from './output.js';
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

export interface ListingOptions extends TableOptions {
  region?: string;
  /** `-W`: every 2 seconds. */
  W?: boolean;
  /** `-w SECS`. */
  watch?: number;
}

/** The watch period in seconds from `-W` (2 s) or `-w SECS`; undefined without watching. */
export function watchPeriod(options: ListingOptions): number | undefined {
  if (options.watch !== undefined) return options.watch;
  return options.W ? 2 : undefined;
}

function rendered(cli: CliContext, options: ListingOptions, listing: Listing): string {
  if (listing.text !== undefined) return listing.text;
  return renderRows(cli, options, listing.spec, listing.rows as Row[]);
}

/**
 * Runs a stack table once, or with `-W`/`-w` again and again: on a TTY the screen is redrawn; off a
 * TTY whole tables are appended (or only new rows, with `appendKey`). Ctrl-C ends a watch with 130.
 */
export async function runListing(
  options: ListingOptions,
  cli: CliContext,
  refs: StackRef[],
  load: (ctx: ListingContext) => Promise<Listing>,
  behaviour: ListingBehaviour = {},
): Promise<number> {
  const { host } = cli;
  const region = await regionOf(options, cli);
  const session = await openSession(region, host);
  try {
    const period = watchPeriod(options);
    if (period === undefined) {
      host.print(rendered(cli, options, await load({ session, refs, region })));
      return EXIT.OK;
    }
    const { watchLoop } = await import('@stups/core/senza/stacks');
    const signal = cli.signal;
    const seen = new Set<string>();
    let first = true;
    // Rows appended under the first table keep its columns, even if later ones would fit fewer.
    let appended = options;
    await watchLoop(
      async () => {
        const listing = await load({ session, refs, region });
        if (host.stdout.isTTY) {
          host.replaceScreen(rendered(cli, options, listing));
          return true;
        }
        if (!behaviour.appendKey) {
          host.print(rendered(cli, options, listing));
          return true;
        }
        const key = behaviour.appendKey;
        const fresh = listing.rows.filter((r) => !seen.has(key(r)));
        for (const r of fresh) seen.add(key(r));
        if (fresh.length === 0 && !first) return false;
        if (first && listing.text === undefined)
          appended = { ...options, field: tableColumns(cli, listing.spec, fresh as Row[], options) };
        let text = rendered(cli, appended, { ...listing, rows: fresh });
        const format = options.output;
        // After the first table, text and TSV rows continue it without repeating the header.
        if (!first && (format === 'text' || format === 'tsv')) text = text.slice(text.indexOf('\n') + 1);
        first = false;
        host.print(text);
        return fresh.length > 0;
      },
      {
        periodSeconds: period,
        maxPeriodSeconds: behaviour.appendKey ? Math.min(300, Math.max(period, period * 8)) : period,
        signal,
      },
    );
    // A watch ends with Ctrl-C: nothing went wrong, but the exit code says it was interrupted.
    return signal.aborted ? EXIT.INTERRUPTED : 0;
  } finally {
    session.finish();
  }
}
