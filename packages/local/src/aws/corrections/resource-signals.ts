import { randomUUID } from 'node:crypto';
import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { type AwsResponse, awsError } from '../aws-errors.js';
import type { AwsRequest } from '../aws-request.js';
import { findStack, stackResources, stackTemplate } from '../cfn-lookups.js';
import type { Correction, Forward, LayerContext } from '../correction.js';
import { type AwaitedResource, durationSeconds, type SignalWait } from '../signal-waits.js';
import type { SyntheticEvent } from '../stack-event-log.js';
import { showStackStatuses } from '../stack-status-view.js';
import { at, child, childText, elements, setChildText } from '../xml.js';
import { readXml, writeXml } from '../xml-answer.js';

/** CloudFormation's default `ResourceSignal` values (aws-attribute-creationpolicy.html). */
const DEFAULT_COUNT = 1;
const DEFAULT_TIMEOUT = 'PT5M';
const STACK_TYPE = 'AWS::CloudFormation::Stack';

/**
 * CreationPolicy and SignalResource, as AWS runs them: moto completes a stack at once and has no
 * SignalResource. A resource with `CreationPolicy.ResourceSignal {Count, Timeout}` stays
 * `CREATE_IN_PROGRESS` ("Resource creation Initiated"), and its stack with it, until it received Count
 * SUCCESS signals (SignalResource, one per UniqueId); a FAILURE signal fails it at once, and so does the
 * Timeout ("Failed to receive N resource signal(s) within the specified duration"); the stack then rolls
 * back (its groups scaled to 0, its resources deleted: `ROLLBACK_COMPLETE`), or stays `CREATE_FAILED` with
 * rollback disabled. Only while the runtime runs: it is what signals, as Taupage does on an instance;
 * without it, nothing would ever signal, and stacks complete as moto completes them (docs/stups-local.md).
 */
export const resourceSignals: Correction = {
  name: 'resource-signals',
  async handle(req, next, layer) {
    if (req.service !== 'cloudformation') return next(req);
    switch (req.operation) {
      case 'CreateStack':
        return holdCreation(req, next, layer);
      case 'SignalResource':
        return signalResource(req, layer);
      case 'DeleteStack':
        cancelWait(req, layer);
        return next(req);
      case 'UpdateStack': {
        const wait = layer.signals.find(req.params.get('StackName') ?? '');
        if (wait?.state === 'waiting')
          return awsError(
            req,
            400,
            'ValidationError',
            `Stack:${wait.stackId} is in CREATE_IN_PROGRESS state and can not be updated.`,
          );
        return next(req);
      }
      default:
        if (layer.signals.size === 0) return next(req);
        return showWaits(req, next, layer);
    }
  },
};

