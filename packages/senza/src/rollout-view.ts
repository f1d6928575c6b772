import type { RolloutEvent, RolloutRecord, VersionShare } from '@stups/core/senza/rollout';
import { evaluationTimes, formatCount, formatRate, parseRolloutSpec, stepBakeSeconds } from '@stups/core/senza/rollout';

/** `3m05s`, `42s`, `1h02m`. */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.ceil(total));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A version's 5xx as `3 (0.50 %)`. */
function errorsText(v: VersionShare): string {
  return v.requests > 0 ? `${formatCount(v.errors)} (${formatRate(v.errors / v.requests)})` : '0';
}

function shareText(v: VersionShare): string {
  return `${v.observed === undefined ? '–' : `${v.observed.toFixed(1)} %`} / ${v.intended.toFixed(1)} %`;
}

/** Cuts a line to the terminal's width, so that a redraw moves over exactly the lines it drew. */
function fit(line: string, width: number): string {
  const chars = [...line];
  return chars.length < width ? line : `${chars.slice(0, Math.max(1, width - 2)).join('')}…`;
}

/**
 * The live view of a rollout on a terminal: a block redrawn in place with the step n/N, the target's
 * share, the countdown of the bake and to the next evaluation, every version's requests, 5xx,
 * latency and observed against intended share in the last window, each gate's verdict with its
 * evidence, and the warnings of the step. Pure: the events and the clock in, lines out.
 */
export class RolloutView {
  private record?: RolloutRecord;
  private percentages: number[] = [];
  private bakeEndsMs = 0;
  private times: number[] = [];
  private stepStartMs = 0;
  private evaluation?: Extract<RolloutEvent, { type: 'evaluation' }>;
  private warnings: string[] = [];
  private outcome?: string;

  /** Starts (or, for --resume, picks up) the view on the rollout's record. */
  begin(record: RolloutRecord): void {
    this.setRecord(record);
  }

  apply(event: RolloutEvent): void {
    if (event.type === 'step') {
      this.setRecord(event.record);
      this.evaluation = undefined;
      this.warnings = [];
    } else if (event.type === 'evaluation') {
      this.evaluation = event;
    } else if (event.type === 'share-diverges') {
      this.warnings.push(
        `Warning: ${event.version} served ${event.observed} % where the weights give it ${event.intended} %, two evaluations in a row (DNS caching, pooled connections)`,
      );
    } else if (event.type === 'promoted') {
      this.outcome = `Promoted ${event.record.target}: 100 %`;
    } else if (event.type === 'rolled-back') {
      this.outcome = `Rolled back (${event.reason}): the weights from before the rollout are restored`;
    } else {
      this.outcome = `Paused (${event.reason})`;
    }
  }

  private setRecord(record: RolloutRecord): void {
    this.record = record;
    const spec = parseRolloutSpec(record.spec);
    this.percentages = spec.steps.map((s) => s.percentage);
    const bake = stepBakeSeconds(spec, record.step);
    this.stepStartMs = Date.parse(record.stepStartedAt);
    this.bakeEndsMs = this.stepStartMs + bake * 1000;
    this.times = evaluationTimes(bake, spec.intervalSeconds);
  }

  lines(nowMs: number, width: number): string[] {
    const r = this.record;
    if (!r) return [];
    const step = r.step;
    const pct = this.percentages[step];
    let clock: string;
    if (this.outcome) clock = this.outcome;
    else {
      const next = this.times.map((t) => this.stepStartMs + t * 1000).find((t) => t > nowMs);
      clock =
        nowMs < this.bakeEndsMs
          ? `bake ${formatSeconds((this.bakeEndsMs - nowMs) / 1000)} left${next !== undefined ? `, next evaluation in ${formatSeconds((next - nowMs) / 1000)}` : ''}`
          : 'evaluating';
    }
    const out = [`Rollout ${r.id} of ${r.target}: step ${step + 1}/${this.percentages.length}, ${pct} % — ${clock}`];
    const e = this.evaluation;
    if (!e) {
      out.push('  no evaluation of this step yet');
    } else {
      const rows = [
        ['version', 'served / intended', 'requests', '5xx', 'latency'],
        ...e.versions.map((v) => [
          `${v.version}${v.target ? ' (target)' : ''}`,
          shareText(v),
          formatCount(v.requests),
          errorsText(v),
          v.latencySeconds === undefined ? '–' : `${Math.round(v.latencySeconds * 1000)} ms`,
        ]),
      ];
      const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
      for (const row of rows) out.push(`  ${row.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd());
      out.push(`  window to ${e.at.slice(11, 19)}: ${e.evaluation.verdict}`);
      for (const g of e.evaluation.gates) out.push(`  ${g.gate}: ${g.verdict} — ${g.evidence}`);
    }
    out.push(...this.warnings.map((w) => `  ${w}`));
    return out.map((l) => fit(l, width));
  }
}
