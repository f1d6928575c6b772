import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Parameter, Stack, StackResource } from '@aws-sdk/client-cloudformation';
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { type AwsResponse, repairFailed } from '../aws-errors.js';
import type { AwsRequest } from '../aws-request.js';
import { findStack, parseTemplate, stackResources, stackTemplate } from '../cfn-lookups.js';
import type { Correction, LayerContext } from '../correction.js';
import { fqdn, listRecords, listZones, recordKey, restoreMissing } from '../route53-records.js';
import type { SyntheticEvent } from '../stack-event-log.js';
import { at, childText, elements, setChildText } from '../xml.js';
import { readXml, writeXml } from '../xml-answer.js';
import { changeRejection } from './route53-change-batch.js';
import { UPDATE_ROLLED_BACK_NOTE } from './stack-events.js';

type Template = NonNullable<ReturnType<typeof parseTemplate>>;
type TemplateResource = NonNullable<Template['Resources']>[string];

/**
 * CloudFormation changes a stack's `AWS::Route53::RecordSet` as AWS does: with the values it stored.
 *
 * - An update that changes or removes a RecordSet starts with a Route53 DELETE of the record as the
 *   stored template states it (senza#426; Route53 ChangeResourceRecordSets: "To delete a resource
 *   record set, you must specify all the same values that you specified when you created it"). When
 *   the live record differs (its weight was changed through the Route53 API) or is gone, Route53's
 *   `InvalidChangeBatch` text becomes the resource's `UPDATE_FAILED` reason and the stack rolls back to
 *   what it was (`UPDATE_ROLLBACK_COMPLETE`): the layer answers the UpdateStack as accepted, passes
 *   nothing to moto, and writes the events and status AWS shows.
 * - A stack delete sends the same DELETE; a mismatch is reported as success and the record stays
 *   (senza#184: "CF will show an event that the MainDomain record was removed successfully, but Route53
 *   will still show the record").
 * - moto instead deletes every record of the name (other versions' weighted records included) and
 *   recreates it, whatever the values. Around the forwarded DeleteStack and UpdateStack the layer
 *   snapshots the weighted records of the stack's names and afterwards creates again those that AWS
 *   keeps: other SetIdentifiers, and the stack's own records whose live values differ from the stored.
 */