async function holdCreation(req: AwsRequest, next: Forward, layer: LayerContext): Promise<AwsResponse> {
  const res = await next(req);
  if (res.status !== 200 || !layer.links.instances) return res;
  const stackId = childText(at(readXml(res), 'CreateStackResult'), 'StackId');
  // A creation the fault switch failed holds no resources to wait for.
  if (!stackId || layer.events.overrideOf(stackId)) return res;
  const operation = layer.events
    .of(stackId)
    .filter((o) => o.kind === 'CREATE')
    .pop();
  if (!operation) return res;
  const template = (await stackTemplate(layer.moto.cloudformation(req.region), stackId)) as
    | { Resources?: Record<string, { Type?: string; CreationPolicy?: { ResourceSignal?: Record<string, unknown> } }> }
    | undefined;
  const now = Date.now();
  const resources = new Map<string, AwaitedResource>();
  for (const [logicalId, r] of Object.entries(template?.Resources ?? {})) {
    const signal = r?.CreationPolicy?.ResourceSignal;
    if (!signal || typeof signal !== 'object') continue;
    const count = Number(signal.Count ?? DEFAULT_COUNT);
    if (!Number.isInteger(count) || count < 1) continue;
    const seconds = durationSeconds(String(signal.Timeout ?? DEFAULT_TIMEOUT)) ?? 300;
    const physicalId = operation.events.find((e) => e.logicalId === logicalId)?.physicalId ?? '';
    resources.set(logicalId, {
      logicalId,
      type: r.Type ?? '',
      physicalId,
      count,
      received: new Set(),
      deadline: now + layer.signals.timeoutMs(seconds),
    });
  }
  if (resources.size === 0) return res;
  // The resources that wait come last, "Resource creation Initiated"; the stack's final event waits too.
  const waiting = (e: SyntheticEvent) => resources.has(e.logicalId);
  operation.events = [
    ...operation.events.filter((e) => !waiting(e)),
    ...[...resources.values()].flatMap((r) => [
      { logicalId: r.logicalId, physicalId: r.physicalId, type: r.type, status: 'CREATE_IN_PROGRESS' },
      {
        logicalId: r.logicalId,
        physicalId: r.physicalId,
        type: r.type,
        status: 'CREATE_IN_PROGRESS',
        reason: 'Resource creation Initiated',
      },
    ]),
  ];
  operation.ending = [];
  const wait: SignalWait = {
    stackId,
    stackName: operation.stackName,
    region: req.region,
    operation,
    resources,
    noRollback: req.params.get('OnFailure') === 'DO_NOTHING' || req.params.get('DisableRollback') === 'true',
    state: 'waiting',
  };
  layer.signals.add(wait);
  const first = Math.min(...[...resources.values()].map((r) => r.deadline));
  wait.timer = setTimeout(() => void timedOut(wait, layer), Math.max(0, first - Date.now()));
  wait.timer.unref();
  return res;
}

function timedOut(wait: SignalWait, layer: LayerContext): Promise<void> {
  return layer.exclusive(async () => {
    if (wait.state !== 'waiting' || layer.signals.of(wait.stackId) !== wait) return;
    const now = Date.now();
    const reasons = new Map<string, string>();
    for (const r of wait.resources.values()) {
      if (r.received.size < r.count && r.deadline <= now)
        reasons.set(
          r.logicalId,
          `Failed to receive ${r.count - r.received.size} resource signal(s) within the specified duration`,
        );
    }
    if (reasons.size === 0) {
      const next = Math.min(
        ...[...wait.resources.values()].filter((r) => r.received.size < r.count).map((r) => r.deadline),
      );
      wait.timer = setTimeout(() => void timedOut(wait, layer), Math.max(0, next - now));
      wait.timer.unref();
      return;
    }
    await fail(wait, reasons, layer);
  });
}

