import { OperationError } from '@stups/core';

/**
 * `stups-local up` exports STUPS_LOCAL_EVEN=off when it runs without even (no OpenSSH on the machine):
 * then there is no even to ask, and piu says so and how to get one, instead of asking for a URL.
 */
export function assertLocalEvenOn(env: NodeJS.ProcessEnv, evenUrlGiven: boolean): void {
  if (evenUrlGiven || env.STUPS_LOCAL_EVEN !== 'off') return;
  throw new OperationError('The local platform (stups-local) runs without even: OpenSSH is not installed there', {
    code: 'piu.local-even-off',
    hint: 'Install it (apt-get install openssh-server openssh-client), then restart the platform: stups-local down; eval "$(stups-local up)". `stups-local status` shows what is off.',
  });
}
