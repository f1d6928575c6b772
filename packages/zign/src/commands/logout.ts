import type { LogoutRun } from './specs.js';

export const run: LogoutRun = async ([name], options, cli) => {
  const { signOut } = await import('@stups/core/auth');
  const result = await signOut(name, { env: cli.env, flags: options, host: cli.host });
  const what = name ? `"${name}"` : 'the sign-in and every stored token';
  cli.host.notify({
    level: 'info',
    code: 'zign.logout-done',
    text:
      result.deleted.length === 0 && result.revoked.length === 0
        ? `Nothing was stored${name ? ` under "${name}"` : ''}.`
        : `Signed out: ${what} ${result.revocationUnsupported ? 'deleted here (not revoked)' : 'revoked and deleted'}.`,
    data: { ...result },
  });
  return 0;
};