/** The creation fails at `reasons`' resources; the others that still wait are cancelled; then the rollback. */
async function fail(wait: SignalWait, reasons: Map<string, string>, layer: LayerContext): Promise<void> {
  clearTimeout(wait.timer);
  const ending = wait.operation.ending ?? [];
  wait.operation.ending = ending;
  let now = Date.now();
  const ev = (logicalId: string, physicalId: string, type: string, status: string, reason?: string) =>
    ending.push({ logicalId, physicalId, type, status, reason, at: now++ });
  for (const r of wait.resources.values()) {
    if (r.received.size >= r.count) continue;
    r.failed = reasons.get(r.logicalId) ?? 'Resource creation cancelled';
    ev(r.logicalId, r.physicalId, r.type, 'CREATE_FAILED', r.failed);
  }
  const failed = [...reasons.keys()].join(', ');
  const stackReason =
    `The following resource(s) failed to create: [${failed}]. ${wait.noRollback ? '' : 'Rollback requested by user.'}`.trim();
  if (wait.noRollback) {
    wait.state = 'failed';
    ev(wait.stackName, wait.stackId, STACK_TYPE, 'CREATE_FAILED', stackReason);
    layer.events.override(wait.stackId, {
      status: 'CREATE_FAILED',
      reason: stackReason,
      placeholder: '',
      keepResources: true,
    });
    return;
  }
  layer.signals.remove(wait.stackId);
  ev(wait.stackName, wait.stackId, STACK_TYPE, 'ROLLBACK_IN_PROGRESS', stackReason);
  layer.events.override(wait.stackId, { status: 'ROLLBACK_IN_PROGRESS', reason: stackReason, placeholder: '' });
  // The rollback deletes the stack's resources: its groups' instances end (the runtime stops their
  // containers). moto keeps the other resources, hidden from the stack's resource lists from now on.
  const cfn = layer.moto.cloudformation(wait.region);
  const resources = await stackResources(cfn, wait.stackId);
  for (const r of resources) {
    if (r.ResourceType !== 'AWS::AutoScaling::AutoScalingGroup' || !r.PhysicalResourceId) continue;
    await layer.moto
      .autoscaling(wait.region)
      .send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: r.PhysicalResourceId,
          MinSize: 0,
          MaxSize: 0,
          DesiredCapacity: 0,
        }),
      )
      .catch(() => undefined);
  }
  layer.links.instances?.poke();
  now = Math.max(now, Date.now());
  for (const r of resources.slice().reverse()) {
    const logicalId = r.LogicalResourceId ?? '';
    const physicalId = wait.resources.get(logicalId)?.physicalId ?? r.PhysicalResourceId ?? '';
    if (!wait.resources.get(logicalId)?.failed?.startsWith('Resource creation cancelled'))
      ev(logicalId, physicalId, r.ResourceType ?? '', 'DELETE_IN_PROGRESS');
    ev(logicalId, physicalId, r.ResourceType ?? '', 'DELETE_COMPLETE');
  }
  ev(wait.stackName, wait.stackId, STACK_TYPE, 'ROLLBACK_COMPLETE');
  layer.events.override(wait.stackId, { status: 'ROLLBACK_COMPLETE', reason: stackReason, placeholder: '' });
}

async function signalResource(req: AwsRequest, layer: LayerContext): Promise<AwsResponse> {
  const name = req.params.get('StackName') ?? '';
  const logicalId = req.params.get('LogicalResourceId') ?? '';
  const uniqueId = req.params.get('UniqueId') ?? '';
  const status = req.params.get('Status') ?? '';
  if (!name || !logicalId || !uniqueId || !['SUCCESS', 'FAILURE'].includes(status))
    return awsError(
      req,
      400,
      'ValidationError',
      '1 validation error detected: StackName, LogicalResourceId, UniqueId and Status (SUCCESS or FAILURE) are required',
    );
  return layer.exclusive(async () => {
    const wait = layer.signals.find(name);
    const resource = wait?.resources.get(logicalId);
    if (wait?.state !== 'waiting' || !resource || resource.received.size >= resource.count) {
      const cfn = layer.moto.cloudformation(req.region);
      const stack = await findStack(cfn, wait?.stackId ?? name);
      if (!stack?.StackId || stack.StackStatus === 'DELETE_COMPLETE')
        return awsError(req, 400, 'ValidationError', `Stack with id ${name} does not exist`);
      const known =
        wait?.resources.has(logicalId) ||
        (await stackResources(cfn, stack.StackId)).some((r) => r.LogicalResourceId === logicalId);
      if (!known)
        return awsError(
          req,
          400,
          'ValidationError',
          `Resource ${logicalId} does not exist for stack ${stack.StackName}`,
        );
      const shown = layer.events.overrideOf(stack.StackId)?.status ?? stack.StackStatus;
      return awsError(
        req,
        400,
        'ValidationError',
        `Stack ${stack.StackId} is in ${shown} state and cannot be signaled`,
      );
    }
    const ending = wait.operation.ending ?? [];
    wait.operation.ending = ending;
    let now = Date.now();
    const ev = (logicalId: string, physicalId: string, type: string, status: string, reason?: string) =>
      ending.push({ logicalId, physicalId, type, status, reason, at: now++ });
    if (status === 'FAILURE') {
      ev(
        logicalId,
        resource.physicalId,
        resource.type,
        'CREATE_IN_PROGRESS',
        `Received FAILURE signal with UniqueId ${uniqueId}`,
      );
      const reason =
        resource.type === 'AWS::AutoScaling::AutoScalingGroup'
          ? `Received 1 FAILURE signal(s) out of ${resource.count}.  Unable to satisfy 100% MinSuccessfulInstancesPercent requirement`
          : `Received FAILURE signal with UniqueId ${uniqueId}`;
      await fail(wait, new Map([[logicalId, reason]]), layer);
      return signalAnswer();
    }
    if (resource.received.has(uniqueId)) return signalAnswer();
    resource.received.add(uniqueId);
    ev(
      logicalId,
      resource.physicalId,
      resource.type,
      'CREATE_IN_PROGRESS',
      `Received SUCCESS signal with UniqueId ${uniqueId}`,
    );
    if (resource.received.size < resource.count) return signalAnswer();
    ev(logicalId, resource.physicalId, resource.type, 'CREATE_COMPLETE');
    if ([...wait.resources.values()].every((r) => r.received.size >= r.count)) {
      ev(wait.stackName, wait.stackId, STACK_TYPE, 'CREATE_COMPLETE');
      layer.signals.remove(wait.stackId);
    }
    return signalAnswer();
  });
}

