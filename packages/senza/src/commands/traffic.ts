import type { CliContext, OutputFormat } from '@stups/cli-kit';
import { terminalWidth } from '@stups/cli-kit/terminal-width';
import { EXIT, pythonJsonDumps, UsageError } from '@stups/core';
import type { RecordChange, TrafficRow } from '@stups/core/senza';
import { openSession, regionOf } from '../template-request.js';
import type { TrafficRun } from './specs/traffic.js';

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

export const run: TrafficRun = async ([nameArg, version, percentageArg], options, cli) => {
  const percentage = percentageArg === undefined ? undefined : parsePercentage(percentageArg);
  const [core, { parseStackRefs }] = await Promise.all([
    import('@stups/core/senza/traffic'),
    import('@stups/core/senza/stack-ref'),
  ]);
  const name = parseStackRefs([nameArg])[0]?.name ?? nameArg;
  const format = options.output;
  const render = (columns: string[], rows: TrafficRow[], color: boolean) =>
    core.renderTrafficTable(format, columns, rows, {
      width: format === 'text' ? terminalWidth(cli.host.stdout, cli.env) : undefined,
      headerStyle: format === 'text' && color ? (t) => `\u001b[30;47m${t}\u001b[0m` : undefined,
    });
  const { host } = cli;
  const table = (columns: string[], rows: TrafficRow[]) => host.print(render(columns, rows, host.stdoutColor));
  const rollout = options.steps !== undefined || options.status || options.resume || options.abort;
  if (rollout && percentage !== undefined) {
    throw new UsageError('PERCENTAGE and --steps/--status/--resume/--abort exclude each other', {
      code: 'senza.rollout-usage',
    });
  }
  const session = await openSession(await regionOf(options, cli), host);
  // The weights of a switch that failed go to stderr, labelled as not applied: never as the result.
  const stopRendering = host.render('senza.traffic-not-applied', (m, writeDefault) => {
    const data = m.data as { columns?: string[]; rows?: TrafficRow[] } | undefined;
    if (!data?.columns || !data.rows) return false;
    writeDefault();
    host.say(render(data.columns, data.rows, false));
    return true;
  });
  try {
    if (rollout) {
      const { runRollout } = await import('./traffic-rollout.js');
      return await runRollout(session, name, version, options, cli);
    }
    if (percentage === undefined) {
      const { columns, rows } = await core.trafficDistribution(session, name, version);
      table(columns, rows);
      return EXIT.OK;
    }
    if (version === undefined) throw new UsageError('Missing argument STACK_VERSION', { code: 'senza.traffic-usage' });
    const result = await core.switchTraffic(session, {
      name,
      version,
      percentage,
      timeoutSeconds: options.timeout,
      intervalSeconds: options.interval ?? 5,
      force: options.force,
      planOnly: options.plan,
      comment: `senza traffic ${name} ${version} ${percentage}`,
      signal: cli.signal,
      host,
    });
    // The table is what was applied (or, with --plan, what would be); with --plan -o json it goes out
    // once, inside the preview object.
    const planned = result.plan.domains.some((d) => !d.removed);
    if (planned && !(result.outcome === 'planned' && format === 'json')) table(result.columns, result.rows);
    if (result.outcome === 'planned') printChanges(cli, format, result.changes, result.rows, core.describeChange);
    return EXIT.OK;
  } finally {
    session.finish();
    stopRendering();
  }
};

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
  const { host } = cli;
  if (format === 'json') {
    // The preview replaces the rows list by one object: the rows and the exact Route53 changes.
    host.print(`${pythonJsonDumps({ rows, changes: preview }, { sortKeys: true })}\n`);
    return;
  }
  const lines = [
    `Route53 changes (plan only, nothing applied):${changes.length === 0 ? ' none' : ''}`,
    ...changes.map((c) => `  ${describeChange(c)}`),
  ];
  // With text output the changes are the result; with TSV or YAML the table is, and they are notes.
  if (format === 'text') host.print(`${lines.join('\n')}\n`);
  else
    host.notify({
      level: 'info',
      code: 'senza.traffic-plan-changes',
      text: lines.join('\n'),
      data: { changes: preview },
    });
}
