import { withParams } from '../aws-request.js';
import { parseTemplate } from '../cfn-lookups.js';
import type { Correction } from '../correction.js';
import type { SyntheticEvent } from '../stack-event-log.js';
import { showStackStatuses } from '../stack-status-view.js';
import { at, child, childText, elements } from '../xml.js';
import { readXml, writeXml } from '../xml-answer.js';
import { STACK_FAILURE_NOTE } from './stack-events.js';

const PLACEHOLDER = 'StupsLocalFailedCreation';

/**
 * Fault switch: a stack creation that fails at a named resource, as AWS reports it. moto creates a
 * stack that holds only a placeholder resource (so nothing of the real template exists, as after a
 * rollback); the layer then shows the stack as `ROLLBACK_COMPLETE` (or `CREATE_FAILED` with
 * `OnFailure=DO_NOTHING` / `DisableRollback=true`), with the resource events AWS writes: the
 * resources before the failing one created, the failing one `CREATE_FAILED` with the given reason,
 * then the rollback.
 */
export const stackFailure: Correction = {
  name: 'stack-failure',
  async handle(req, next, layer) {
    if (req.service !== 'cloudformation') return next(req);
    if (req.operation === 'CreateStack') {
      const stackName = req.params.get('StackName') ?? '';
      const fault = layer.faults.takeStackFailure(stackName);
      if (!fault) return next(req);
      const template = parseTemplate(req.params.get('TemplateBody') ?? '');
      const resources = Object.entries(template?.Resources ?? {}).map(([id, r]) => ({
        logicalId: id,
        type: r?.Type ?? '',
      }));
      const failedIndex = resources.findIndex((r) => r.logicalId === fault.logicalId);
      const failed = failedIndex >= 0 ? resources[failedIndex] : { logicalId: fault.logicalId, type: '' };
      const created = failedIndex >= 0 ? resources.slice(0, failedIndex) : [];
      const params = new URLSearchParams(req.params);
      params.delete('TemplateURL');
      params.set(
        'TemplateBody',
        JSON.stringify({
          Parameters: (template as { Parameters?: unknown } | undefined)?.Parameters ?? {},
          Resources: { [PLACEHOLDER]: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
        }),
      );
      const forwarded = withParams(req, params);
      forwarded.notes.add(STACK_FAILURE_NOTE);
      const startedAt = Date.now();
      const res = await next(forwarded);
      const stackId = childText(at(readXml(res), 'CreateStackResult'), 'StackId');
      if (!stackId) return res;

      const reason = fault.reason ?? 'Resource creation failed (stups-local fault switch)';
      const noRollback = req.params.get('OnFailure') === 'DO_NOTHING' || req.params.get('DisableRollback') === 'true';
      const stackReason =
        `The following resource(s) failed to create: [${failed.logicalId}]. ${noRollback ? '' : 'Rollback requested by user.'}`.trim();
      const ev = (r: { logicalId: string; type: string }, status: string, why?: string): SyntheticEvent => ({
        logicalId: r.logicalId,
        physicalId: '',
        type: r.type,
        status,
        reason: why,
      });
      const stack = { logicalId: stackName, type: 'AWS::CloudFormation::Stack' };
      const events = [
        ...created.flatMap((r) => [ev(r, 'CREATE_IN_PROGRESS'), ev(r, 'CREATE_COMPLETE')]),
        ev(failed, 'CREATE_IN_PROGRESS'),
        ev(failed, 'CREATE_FAILED', reason),
      ];
      const ending = noRollback
        ? [{ ...ev(stack, 'CREATE_FAILED', stackReason), physicalId: stackId }]
        : [
            { ...ev(stack, 'ROLLBACK_IN_PROGRESS', stackReason), physicalId: stackId },
            ...created
              .slice()
              .reverse()
              .flatMap((r) => [ev(r, 'DELETE_IN_PROGRESS'), ev(r, 'DELETE_COMPLETE')]),
            ev(failed, 'DELETE_COMPLETE'),
            { ...ev(stack, 'ROLLBACK_COMPLETE'), physicalId: stackId },
          ];
      layer.events.record({ stackId, stackName, kind: 'CREATE', startedAt, endedAt: Date.now(), events, ending });
      layer.events.override(stackId, {
        status: noRollback ? 'CREATE_FAILED' : 'ROLLBACK_COMPLETE',
        reason: stackReason,
        placeholder: PLACEHOLDER,
      });
      return res;
    }
    if (!layer.events.hasOverrides) return next(req);

    const statuses = await showStackStatuses(req, next, (stackId) => layer.events.overrideOf(stackId));
    if (statuses) return statuses;
    switch (req.operation) {
      case 'DescribeStackResources':
      case 'ListStackResources': {
        const res = await next(req);
        const kept = (stackId: string) => {
          const override = layer.events.overrideOf(stackId);
          return !override || override.keepResources === true;
        };
        const root = readXml(res);
        const result = child(root, `${req.operation}Result`);
        const list = child(
          result,
          req.operation === 'ListStackResources' ? 'StackResourceSummaries' : 'StackResources',
        );
        if (!root || !list) return res;
        const before = list.children.length;
        // A rolled-back stack has no resources left; moto holds the placeholder.
        list.children = elements(list, 'member').filter(
          (m) => childText(m, 'LogicalResourceId') !== PLACEHOLDER && kept(childText(m, 'StackId') ?? ''),
        );
        return list.children.length === before ? res : writeXml(res, root);
      }
      default:
        return next(req);
    }
  },
};
