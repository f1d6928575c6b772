import { awsError, throttlingError } from '../aws-errors.js';
import type { Correction } from '../correction.js';

/**
 * Fault switch: an armed throttle answers with the service's own throttling error, armed expired
 * credentials with `ExpiredToken` (what AWS answers once a session token expired); moto is not asked.
 */
export const throttling: Correction = {
  name: 'throttling',
  async handle(req, next, layer) {
    if (req.operation && layer.faults.takeExpiredCredentials()) {
      const code = req.protocol === 'json' ? 'ExpiredTokenException' : 'ExpiredToken';
      return awsError(req, 400, code, 'The security token included in the request is expired');
    }
    if (req.operation && layer.faults.takeThrottle(req.service, req.operation)) return throttlingError(req);
    return next(req);
  },
};
