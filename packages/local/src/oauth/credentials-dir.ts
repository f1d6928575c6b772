import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@stups/core';
import { LOCAL_SERVICE_USER } from './oauth-accounts.js';
import { LEGACY_CLIENT } from './oauth-clients.js';

/**
 * The stups-tokens layout in the platform's state (what Taupage's `/meta/credentials` held):
 * `client.json` of the legacy client and `user.json` of the service user of team `myteam`.
 */
export function writeCredentialsDir(stateDir: string): string {
  const dir = join(stateDir, 'oauth', 'credentials');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  writeFileAtomic(join(dir, 'client.json'), `${JSON.stringify(LEGACY_CLIENT)}\n`, 0o600);
  writeFileAtomic(
    join(dir, 'user.json'),
    `${JSON.stringify({ application_username: LOCAL_SERVICE_USER.uid, application_password: LOCAL_SERVICE_USER.password })}\n`,
    0o600,
  );
  return dir;
}
