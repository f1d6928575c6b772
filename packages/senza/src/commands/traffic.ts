import { type Message, type OutputFormat, pythonJsonDumps, UsageError, useColor } from '@stups/core';
import type { RecordChange, TrafficPlan, TrafficRow } from '@stups/core/senza';
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

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const [nameArg, version, percentageArg] = args as [string, string | undefined, string | undefined];
  const percentage = percentageArg === undefined ? undefined : parsePercentage(percentageArg);
  const [core, { parseStackRefs }] = await Promise.all([
    import('@stups/core/senza/traffic'),
    import('@stups/core/senza/stacks/stack-ref'),
  ]);
  const name = parseStackRefs([nameArg])[0]?.name ?? nameArg;
  const format = (options.output as OutputFormat | undefined) ?? 'text';
  const host = stderrHost(cli);
  const session = await openSession(await regionOf(options, cli), host);
  const say = (m: Message) => host.notify(m);
  const table = (columns: string[], rows: TrafficRow[]) =>
    cli.stdout.write(
      core.renderTrafficTable(format, columns, rows, {
        headerStyle:
          format === 'text' && useColor(cli.stdout, cli.env) ? (t) => `\u001b[30;47m${t}\u001b[0m` : undefined,
      }),
    );
  try {
    if (percentage === undefined) {
      const { columns, rows } = await core.trafficDistribution(session, name, version);
      table(columns, rows);
      return 0;
    }
    if (version === undefined) throw new UsageError('Missing argument STACK_VERSION', { code: 'senza.traffic-usage' });

    const { state, plan, columns, rows, changes } = await core.prepareTrafficChange(session, {
      name,
      version,
      percentage,
      timeoutSeconds: options.timeout === undefined ? undefined : Number(options.timeout),
      intervalSeconds: Number(options.interval ?? 5),
      host,
    });
    const removed = plan.domains.filter((d) => d.removed);
    if (removed.length > 0) cli.stderr.write(`${core.removedMessage(removed.map((d) => d.domain))}\n`);
    if (removed.length < plan.domains.length) {
      cli.stderr.write('Calculating new weights..');
      for (const d of plan.domains) if (d.warning) cli.stderr.write(`${d.warning}\n`);
      cli.stderr.write(' OK\n');
      // With --plan -o json the table goes out once, inside the preview object.
      if (!(options.plan && format === 'json')) table(columns, rows);
    }

    if (options.plan) {
      await previewRefusals(core, session, plan, state, Boolean(options.force), say);
      printChanges(cli, format, changes, rows, core.describeChange);
      return 0;
    }
    for (const note of await core.checkTrafficChange(session, plan, state, { force: Boolean(options.force) }))
      say(note);
    cli.stderr.write(`Setting weights for ${plan.domains.map((d) => d.domain).join(', ')}..`);
    if (changes.length === 0) {
      cli.stderr.write(' not changed\n');
      return 0;
    }
    try {
      await core.applyTrafficChanges(session, changes, `senza traffic ${name} ${version} ${percentage}`);
    } catch (e) {
      cli.stderr.write(' FAILED\n');
      throw e;
    }
    cli.stderr.write(' OK\n');
    for (const w of await core.publishTrafficChange(session, state.family, rows)) say(w);
    return 0;
  } finally {
    session.finish();
  }
}

/** In a preview a refusal is told, not raised: the preview itself succeeded. */
async function previewRefusals(
  core: typeof import('@stups/core/senza/traffic'),
  session: Parameters<typeof core.checkTrafficChange>[0],
  plan: TrafficPlan,
  state: Parameters<typeof core.checkTrafficChange>[2],
  force: boolean,
  say: (m: Message) => void,
): Promise<void> {
  try {
    for (const note of await core.checkTrafficChange(session, plan, state, { force })) say(note);
  } catch (e) {
    const err = e as Error & { hint?: string };
    say({
      level: 'warn',
      code: 'senza.traffic-would-refuse',
      text: `Would be refused: ${err.message}${err.hint ? ` (${err.hint})` : ''}`,
    });
  }
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
