import type { AwsResponse } from './aws-errors.js';
import { type AwsRequest, memberList, withParams } from './aws-request.js';
import type { Forward } from './correction.js';
import { at, childText, elements, setChildText, type XmlElement } from './xml.js';
import { readXml, writeXml } from './xml-answer.js';

/** The status a stack that moto calls CREATE_COMPLETE shows instead, with its reason (none: no reason shown). */
export interface ShownStatus {
  status: string;
  reason?: string;
}

function show(m: XmlElement, shown: ShownStatus): void {
  setChildText(m, 'StackStatus', shown.status);
  if (shown.reason !== undefined) setChildText(m, 'StackStatusReason', shown.reason);
  else m.children = m.children.filter((c) => typeof c === 'string' || c.name !== 'StackStatusReason');
}

/**
 * DescribeStacks and ListStacks as CloudFormation answers them for stacks that moto has completed at once
 * but that are still being created (a CreationPolicy waiting for signals) or that failed (a fault): each
 * such stack shows `shownOf(stackId)` instead of CREATE_COMPLETE, without outputs (AWS shows a stack's
 * outputs once it is complete), and ListStacks's StackStatusFilter applies to the status shown (moto
 * would filter by its own). Undefined for the other operations.
 */
export async function showStackStatuses(
  req: AwsRequest,
  next: Forward,
  shownOf: (stackId: string) => ShownStatus | undefined,
): Promise<AwsResponse | undefined> {
  const shownFor = (m: XmlElement) =>
    childText(m, 'StackStatus') === 'CREATE_COMPLETE' ? shownOf(childText(m, 'StackId') ?? '') : undefined;
  if (req.operation === 'DescribeStacks') {
    const res = await next(req);
    const root = readXml(res);
    let changed = false;
    for (const m of elements(at(root, 'DescribeStacksResult', 'Stacks'), 'member')) {
      const shown = shownFor(m);
      if (!shown) continue;
      show(m, shown);
      m.children = m.children.filter((c) => typeof c === 'string' || c.name !== 'Outputs');
      changed = true;
    }
    return root && changed ? writeXml(res, root) : res;
  }
  if (req.operation === 'ListStacks') {
    const wanted = memberList(req.params, 'StackStatusFilter');
    const params = new URLSearchParams([...req.params].filter(([k]) => !k.startsWith('StackStatusFilter.')));
    const res = await next(withParams(req, params));
    const root = readXml(res);
    const list = at(root, 'ListStacksResult', 'StackSummaries');
    if (!root || !list) return res;
    for (const m of elements(list, 'member')) {
      const shown = shownFor(m);
      if (shown) show(m, shown);
    }
    if (wanted.length > 0)
      list.children = elements(list, 'member').filter((m) => wanted.includes(childText(m, 'StackStatus') ?? ''));
    return writeXml(res, root);
  }
  return undefined;
}
