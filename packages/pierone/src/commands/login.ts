import { OperationError } from '@stups/core';
import {
  HELPER_BINARY,
  onPath,
  PierOneClient,
  pieroneToken,
  registerCredentialHelper,
  rememberPieroneUrl,
  storeRegistryToken,
} from '@stups/core/pierone';
import { resolvePieroneUrl } from '../pierone-session.js';
import type { LoginRun } from './specs.js';

/**
 * Registers the credential helper for the registry (or, with --store-token, writes the token into
 * config.json), after getting a token once and checking that the registry takes it: a person signs
 * in here rather than inside `docker push`, and a CI job learns of wrong credentials at this step.
 */
export const run: LoginRun = async (_args, options, cli) => {
  const url = await resolvePieroneUrl(cli, options.url);
  if (!options.url) rememberPieroneUrl(url, cli.env);
  if (!options.storeToken && !onPath(HELPER_BINARY, cli.env))
    throw new OperationError(`${HELPER_BINARY} executable is not available`, {
      code: 'pierone.helper-not-on-path',
      hint: `Put the directory of ${HELPER_BINARY} (installed with pierone) on PATH, or use --store-token.`,
    });
  let token = '';
  // The token Docker will be handed (write scopes). A stored token the registry refuses (its issuer
  // restarted) is dropped and renewed once by the client.
  const fetchToken = async (renew?: { refused: string }) => {
    token = await pieroneToken('write', {
      env: cli.env,
      host: cli.host,
      interactive: cli.interactive,
      signal: cli.signal,
      refused: renew?.refused,
    });
    return token;
  };
  await new PierOneClient({ url, token: fetchToken, signal: cli.signal }).checkToken();
  const change = options.storeToken
    ? await storeRegistryToken(url, token, cli.env)
    : await registerCredentialHelper(url, cli.env);
  cli.host.notify({
    level: 'info',
    code: 'pierone.login.config-written',
    text: `Storing Docker client configuration in ${change.path}.. OK`,
    data: { path: change.path, registry: change.registry, removedAuths: change.removedAuths },
  });
  cli.host.notify({
    level: 'info',
    code: 'pierone.login.done',
    text: options.storeToken
      ? `Token for ${change.registry} stored in ${change.path}; run \`pierone login\` again when it expires.`
      : `Authentication configured for ${url}, you don't need to run pierone login anymore!`,
  });
  return 0;
};