function signalAnswer(): AwsResponse {
  const body =
    '<SignalResourceResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ResponseMetadata>' +
    `<RequestId>${randomUUID()}</RequestId></ResponseMetadata></SignalResourceResponse>`;
  return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) };
}

/** DeleteStack while the creation waits: AWS cancels the creation ("Resource creation cancelled"), then deletes. */
function cancelWait(req: AwsRequest, layer: LayerContext): void {
  const wait = layer.signals.find(req.params.get('StackName') ?? '');
  if (!wait) return;
  layer.signals.remove(wait.stackId);
  if (wait.state !== 'waiting') return;
  const ending = wait.operation.ending ?? [];
  wait.operation.ending = ending;
  let now = Date.now();
  for (const r of wait.resources.values()) {
    if (r.received.size >= r.count) continue;
    ending.push({
      logicalId: r.logicalId,
      physicalId: r.physicalId,
      type: r.type,
      status: 'CREATE_FAILED',
      reason: 'Resource creation cancelled',
      at: now++,
    });
  }
}

/** The waiting (or failed, rollback disabled) stacks and resources in the answers that show their status. */
async function showWaits(req: AwsRequest, next: Forward, layer: LayerContext): Promise<AwsResponse> {
  const statuses = await showStackStatuses(req, next, (stackId) =>
    layer.signals.of(stackId)?.state === 'waiting' ? { status: 'CREATE_IN_PROGRESS' } : undefined,
  );
  if (statuses) return statuses;
  switch (req.operation) {
    case 'DescribeStackResource':
    case 'DescribeStackResources':
    case 'ListStackResources': {
      const res = await next(req);
      const root = readXml(res);
      const result = child(root, `${req.operation}Result`);
      const members =
        req.operation === 'DescribeStackResource'
          ? [child(result, 'StackResourceDetail')].filter((m) => m !== undefined)
          : elements(
              child(result, req.operation === 'ListStackResources' ? 'StackResourceSummaries' : 'StackResources'),
              'member',
            );
      const byName = layer.signals.find(req.params.get('StackName') ?? '');
      let changed = false;
      for (const m of members) {
        const wait = layer.signals.of(childText(m, 'StackId') ?? '') ?? byName;
        const r = wait?.resources.get(childText(m, 'LogicalResourceId') ?? '');
        if (!wait || !r || r.received.size >= r.count) continue;
        setChildText(m, 'ResourceStatus', r.failed ? 'CREATE_FAILED' : 'CREATE_IN_PROGRESS');
        if (r.failed) setChildText(m, 'ResourceStatusReason', r.failed);
        changed = true;
      }
      return root && changed ? writeXml(res, root) : res;
    }
    default:
      return next(req);
  }
}
