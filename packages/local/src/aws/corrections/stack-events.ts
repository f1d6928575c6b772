import type { StackResource } from '@aws-sdk/client-cloudformation';
import type { AwsResponse } from '../aws-errors.js';
import type { AwsRequest } from '../aws-request.js';
import { awsPhysicalId, findStack, stackResources, stackTemplate } from '../cfn-lookups.js';
import type { Correction, LayerContext } from '../correction.js';
import type { StackOperation, StackOperationKind, SyntheticEvent } from '../stack-event-log.js';
import { at, childText, elements, leaf, node, setChildText, type XmlElement } from '../xml.js';
import { readXml, writeXml } from '../xml-answer.js';

export const STACK_FAILURE_NOTE = 'stack-failure';
/** Set by an inner correction that failed an update itself and recorded its events (stack-record-sets). */
export const UPDATE_ROLLED_BACK_NOTE = 'update-rolled-back';

/**
 * moto writes only stack-level events. AWS writes, per resource, `CREATE_IN_PROGRESS` then
 * `CREATE_COMPLETE` (likewise `UPDATE_*`, `DELETE_*`) between the stack's own events. The layer watches
 * CreateStack, UpdateStack and DeleteStack, reads which resources the operation touched, and adds
 * their events to DescribeStackEvents answers, newest first as AWS lists them.
 */
export const stackEvents: Correction = {
  name: 'stack-events',
  async handle(req, next, layer) {
    if (req.service !== 'cloudformation') return next(req);
    switch (req.operation) {
      case 'CreateStack':
        return req.notes.has(STACK_FAILURE_NOTE) ? next(req) : observeCreate(req, next, layer);
      case 'UpdateStack':
        return observeUpdate(req, next, layer);
      case 'DeleteStack':
        return observeDelete(req, next, layer);
      case 'DescribeStackEvents':
        return addResourceEvents(await next(req), layer);
      default:
        return next(req);
    }
  },
};

function resourceEvents(resources: StackResource[], kind: StackOperationKind): SyntheticEvent[] {
  return resources.flatMap((r) => {
    const base = {
      logicalId: r.LogicalResourceId ?? '',
      physicalId: awsPhysicalId(r.ResourceType, r.PhysicalResourceId),
      type: r.ResourceType ?? '',
    };
    return [
      { ...base, status: `${kind}_IN_PROGRESS` },
      { ...base, status: `${kind}_COMPLETE` },
    ];
  });
}

async function observeCreate(req: AwsRequest, next: (r: AwsRequest) => Promise<AwsResponse>, layer: LayerContext) {
  const startedAt = Date.now();
  const res = await next(req);
  const stackId = childText(at(readXml(res), 'CreateStackResult'), 'StackId');
  if (!stackId) return res;
  const cfn = layer.moto.cloudformation(req.region);
  const resources = await stackResources(cfn, stackId);
  layer.events.record({
    stackId,
    stackName: req.params.get('StackName') ?? '',
    kind: 'CREATE',
    startedAt,
    endedAt: Date.now(),
    events: resourceEvents(resources, 'CREATE'),
  });
  return res;
}

async function observeUpdate(req: AwsRequest, next: (r: AwsRequest) => Promise<AwsResponse>, layer: LayerContext) {
  const cfn = layer.moto.cloudformation(req.region);
  const name = req.params.get('StackName') ?? '';
  const stack = await findStack(cfn, name);
  if (!stack?.StackId) return next(req);
  const before = await stackResources(cfn, stack.StackId);
  const templateBefore = await stackTemplate(cfn, stack.StackId);
  const startedAt = Date.now();
  const res = await next(req);
  if (res.status !== 200 || req.notes.has(UPDATE_ROLLED_BACK_NOTE)) return res;
  const after = await stackResources(cfn, stack.StackId);
  const templateAfter = await stackTemplate(cfn, stack.StackId);
  const old = new Map(before.map((r) => [r.LogicalResourceId, r]));
  const kept = new Set(after.map((r) => r.LogicalResourceId));
  const props = (t: typeof templateBefore, id: string | undefined) =>
    JSON.stringify(t?.Resources?.[id ?? '']?.Properties ?? null);
  const events: SyntheticEvent[] = [];
  for (const r of after) {
    const previous = old.get(r.LogicalResourceId);
    if (!previous) events.push(...resourceEvents([r], 'CREATE'));
    else if (
      previous.PhysicalResourceId !== r.PhysicalResourceId ||
      !templateBefore ||
      !templateAfter ||
      props(templateBefore, r.LogicalResourceId) !== props(templateAfter, r.LogicalResourceId)
    ) {
      events.push(...resourceEvents([r], 'UPDATE'));
    }
  }
  const removed = before.filter((r) => !kept.has(r.LogicalResourceId)).reverse();
  events.push(...resourceEvents(removed, 'DELETE'));
  layer.events.record({
    stackId: stack.StackId,
    stackName: stack.StackName ?? name,
    kind: 'UPDATE',
    startedAt,
    endedAt: Date.now(),
    events,
  });
  return res;
}

