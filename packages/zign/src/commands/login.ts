import type { LoginRun } from './specs.js';

export const run: LoginRun = async ([scopes], options, cli) => {
  const { login } = await import('@stups/core/auth');
  const result = await login(options.name, scopes, {
    env: cli.env,
    flags: options,
    host: cli.host,
    interactive: true,
    device: options.device || undefined,
    openBrowser: options.browser,
    signal: cli.signal,
  });
  cli.host.notify({
    level: 'info',
    code: 'zign.login-done',
    text: `Signed in${result.subject ? ` as ${result.subject}` : ''}${result.name ? `; the token is stored as "${result.name}"` : ''} (scope: ${result.scope || 'none'}).`,
    data: { name: result.name, scope: result.scope, refreshToken: result.refreshToken, subject: result.subject },
  });
  return 0;
};
