import { OperationError } from '@stups/core';
import {
  HELPER_BINARY,
  HELPER_SCOPES,
  onPath,
  PierOneClient,
  registerCredentialHelper,
  storeRegistryToken,
} from '@stups/core/pierone';
import { rememberPieroneUrl, resolvePieroneUrl } from '../pierone-session.js';
import type { LoginRun } from './specs.js';

/**
 * Registers the credential helper for the registry (or, with --store-token, writes the token into
 * config.json), after getting a token once and checking that the registry takes it: a person signs
 * in here rather than inside `docker push`, and a CI job learns of wrong credentials at this step.
 */
export const run: LoginRun = async (_args, options, cli) => {
  const url = await resolvePieroneUrl(cli, options.url);
  if (!options.url) rememberPieroneUrl(cli, url);
  if (!options.storeToken && !onPath(HELPER_BINARY, cli.env))
    throw new OperationError(`${HELPER_BINARY} executable is not available`, {
      code: 'pierone.helper-not-on-path',
      hint: `Put the directory of ${HELPER_BINARY} (installed with pierone) on PATH, or use --store-token.`,
    });
  const { getToken } = await import('@stups/core/auth');
  const token = (
    await getToken('pierone', HELPER_SCOPES, {
      env: cli.env,
      host: cli.host,
      interactive: cli.interactive,
      signal: cli.signal,
    })
  ).access_token;
  await new PierOneClient({ url, token: async () => token, signal: cli.signal }).checkToken();
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
