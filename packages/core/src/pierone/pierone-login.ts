import { OperationError } from '../errors.js';
import {
  type DockerConfigChange,
  HELPER_BINARY,
  onPath,
  registerCredentialHelper,
  storeRegistryToken,
} from './docker-config.js';
import { type PierOneAuth, PierOneClient } from './pierone-api.js';
import { pieroneToken } from './pierone-token.js';

export interface PierOneLoginRequest extends PierOneAuth {
  /** The registry, as resolved by {@link resolvePieroneSettings} (or asked for by the CLI). */
  url: string;
  /** Write the token into config.json's `auths` instead of registering the credential helper. */
  storeToken?: boolean;
  signal?: AbortSignal;
}

export interface PierOneLoginResult {
  change: DockerConfigChange;
  /** `helper`: Docker asks docker-credential-pierone; `token`: the token sits in config.json. */
  mode: 'helper' | 'token';
}

/**
 * `pierone login`: registers the credential helper for the registry (or, with `storeToken`, writes the
 * token into config.json), after getting the write token Docker will be handed and checking that the
 * registry takes it: a person signs in here rather than inside `docker push`, and a CI job learns of
 * wrong credentials at this step. Storing the URL (only without `--url`) is the caller's.
 */
export async function pieroneLogin(request: PierOneLoginRequest): Promise<PierOneLoginResult> {
  const { url, storeToken, signal, ...auth } = request;
  if (!storeToken && !onPath(HELPER_BINARY, auth.env))
    throw new OperationError(`${HELPER_BINARY} executable is not available`, {
      code: 'pierone.helper-not-on-path',
      hint: `Put the directory of ${HELPER_BINARY} (installed with pierone) on PATH, or use --store-token.`,
    });
  let token = '';
  // A stored token the registry refuses (its issuer restarted) is dropped and renewed once by the client.
  const fetchToken = async (renew?: { refused: string }) => {
    token = await pieroneToken('write', { ...auth, signal, refused: renew?.refused });
    return token;
  };
  await new PierOneClient({ url, token: fetchToken, signal }).checkToken();
  return storeToken
    ? { change: await storeRegistryToken(url, token, auth.env), mode: 'token' }
    : { change: await registerCredentialHelper(url, auth.env), mode: 'helper' };
}
