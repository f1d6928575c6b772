import { throttlingError } from '../aws-errors.js';
import type { Correction } from '../aws-proxy.js';

/** Fault switch: an armed throttle answers with the service's own throttling error, moto is not asked. */
export const throttling: Correction = {
  name: 'throttling',
  async handle(req, next, layer) {
    if (req.operation && layer.faults.takeThrottle(req.service, req.operation)) return throttlingError(req);
    return next(req);
  },
};