export const stackRecordSets: Correction = {
  name: 'stack-record-sets',
  async handle(req, next, layer) {
    if (req.service !== 'cloudformation') return next(req);
    if (req.operation === 'DescribeStacks' || req.operation === 'ListStacks') {
      return layer.events.hasUpdateRollbacks ? showUpdateRollbacks(await next(req), layer) : next(req);
    }
    if (req.operation !== 'DeleteStack' && req.operation !== 'UpdateStack') return next(req);
    return layer.exclusive(async () => {
      const cfn = layer.moto.cloudformation(req.region);
      const stack = await findStack(cfn, req.params.get('StackName') ?? '');
      if (!stack?.StackId || stack.StackStatus === 'DELETE_COMPLETE') return next(req);
      const stackId = stack.StackId;
      const resources = (await stackResources(cfn, stackId)).filter(
        (r) => r.ResourceType === 'AWS::Route53::RecordSet' && r.PhysicalResourceId,
      );
      if (resources.length === 0) return pass(req, next, layer, stackId);
      const stored = (await stackTemplate(cfn, stackId)) ?? {};
      const route53 = layer.moto.route53();
      const snapshot = new Map<string, ResourceRecordSet[]>();
      const names = new Set(resources.map((r) => fqdn(r.PhysicalResourceId).toLowerCase()));
      for (const zone of await listZones(route53)) {
        const zoneId = (zone.Id ?? '').replace(/^\/hostedzone\//, '');
        const weighted = (await listRecords(route53, zoneId)).filter(
          (r) => r.SetIdentifier !== undefined && names.has(fqdn(r.Name).toLowerCase()),
        );
        if (weighted.length > 0) snapshot.set(zoneId, weighted);
      }
      const live = [...snapshot.values()].flat();
      const touched = req.operation === 'DeleteStack' ? resources : changedRecordSets(req, stack, stored, resources);
      const rejections = touched.flatMap((r) => {
        const rejection = storedDeleteRejection(stored.Resources?.[r.LogicalResourceId ?? ''], r, live);
        return rejection ? [{ resource: r, rejection }] : [];
      });
      if (req.operation === 'UpdateStack' && rejections.length > 0) {
        req.notes.add(UPDATE_ROLLED_BACK_NOTE);
        return failedUpdate(layer, stack, rejections);
      }
      // The records AWS keeps: the stack's own records whose DELETE was rejected (reported as success).
      const kept = new Set(rejections.map((x) => x.rejection.key));
      const own = new Set(
        resources.map((r) => ownSetIdentifier(stored.Resources?.[r.LogicalResourceId ?? ''])).filter(Boolean),
      );
      const res = await pass(req, next, layer, stackId);
      if (res.status !== 200) return res;
      try {
        for (const [zoneId, records] of snapshot) {
          await restoreMissing(
            route53,
            zoneId,
            records,
            (r) => own.has(r.SetIdentifier ?? '') && !kept.has(recordKey(r)),
          );
        }
      } catch (e) {
        return repairFailed(req, `${req.operation} of ${stack.StackName}`, e);
      }
      return res;
    });
  },
};

/** Forwards the request; an update or delete that gets through ends an earlier rolled-back update. */
async function pass(
  req: AwsRequest,
  next: (r: AwsRequest) => Promise<AwsResponse>,
  layer: LayerContext,
  stackId: string,
): Promise<AwsResponse> {
  const res = await next(req);
  if (res.status === 200) layer.events.clearUpdateRollback(stackId);
  return res;
}

function ownSetIdentifier(resource: TemplateResource | undefined): string {
  const id = (resource?.Properties as { SetIdentifier?: unknown } | undefined)?.SetIdentifier;
  return typeof id === 'string' ? id : '';
}

/**
 * The stack's RecordSets that the update changes or removes: its JSON differs from the stored one, or
 * it refers to a parameter whose value changes (moto's own rule for which resources an update modifies).
 */
function changedRecordSets(req: AwsRequest, stack: Stack, stored: Template, resources: StackResource[]) {
  const body =
    req.params.get('UsePreviousTemplate') === 'true' ? JSON.stringify(stored) : req.params.get('TemplateBody');
  // A TemplateURL the layer does not fetch: nothing to compare, moto's answer stands.
  if (!body) return [];
  const proposed = parseTemplate(body) ?? {};
  const before = new Map((stack.Parameters ?? []).map((p: Parameter) => [p.ParameterKey, p.ParameterValue]));
  const changedParams = new Set<string>();
  for (let n = 1; req.params.has(`Parameters.member.${n}.ParameterKey`); n++) {
    const key = req.params.get(`Parameters.member.${n}.ParameterKey`) ?? '';
    if (req.params.get(`Parameters.member.${n}.UsePreviousValue`) === 'true') continue;
    if (before.get(key) !== (req.params.get(`Parameters.member.${n}.ParameterValue`) ?? '')) changedParams.add(key);
  }
  return resources.filter((r) => {
    const id = r.LogicalResourceId ?? '';
    const old = stored.Resources?.[id];
    const now = proposed.Resources?.[id];
    if (!now || !isDeepStrictEqual(old, now)) return true;
    return refs(now).some((p) => changedParams.has(p));
  });
}

function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  if (typeof o.Ref === 'string') return [o.Ref];
  return Object.values(o).flatMap(refs);
}

/**
 * Route53's answer to CloudFormation's DELETE of the record with its stored values: undefined when it
 * matches the live record (name, type and set identifier from the resource; weight and TTL where the
 * template states them literally, the other values being what CloudFormation resolved and wrote).
 */
