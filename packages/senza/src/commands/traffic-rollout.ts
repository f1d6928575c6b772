import { randomUUID } from 'node:crypto';
import type { CliContext } from '@stups/cli-kit';
import { terminalWidth } from '@stups/cli-kit/terminal-width';
import { EXIT, InterruptedError, type MessageCode, pythonJsonDumps, UsageError } from '@stups/core';
import type { AwsSession } from '@stups/core/aws';
import type { RolloutEvent, RolloutRecord, RolloutResult } from '@stups/core/senza/rollout';
// This module is itself loaded on demand (traffic.ts), so the rollout engine is imported statically.
import * as core from '@stups/core/senza/rollout';
import { RolloutView } from '../rollout-view.js';
import type { TrafficRun } from './specs/traffic.js';

/** The events the rollout prints, each with its registered code `senza.rollout-<event>` (checked by the compiler). */
type RolloutEventName =
  | 'evaluation'
  | 'share-diverges'
  | 'step'
  | 'promoted'
  | 'rolled-back'
  | 'paused'
  | 'aborted'
  | 'started';

type Options = Parameters<TrafficRun>[1];

/** Sleeps, ended early (rejected) by the signal. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      },
      { once: true },
    );
  });
}

/** `senza traffic NAME VERSION --steps …`, `--plan`, and `senza traffic NAME --status|--resume|--abort`. */
export async function runRollout(
  session: AwsSession,
  name: string,
  version: string | undefined,
  options: Options,
  cli: CliContext,
): Promise<number> {
  const json = options.output === 'json';
  const { host } = cli;
  // On a terminal (text, not CI) a block redrawn in place; elsewhere one line per event.
  const live = host.live && host.logFormat === 'text' && !json;
  const view = new RolloutView();
  const width = () => terminalWidth(host.stderr, cli.env);
  const redraw = () => host.redraw(view.lines(Date.now(), width()));
  const out = (
    event: RolloutEventName,
    text: string,
    data: Record<string, unknown>,
    level: 'info' | 'warn' = 'info',
  ) => {
    const code: MessageCode = `senza.rollout-${event}`;
    if (json) host.print(`${JSON.stringify({ event, code, ...data })}\n`);
    else host.notify({ level, code, text, data });
  };
  const emit = (e: RolloutEvent) => {
    if (live) {
      view.apply(e);
      redraw();
      // The outcome stays below the block as a line of its own.
      if (e.type === 'promoted' || e.type === 'rolled-back' || e.type === 'paused') emitLine(e);
      return;
    }
    emitLine(e);
  };
  const emitLine = (e: RolloutEvent) => {
    if (e.type === 'evaluation') {
      const evidence = e.evaluation.gates.map((g) => g.evidence).join('; ');
      const shares = e.versions
        .map((v) => `${v.version} ${v.observed === undefined ? '–' : `${v.observed} %`} of ${v.intended} %`)
        .join(', ');
      const share = shares ? ` (served: ${shares})` : '';
      out('evaluation', `Step ${e.step + 1} at ${e.at}: ${e.evaluation.verdict}${share} — ${evidence}`, {
        step: e.step,
        at: e.at,
        madeAt: e.madeAt,
        verdict: e.evaluation.verdict,
        gates: e.evaluation.gates,
        share: e.share,
        versions: e.versions,
        bakeEndsAt: e.bakeEndsAt,
      });
    } else if (e.type === 'share-diverges') {
      out(
        'share-diverges',
        `${e.version} served ${e.observed} % of the requests where the weights give it ${e.intended} %, for two evaluations: DNS caching or pooled connections keep clients on the versions they had`,
        {
          step: e.step,
          identifier: e.identifier,
          version: e.version,
          target: e.target,
          intended: e.intended,
          observed: e.observed,
        },
        'warn',
      );
    } else if (e.type === 'step') {
      out('step', `Step ${e.step + 1}: ${e.percentage} % to ${e.record.version}`, {
        step: e.step,
        percentage: e.percentage,
      });
    } else if (e.type === 'promoted') {
      out('promoted', `Promoted ${e.record.target}: 100 %`, { id: e.record.id, target: e.record.target });
    } else if (e.type === 'rolled-back') {
      out(
        'rolled-back',
        `Rolled back (${e.reason}): the weights from before the rollout are restored`,
        { id: e.record.id, reason: e.reason, decidedAt: e.decidedAt, restoredAt: e.restoredAt },
        'warn',
      );
    } else {
      out(
        'paused',
        `Paused (${e.reason}): continue with senza traffic ${e.record.name} --resume, or end it with --abort`,
        { id: e.record.id, reason: e.reason },
        'warn',
      );
    }
  };
  const modes = [options.status, options.resume, options.abort, options.steps !== undefined].filter(Boolean).length;
  if (modes > 1) {
    throw new UsageError('--steps, --status, --resume and --abort exclude each other', { code: 'senza.rollout-usage' });
  }
  if ((options.status || options.resume || options.abort) && version !== undefined) {
    throw new UsageError('--status, --resume and --abort take only STACK_NAME', { code: 'senza.rollout-usage' });
  }
  const domainsOf = () => core.rolloutDomains(session, name);
  const drive = async (domains: string[], record?: RolloutRecord): Promise<number> => {
    let ticker: NodeJS.Timeout | undefined;
    if (live && record) {
      view.begin(record);
      redraw();
      // The countdown: a redraw every second while the rollout bakes.
      ticker = setInterval(redraw, 1000);
      ticker.unref();
    }
    let result: RolloutResult;
    try {
      result = await core.driveRollout({
        session,
        domains,
        observe: core.awsObserver(session),
        now: () => Date.now(),
        sleep,
        emit,
        signal: cli.signal,
      });
    } finally {
      if (ticker) clearInterval(ticker);
    }
    if (result.outcome === 'interrupted') {
      throw new InterruptedError('Interrupted: the rollout stays where it is.', {
        hint: `Continue it with: senza traffic ${result.record.name} --resume (or end it with --abort)`,
      });
    }
    return result.exitCode;
  };

  if (options.status) {
    const state = await core.readRolloutState(session, await domainsOf());
    const record = core.currentRecord(state);
    if (json) cli.host.print(`${pythonJsonDumps(record ?? null)}\n`);
    else cli.host.print(`${record ? statusText(record) : `No rollout is running on ${state.domains.join(', ')}`}\n`);
    return EXIT.OK;
  }
  if (options.abort) {
    const record = await core.finishRollout(
      session,
      await core.readRolloutState(session, await domainsOf()),
      'revert',
      {
        force: true,
      },
    );
    out('aborted', `Aborted the rollout of ${record.target}: the weights from before it are back`, { id: record.id });
    return EXIT.OK;
  }
  if (options.resume) {
    const domains = await domainsOf();
    const state = await core.readRolloutState(session, domains);
    let current = core.currentRecord(state);
    if (current?.status === 'paused') current = await core.resumeRollout({ session, domains, now: () => Date.now() });
    return drive(domains, current);
  }
  if (version === undefined) throw new UsageError('Missing argument STACK_VERSION', { code: 'senza.traffic-usage' });
  const specInput = {
    steps: options.steps as string,
    bake: options.bake,
    finalBake: options.finalBake,
    gates: options.gate,
    minRequests: options.minRequests,
    interval: options.interval === undefined ? undefined : `${options.interval}s`,
    failureLimit: options.failureLimit,
    onInconclusive: options.onInconclusive,
  };
  const spec = core.parseRolloutSpec(specInput);
  if (options.plan) {
    const plan = await core.planStackRollout(session, name, version, specInput);
    if (json) cli.host.print(`${JSON.stringify(plan, null, 2)}\n`);
    else cli.host.print(`${planText(plan)}\n`);
    return EXIT.OK;
  }
  const record = await core.startStackRollout(session, {
    name,
    version,
    spec: specInput,
    id: randomUUID().slice(0, 8),
    now: new Date().toISOString(),
  });
  if (!live) {
    out('started', `Rollout ${record.id} of ${record.target}: step 1, ${spec.steps[0].percentage} %`, {
      id: record.id,
      target: record.target,
      percentage: spec.steps[0].percentage,
    });
  }
  return drive(
    record.start.map((d) => d.domain),
    record,
  );
}

