import type { Correction } from '../correction.js';
import { at, elements } from '../xml.js';
import { readXml, writeXml } from '../xml-answer.js';

/** AWS's cap on a DescribeStackResources answer. */
export const DESCRIBE_STACK_RESOURCES_CAP = 100;

/**
 * CloudFormation DescribeStackResources answers at most 100 resources: "Only the first 100 resources
 * will be returned. If your stack has more resources than this, you should use ListStackResources
 * instead." (API_DescribeStackResources). moto returns them all, which hides a reader that does not page.
 */
export const stackResourcesCap: Correction = {
  name: 'stack-resources-cap',
  async handle(req, next) {
    if (req.service !== 'cloudformation' || req.operation !== 'DescribeStackResources') return next(req);
    const res = await next(req);
    const root = readXml(res);
    const list = at(root, 'DescribeStackResourcesResult', 'StackResources');
    if (!root || !list) return res;
    const members = elements(list, 'member');
    if (members.length <= DESCRIBE_STACK_RESOURCES_CAP) return res;
    const dropped = new Set(members.slice(DESCRIBE_STACK_RESOURCES_CAP));
    list.children = list.children.filter((c) => typeof c === 'string' || !dropped.has(c));
    return writeXml(res, root);
  },
};