function storedDeleteRejection(
  resource: TemplateResource | undefined,
  r: StackResource,
  live: ResourceRecordSet[],
): { key: string; text: string } | undefined {
  const props = (resource?.Properties ?? {}) as Record<string, unknown>;
  const request: ResourceRecordSet = {
    Name: fqdn(r.PhysicalResourceId),
    Type: (typeof props.Type === 'string' ? props.Type : 'A') as ResourceRecordSet['Type'],
    SetIdentifier: typeof props.SetIdentifier === 'string' ? props.SetIdentifier : undefined,
  };
  const key = recordKey(request);
  // Only weighted records can differ: an unweighted one is the single record of its name (not snapshotted).
  if (request.SetIdentifier === undefined) return undefined;
  const found = live.find((x) => recordKey(x) === key);
  if (!found) return { key, text: changeRejection('delete', request, 'but it was not found') };
  const literal = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? Number(v) : undefined);
  const weight = literal(props.Weight);
  const ttl = literal(props.TTL);
  const differs = (weight !== undefined && weight !== found.Weight) || (ttl !== undefined && ttl !== found.TTL);
  return differs
    ? { key, text: changeRejection('delete', request, 'but the values provided do not match the current values') }
    : undefined;
}

/**
 * The update as AWS runs it when a RecordSet's DELETE is rejected: accepted, then UPDATE_FAILED at that
 * resource with Route53's text, then rolled back (nothing of it stays). moto never sees it.
 */
function failedUpdate(
  layer: LayerContext,
  stack: Stack,
  rejections: { resource: StackResource; rejection: { text: string } }[],
): AwsResponse {
  const stackId = stack.StackId ?? '';
  const stackName = stack.StackName ?? '';
  const now = Date.now();
  const ev = (
    logicalId: string,
    type: string,
    physicalId: string,
    status: string,
    reason?: string,
  ): SyntheticEvent => ({
    logicalId,
    type,
    physicalId,
    status,
    reason,
  });
  const self = (status: string, reason?: string) =>
    ev(stackName, 'AWS::CloudFormation::Stack', stackId, status, reason);
  const failed = rejections.map((x) => x.resource.LogicalResourceId ?? '');
  const resourceEvents = rejections.flatMap(({ resource, rejection }) => {
    const id = resource.LogicalResourceId ?? '';
    const physical = (resource.PhysicalResourceId ?? '').replace(/\.$/, '');
    return [
      ev(id, 'AWS::Route53::RecordSet', physical, 'UPDATE_IN_PROGRESS'),
      ev(
        id,
        'AWS::Route53::RecordSet',
        physical,
        'UPDATE_FAILED',
        `[${rejection.text}] (Service: AmazonRoute53; Status Code: 400; Error Code: InvalidChangeBatch)`,
      ),
    ];
  });
  layer.events.record({
    stackId,
    stackName,
    kind: 'UPDATE_ROLLBACK',
    startedAt: now,
    endedAt: now,
    events: [
      self('UPDATE_IN_PROGRESS', 'User Initiated'),
      ...resourceEvents,
      self('UPDATE_ROLLBACK_IN_PROGRESS', `The following resource(s) failed to update: [${failed.join(', ')}]. `),
      self('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'),
      self('UPDATE_ROLLBACK_COMPLETE'),
    ],
  });
  layer.events.updateRolledBack(stackId);
  const requestId = randomUUID();
  const body =
    '<?xml version="1.0" encoding="UTF-8"?><UpdateStackResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">' +
    `<UpdateStackResult><StackId>${stackId}</StackId></UpdateStackResult>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></UpdateStackResponse>`;
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: Buffer.from(body),
  };
}

/** Stacks whose last update rolled back show `UPDATE_ROLLBACK_COMPLETE` (moto never saw the update). */
function showUpdateRollbacks(res: AwsResponse, layer: LayerContext): AwsResponse {
  const root = readXml(res);
  const list = at(root, 'DescribeStacksResult', 'Stacks') ?? at(root, 'ListStacksResult', 'StackSummaries');
  if (!root || !list) return res;
  let changed = false;
  for (const m of elements(list, 'member')) {
    const status = childText(m, 'StackStatus') ?? '';
    if (!layer.events.isUpdateRolledBack(childText(m, 'StackId') ?? '')) continue;
    if (status !== 'CREATE_COMPLETE' && status !== 'UPDATE_COMPLETE') continue;
    setChildText(m, 'StackStatus', 'UPDATE_ROLLBACK_COMPLETE');
    changed = true;
  }
  return changed ? writeXml(res, root) : res;
}
