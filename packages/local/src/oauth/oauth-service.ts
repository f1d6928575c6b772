import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformService } from '../contract/platform-service.js';
import { writeCredentialsDir } from './credentials-dir.js';
import { ZIGN_CLIENT_ID } from './oauth-clients.js';
import type { OAuthProvider } from './oauth-provider.js';

/** `STUPS_LOCAL_TOKEN_SECONDS`: the lifetime of access tokens the local provider issues. */
export const TOKEN_SECONDS_ENV = 'STUPS_LOCAL_TOKEN_SECONDS';

/** Where the provider keeps issued tokens, grants and sessions (kept by `down`). */
export const OAUTH_STATE_FILE = 'oauth-state.json';

/** What points zign, stups-tokens and resource servers at the local provider. */
export function oauthEnvironment(provider: OAuthProvider, credentialsDir: string): Record<string, string> {
  return {
    OAUTH2_ACCESS_TOKEN_URL: provider.tokenUrl,
    TOKENINFO_URL: provider.tokeninfoUrl,
    CREDENTIALS_DIR: credentialsDir,
    ZIGN_ISSUER: provider.issuer,
    ZIGN_CLIENT_ID: ZIGN_CLIENT_ID,
  };
}

/** The OAuth part of the platform: an OpenID Connect provider in the daemon's process. */
export const oauthService: PlatformService = {
  name: 'oauth',
  description: 'the OpenID Connect provider (sign-in page, tokeninfo, stups-tokens credentials)',
  async start({ stateDir, port }) {
    // Loaded only when the platform starts: `env` and `status` do not need the provider (nor its warnings).
    const { startOAuthProvider } = await import('./oauth-provider.js');
    const seconds = Number(process.env[TOKEN_SECONDS_ENV]);
    const provider = await startOAuthProvider({
      port,
      accessTokenSeconds: Number.isInteger(seconds) && seconds > 0 ? seconds : undefined,
      // Issued tokens outlive down/up and a crash: every CLI's token store still holds them.
      stateFile: join(stateDir, OAUTH_STATE_FILE),
    });
    const credentialsDir = writeCredentialsDir(stateDir);
    return {
      record: {
        name: 'oauth',
        endpoint: provider.issuer,
        summary: `OAuth at ${provider.issuer} (sign in as jdoe / jdoe-password)`,
        environment: oauthEnvironment(provider, credentialsDir),
        parts: [
          {
            label: 'oidc',
            endpoint: provider.issuer,
            pid: process.pid,
            probePath: '/.well-known/openid-configuration',
          },
        ],
      },
      stop: async () => {
        await provider.close();
        rmSync(join(stateDir, 'oauth'), { recursive: true, force: true });
      },
    };
  },
};
