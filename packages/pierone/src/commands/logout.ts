import { removeRegistryLogin } from '@stups/core/pierone';
import { resolvePieroneUrl } from '../pierone-session.js';
import type { LogoutRun } from './specs.js';

export const run: LogoutRun = async (_args, options, cli) => {
  const url = await resolvePieroneUrl(cli, options.url);
  const change = await removeRegistryLogin(url, cli.env);
  const removed = [
    ...(change.removedHelper ? [`credHelpers["${change.registry}"]`] : []),
    ...change.removedAuths.map((k) => `auths["${k}"]`),
  ];
  cli.host.notify({
    level: 'info',
    code: 'pierone.logout-done',
    text: removed.length
      ? `Removed ${removed.join(', ')} from ${change.path}`
      : `${change.path} has no login for ${change.registry}; nothing to do`,
    data: { path: change.path, registry: change.registry },
  });
  return 0;
};