function statusText(r: RolloutRecord): string {
  const steps = r.spec.steps.split(',');
  const lines = [
    `Rollout ${r.id} of ${r.target}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`,
    `  step ${r.step + 1} of ${steps.length} (${steps[r.step]} %), since ${r.stepStartedAt}`,
    `  gates: ${r.spec.gates.join(', ')}; bake ${r.spec.bake}, final bake ${r.spec.finalBake}, every ${r.spec.interval}, min requests ${r.spec.minRequests}`,
    `  weights before the rollout: ${r.start.map((d) => `${d.domain} ${d.weights.map((w) => `${w.identifier}=${w.weight}`).join(' ')}`).join('; ')}`,
    ...r.history.map((h) => `  ${h.at} step ${h.step + 1}: ${h.verdict}${h.gates ? ` (${h.gates.join(', ')})` : ''}`),
  ];
  return lines.join('\n');
}

function planText(plan: ReturnType<typeof import('@stups/core/senza/rollout').planRollout>): string {
  const weights = (ds: (typeof plan)['revert']) =>
    ds.map((d) => `${d.domain} ${d.weights.map((w) => `${w.identifier}=${w.weight}`).join(' ')}`).join('; ');
  return [
    `Rollout of ${plan.target} (plan only, nothing applied): ${plan.minSeconds}s at least, ${plan.maxSeconds}s at most`,
    ...plan.steps.map((s, i) => `  step ${i + 1}: ${s.percentage} %, bake ${s.bakeSeconds}s: ${weights(s.domains)}`),
    `  revert: ${weights(plan.revert)}`,
    `  gates: ${plan.gates.join(', ')}`,
    ...plan.queries.map(
      (q) =>
        `  metric ${q.MetricStat?.Metric?.Namespace} ${q.MetricStat?.Metric?.MetricName} ${q.MetricStat?.Stat} ${q.MetricStat?.Metric?.Dimensions?.map((d) => `${d.Name}=${d.Value}`).join(',')}`,
    ),
    ...plan.alarms.map((a) => `  alarm ${a}`),
  ].join('\n');
}
