import type { DoctorRun } from './specs.js';

interface Check {
  ok: boolean;
  what: string;
  /** What to do when not ok. */
  fix?: string;
}

export const run: DoctorRun = async (_args, options, cli) => {
  const auth = await import('@stups/core/auth');
  const checks: Check[] = [];
  let settings: ReturnType<typeof auth.resolveZignSettings> | undefined;
  try {
    settings = auth.resolveZignSettings(options, cli.env);
    checks.push(
      auth.hasServer(settings)
        ? {
            ok: true,
            what: `config: ${settings.issuer ? `issuer ${settings.issuer}` : `token URL ${settings.tokenUrl}`}, client ${settings.clientId}${settings.clientSecret ? ' (confidential: client credentials)' : ''}`,
          }
        : {
            ok: false,
            what: 'config: no OAuth server configured',
            fix: 'set ZIGN_ISSUER, or `issuer` in ~/.config/zign/zign.yaml',
          },
    );
  } catch (e) {
    checks.push({ ok: false, what: `config: ${(e as Error).message}`, fix: (e as { hint?: string }).hint });
  }
  if (settings && auth.hasServer(settings)) {
    try {
      const server = await auth.openServer(settings);
      const m = server.serverMetadata();
      checks.push({
        ok: true,
        what: `issuer: ${m.issuer} answers (OpenID Connect; device flow ${m.device_authorization_endpoint ? 'yes' : 'no'}, revocation ${m.revocation_endpoint ? 'yes' : 'no'})`,
      });
    } catch (e) {
      checks.push({ ok: false, what: `issuer: ${(e as Error).message}`, fix: (e as { hint?: string }).hint });
    }
  }
  const store = auth.TokenStore.fromEnv(cli.env);
  const modes = store.modes();
  const loose = [
    [store.dir, modes.dir, 0o700],
    [store.path, modes.tokens, 0o600],
    [store.refreshTokenPath, modes.refreshToken, 0o600],
  ].filter(([, mode, want]) => mode !== undefined && ((mode as number) & ~(want as number)) !== 0);
  checks.push(
    loose.length === 0
      ? { ok: true, what: `token store: ${store.path} (private)` }
      : {
          ok: false,
          what: `token store: ${loose.map(([p]) => p).join(', ')} readable by others`,
          fix: loose.map(([p, , want]) => `chmod ${(want as number).toString(8)} ${p}`).join('; '),
        },
  );
  try {
    store.read();
  } catch (e) {
    checks.push({ ok: false, what: `token store: ${(e as Error).message}`, fix: (e as { hint?: string }).hint });
  }
  try {
    const listener = await auth.openLoopbackListener(settings?.redirectPorts);
    checks.push({ ok: true, what: `sign-in redirect: 127.0.0.1:${listener.port} is free` });
    await listener.close();
  } catch (e) {
    checks.push({ ok: false, what: `sign-in redirect: ${(e as Error).message}`, fix: (e as { hint?: string }).hint });
  }
  const headless = auth.isHeadless(cli.env);
  checks.push({
    ok: true,
    what: headless
      ? 'display: none (or an SSH session): `zign login` uses the device flow'
      : 'display: found: `zign login` opens a browser',
  });
  if (cli.env.OAUTH2_ACCESS_TOKEN_URL || cli.env.CREDENTIALS_DIR || cli.env.OAUTH2_ACCESS_TOKENS)
    checks.push({
      ok: true,
      what: 'service tokens: stups-tokens settings found (OAUTH2_ACCESS_TOKEN_URL, CREDENTIALS_DIR, OAUTH2_ACCESS_TOKENS)',
    });
  cli.host.print(
    checks.map((c) => `${c.ok ? 'ok  ' : 'FIX '} ${c.what}${c.ok || !c.fix ? '' : `\n      → ${c.fix}`}\n`).join(''),
  );
  return checks.every((c) => c.ok) ? 0 : 1;
};
