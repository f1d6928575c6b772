import type { TokenRun } from './specs.js';

export const run: TokenRun = async ([scopes], options, cli) => {
  const { getToken } = await import('@stups/core/auth');
  const token = await getToken(options.name, scopes, {
    env: cli.env,
    flags: options,
    host: cli.host,
    interactive: cli.interactive,
    refresh: options.refresh,
    device: options.device || undefined,
    openBrowser: options.browser,
    signal: cli.signal,
  });
  cli.host.print(`${token.access_token}\n`);
  return 0;
};
