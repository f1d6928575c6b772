import type { CliContext, OutputFormat } from '@stups/cli-kit';
import { EXIT, type Message, pythonJsonDumps, UsageError, withSpan } from '@stups/core';
import type { RecordChange, TrafficPlan, TrafficRow } from '@stups/core/senza';
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
    import('@stups/core/senza/stacks/stack-ref'),
  ]);
  const name = parseStackRefs([nameArg])[0]?.name ?? nameArg;
  const format = options.output;
  const { host } = cli;
  const session = await openSession(await regionOf(options, cli), host);
  const say = (m: Message) => host.notify(m);
  const table = (columns: string[], rows: TrafficRow[]) =>
    host.print(
      core.renderTrafficTable(format, columns, rows, {
        headerStyle: format === 'text' && host.stdoutColor ? (t) => `\u001b[30;47m${t}\u001b[0m` : undefined,
      }),
    );
  try {
    if (percentage === undefined) {
      const { columns, rows } = await core.trafficDistribution(session, name, version);
      table(columns, rows);
      return EXIT.OK;
    }
    if (version === undefined) throw new UsageError('Missing argument STACK_VERSION', { code: 'senza.traffic-usage' });

    const { state, plan, columns, rows, changes } = await core.prepareTrafficChange(session, {
      name,
      version,
      percentage,
      timeoutSeconds: options.timeout,
      intervalSeconds: options.interval,
      host,
    });
    const removed = plan.domains.filter((d) => d.removed);
    if (removed.length > 0)
      say({
        level: 'info',
        code: 'senza.traffic.domains-removed',
        text: core.removedMessage(removed.map((d) => d.domain)),
        data: { domains: removed.map((d) => d.domain) },
      });
    if (removed.length < plan.domains.length) {
      await withSpan(host, { code: 'senza.traffic.calculate', text: 'Calculating new weights..' }, async () => {
        for (const d of plan.domains)
          if (d.warning)
            say({ level: 'info', code: 'senza.traffic.weight-note', text: d.warning, data: { domain: d.domain } });
      });
      // With --plan -o json the table goes out once, inside the preview object.
      if (!(options.plan && format === 'json')) table(columns, rows);
    }

    if (options.plan) {
      await previewRefusals(core, session, plan, state, options.force, say);
      printChanges(cli, format, changes, rows, core.describeChange);
      return EXIT.OK;
    }
    for (const note of await core.checkTrafficChange(session, plan, state, { force: options.force })) say(note);
    const domains = plan.domains.map((d) => d.domain);
    await withSpan(
      host,
      { code: 'senza.traffic.set-weights', text: `Setting weights for ${domains.join(', ')}..`, data: { domains } },
      async (span) => {
        if (changes.length === 0) span.skip('not changed');
        else await core.applyTrafficChanges(session, changes, `senza traffic ${name} ${version} ${percentage}`);
      },
    );
    if (changes.length === 0) return EXIT.OK;
    for (const w of await core.publishTrafficChange(session, state.family, rows)) say(w);
    return EXIT.OK;
  } finally {
    session.finish();
  }
};

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
      code: 'senza.traffic.plan-changes',
      text: lines.join('\n'),
      data: { changes: preview },
    });
}
