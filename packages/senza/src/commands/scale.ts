import { OperationError } from '@stups/core';

export async function run(): Promise<number> {
  throw new OperationError('not implemented yet');
}
