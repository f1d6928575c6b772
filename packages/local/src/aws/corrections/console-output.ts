import type { Correction } from '../correction.js';
import { elements, setChildText } from '../xml.js';
import { readXml, writeXml } from '../xml-answer.js';

/**
 * EC2 GetConsoleOutput of an instance that the runtime runs as a container: the container's recent output
 * (base64, as AWS sends it) instead of moto's canned boot log. moto still answers first, so an unknown
 * instance gets its error and the answer keeps its shape.
 */
export const consoleOutput: Correction = {
  name: 'console-output',
  async handle(req, next, layer) {
    const source = layer.links.instances;
    if (req.service !== 'ec2' || req.operation !== 'GetConsoleOutput' || !source) return next(req);
    const id = req.params.get('InstanceId') ?? '';
    const [res, output] = await Promise.all([next(req), source.consoleOutput(id).catch(() => undefined)]);
    if (output === undefined) return res;
    const root = readXml(res);
    if (!root || !elements(root).some((e) => e.name === 'instanceId')) return res;
    setChildText(root, 'output', Buffer.from(output, 'utf8').toString('base64'));
    setChildText(root, 'timestamp', new Date().toISOString().replace(/\.\d+Z$/, '.000Z'));
    return writeXml(res, root);
  },
};
