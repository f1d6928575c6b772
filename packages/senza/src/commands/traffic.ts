import { type IoHost, type OutputFormat, pythonJsonDumps, UsageError, useColor } from '@stups/core';
import type { RecordChange, TrafficRow } from '@stups/core/senza';
import { stderrHost } from '../listing.js';
import type { CliContext } from '../main.js';
import { openSession, regionOf } from '../template-request.js';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * PERCENTAGE: a decimal number within 0..100. The original clamped anything else into range (150 →
 * 100); a typo should not become a full switch, so we refuse it (exit 2).
 */
export function parsePercentage(text: string): number {
  const n = Number(text);
  if (!NUMBER.test(text.trim()) || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new UsageError(`Invalid value for 'PERCENTAGE': "${text}" is not a number within 0..100`, {
      code: 'senza.traffic-percentage-invalid',
    });
  }
  return n;
}

type Table = (stream: NodeJS.WriteStream, columns: string[], rows: TrafficRow[]) => void;

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const [nameArg, version, percentageArg] = args as [string, string | undefined, string | undefined];
  const percentage = percentageArg === undefined ? undefined : parsePercentage(percentageArg);
  const [core, { parseStackRefs }] = await Promise.all([
    import('@stups/core/senza/traffic'),
    import('@stups/core/senza/stacks/stack-ref'),
  ]);
  const name = parseStackRefs([nameArg])[0]?.name ?? nameArg;
  const format = (options.output as OutputFormat | undefined) ?? 'text';
  const table: Table = (stream, columns, rows) =>
    stream.write(
      core.renderTrafficTable(format, columns, rows, {
        headerStyle: format === 'text' && useColor(stream, cli.env) ? (t) => `\u001b[30;47m${t}\u001b[0m` : undefined,
      }),
    );
  const host = trafficHost(cli, table);
  const session = await openSession(await regionOf(options, cli), host);
  try {
    if (percentage === undefined) {
      const { columns, rows } = await core.trafficDistribution(session, name, version);
      table(cli.stdout, columns, rows);
      return 0;
    }
    if (version === undefined) throw new UsageError('Missing argument STACK_VERSION', { code: 'senza.traffic-usage' });
    const result = await core.switchTraffic(session, {
      name,
      version,
      percentage,
      timeoutSeconds: options.timeout === undefined ? undefined : Number(options.timeout),
      intervalSeconds: Number(options.interval ?? 5),
      force: Boolean(options.force),
      planOnly: Boolean(options.plan),
      comment: `senza traffic ${name} ${version} ${percentage}`,
      host,
    });
    // The table is what was applied (or, with --plan, what would be); with --plan -o json it goes out
    // once, inside the preview object.
    const planned = result.plan.domains.some((d) => !d.removed);
    if (planned && !(result.outcome === 'planned' && format === 'json')) table(cli.stdout, result.columns, result.rows);
    if (result.outcome === 'planned') printChanges(cli, format, result.changes, result.rows, core.describeChange);
    return 0;
  } finally {
    session.finish();
  }
}

/**
 * The switch's messages on stderr as the original printed them: a span on one line (`Setting weights
 * for app.example.org... OK`), what comes within a span as plain lines, and the weights of a switch
 * that failed as a table labelled as not applied.
 */
function trafficHost(cli: CliContext, table: Table): IoHost {
  const base = stderrHost(cli);
  let inSpan = false;
  return {
    notify(m) {
      if (m.span?.phase === 'start') {
        cli.stderr.write(m.text);
        inSpan = true;
      } else if (m.span?.phase === 'end') {
        cli.stderr.write(` ${m.text}\n`);
        inSpan = false;
      } else if (inSpan && m.level !== 'debug') {
        cli.stderr.write(`${m.text}\n`);
      } else {
        base.notify(m);
        const data = m.data as { columns?: string[]; rows?: TrafficRow[] } | undefined;
        if (m.code === 'senza.traffic-not-applied' && data?.columns && data.rows) {
          table(cli.stderr, data.columns, data.rows);
        }
      }
    },
  };
}

function printChanges(
  cli: CliContext,
  format: OutputFormat,
  changes: RecordChange[],
  rows: TrafficRow[],
  describeChange: (c: RecordChange) => string,
): void {
  const preview = changes.map((c) => ({
    zone: c.zoneName,
    zone_id: c.zoneId,
    name: c.name,
    type: c.type,
    set_identifier: c.setIdentifier,
    old_weight: c.oldWeight,
    new_weight: c.newWeight,
  }));
  if (format === 'json') {
    // The preview replaces the rows list by one object: the rows and the exact Route53 changes.
    cli.stdout.write(`${pythonJsonDumps({ rows, changes: preview }, { sortKeys: true })}\n`);
    return;
  }
  const out = format === 'text' ? cli.stdout : cli.stderr;
  if (changes.length === 0) {
    out.write('Route53 changes (plan only, nothing applied): none\n');
    return;
  }
  out.write('Route53 changes (plan only, nothing applied):\n');
  for (const c of changes) {
    out.write(`  ${describeChange(c)}\n`);
  }
}
