import { pieroneLogin, rememberPieroneUrl } from '@stups/core/pierone';
import { resolvePieroneUrl } from '../pierone-session.js';
import type { LoginRun } from './specs.js';

/** Resolves (or asks for) the URL, stores it unless given with --url, and runs core's login. */
export const run: LoginRun = async (_args, options, cli) => {
  const url = await resolvePieroneUrl(cli, options.url);
  if (!options.url) rememberPieroneUrl(url, cli.env);
  const { change } = await pieroneLogin({
    url,
    storeToken: options.storeToken,
    env: cli.env,
    host: cli.host,
    interactive: cli.interactive,
    signal: cli.signal,
  });
  cli.host.notify({
    level: 'info',
    code: 'pierone.login-config-written',
    text: `Storing Docker client configuration in ${change.path}.. OK`,
    data: { path: change.path, registry: change.registry, removedAuths: change.removedAuths },
  });
  cli.host.notify({
    level: 'info',
    code: 'pierone.login-done',
    text: options.storeToken
      ? `Token for ${change.registry} stored in ${change.path}; run \`pierone login\` again when it expires.`
      : `Authentication configured for ${url}, you don't need to run pierone login anymore!`,
  });
  return 0;
};