async function observeDelete(req: AwsRequest, next: (r: AwsRequest) => Promise<AwsResponse>, layer: LayerContext) {
  const cfn = layer.moto.cloudformation(req.region);
  const name = req.params.get('StackName') ?? '';
  const stack = await findStack(cfn, name);
  if (!stack?.StackId || stack.StackStatus === 'DELETE_COMPLETE') return next(req);
  const override = layer.events.overrideOf(stack.StackId);
  const resources = (await stackResources(cfn, stack.StackId))
    .filter((r) => r.LogicalResourceId !== override?.placeholder)
    .reverse();
  const startedAt = Date.now();
  const res = await next(req);
  if (res.status !== 200) return res;
  layer.events.record({
    stackId: stack.StackId,
    stackName: stack.StackName ?? name,
    kind: 'DELETE',
    startedAt,
    endedAt: Date.now(),
    events: resourceEvents(resources, 'DELETE'),
  });
  return res;
}

const FINAL: Record<StackOperationKind, string[]> = {
  CREATE: ['CREATE_COMPLETE', 'CREATE_FAILED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED'],
  UPDATE: [
    'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
    'UPDATE_COMPLETE',
    'UPDATE_FAILED',
    'UPDATE_ROLLBACK_IN_PROGRESS',
    'UPDATE_ROLLBACK_COMPLETE',
  ],
  DELETE: ['DELETE_COMPLETE', 'DELETE_FAILED'],
  // moto writes no event of such an update: all of them are the layer's.
  UPDATE_ROLLBACK: [],
};

interface EventRow {
  el: XmlElement;
  ts: number;
  stackId: string;
  logicalId: string;
  type: string;
  status: string;
  used?: boolean;
}

function addResourceEvents(res: AwsResponse, layer: LayerContext): AwsResponse {
  const root = readXml(res);
  const list = at(root, 'DescribeStackEventsResult', 'StackEvents');
  if (!root || !list) return res;
  const rows: EventRow[] = elements(list, 'member').map((el) => ({
    el,
    ts: Date.parse(childText(el, 'Timestamp') ?? '') || 0,
    stackId: childText(el, 'StackId') ?? '',
    logicalId: childText(el, 'LogicalResourceId') ?? '',
    type: childText(el, 'ResourceType') ?? '',
    status: childText(el, 'ResourceStatus') ?? '',
  }));
  const stackIds = [...new Set(rows.map((r) => r.stackId))];
  let changed = false;
  const removed = new Set<XmlElement>();
  for (const stackId of stackIds) {
    for (const op of layer.events.of(stackId)) {
      const own = (r: EventRow) =>
        r.stackId === stackId && r.type === 'AWS::CloudFormation::Stack' && r.logicalId === op.stackName && !r.used;
      const start = rows
        .filter((r) => own(r) && r.status === `${op.kind}_IN_PROGRESS`)
        .sort((a, b) => Math.abs(a.ts - op.startedAt) - Math.abs(b.ts - op.startedAt))[0];
      if (start) start.used = true;
      const base = start?.ts ?? op.startedAt;
      const final = rows
        .filter((r) => own(r) && r.ts >= base && FINAL[op.kind].includes(r.status))
        .sort((a, b) => a.ts - b.ts)[0];
      if (final) final.used = true;
      const added = [...op.events, ...(op.ending ?? [])];
      added.forEach((e, k) => {
        rows.push(syntheticRow(op, e, e.at ?? base + k + 1));
      });
      if (final && op.ending) removed.add(final.el);
      else if (final && final.ts <= base + added.length) {
        final.ts = base + added.length + 1;
        setChildText(final.el, 'Timestamp', new Date(final.ts).toISOString());
      }
      changed = changed || added.length > 0;
    }
  }
  if (!changed) return res;
  const ordered = rows
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => !removed.has(r.el))
    .sort((a, b) => b.r.ts - a.r.ts || b.i - a.i)
    .map(({ r }) => r.el);
  list.children = ordered;
  return writeXml(res, root);
}

function syntheticRow(op: StackOperation, e: SyntheticEvent, ts: number): EventRow {
  const time = new Date(ts).toISOString();
  const children = [
    leaf('StackId', op.stackId),
    leaf('EventId', `${e.logicalId}-${e.status}-${time}`),
    leaf('StackName', op.stackName),
    leaf('LogicalResourceId', e.logicalId),
    leaf('PhysicalResourceId', e.physicalId),
    leaf('ResourceType', e.type),
    leaf('Timestamp', time),
    leaf('ResourceStatus', e.status),
  ];
  if (e.reason) children.push(leaf('ResourceStatusReason', e.reason));
  return {
    el: node('member', children),
    ts,
    stackId: op.stackId,
    logicalId: e.logicalId,
    type: e.type,
    status: e.status,
    used: true,
  };
}
