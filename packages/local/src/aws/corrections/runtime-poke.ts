import type { Correction } from '../correction.js';

/** Requests after which the stacks' containers may have to change. */
const CHANGES: Record<string, readonly string[]> = {
  cloudformation: ['CreateStack', 'UpdateStack', 'DeleteStack'],
  autoscaling: ['SetDesiredCapacity', 'UpdateAutoScalingGroup', 'TerminateInstanceInAutoScalingGroup'],
};

/**
 * Not a divergence from AWS but its consequence: on AWS, instances start and stop when stacks and groups
 * change. After such a request (answered without error) the runtime is asked to reconcile at once
 * instead of at its next poll.
 */
export const runtimePoke: Correction = {
  name: 'runtime-poke',
  async handle(req, next, layer) {
    const answer = await next(req);
    if (answer.status < 300 && CHANGES[req.service]?.includes(req.operation)) layer.links.instances?.poke();
    return answer;
  },
};
