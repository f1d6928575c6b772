import { OperationError } from '@stups/core';
import type { Router, RouterOptions } from './runtime-contract.js';

/** The weighted local router (being built on branch rt-router; this placeholder is replaced there). */
export async function startRouter(_options: RouterOptions): Promise<Router> {
  throw new OperationError('The weighted router is not built yet', { code: 'local.router.missing' });
}
