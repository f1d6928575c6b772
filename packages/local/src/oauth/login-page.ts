import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { checkPassword } from './oauth-accounts.js';

/**
 * The provider's sign-in page, which a browser (a person, or Chromium in the tests) drives: one form
 * with user name and password, "Sign in" (login and consent in one step) and "Deny". Plain HTML that
 * loads nothing from outside.
 */
export const INTERACTION_PREFIX = '/interaction/';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;margin:3em auto;max-width:24em"><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > 64 * 1024) req.destroy();
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function loginForm(uid: string, client: string, scope: string, error?: string): string {
  return page(
    'Sign in to stups-local',
    `<p><b>${escapeHtml(client)}</b> asks for: ${escapeHtml(scope)}</p>` +
      (error ? `<p id="error" style="color:#b00">${escapeHtml(error)}</p>` : '') +
      `<form method="post" autocomplete="off">` +
      `<p><label>User name<br><input name="login" value="${escapeHtml(uid)}" autofocus></label></p>` +
      `<p><label>Password<br><input type="password" name="password"></label></p>` +
      `<p><button type="submit" name="action" value="allow">Sign in</button> ` +
      `<button type="submit" name="action" value="deny">Deny</button></p></form>`,
  );
}

export async function handleInteraction(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const client = String(details.params.client_id ?? '');
  const scope = String(details.params.scope ?? '');
  if (req.method === 'GET') {
    send(res, 200, loginForm('', client, scope));
    return;
  }
  const form = await readForm(req);
  if (form.get('action') === 'deny') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user denied access' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const uid = form.get('login') ?? '';
  const account = checkPassword(uid, form.get('password') ?? '');
  if (!account) {
    send(res, 200, loginForm(uid, client, scope, 'Wrong user name or password.'));
    return;
  }
  const grant = details.grantId
    ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId: account.uid, clientId: client }))
    : new provider.Grant({ accountId: account.uid, clientId: client });
  const prompt = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  // Login and consent in one step: the sign-in grants what the client asked for.
  if (scope) grant.addOIDCScope(scope);
  if (prompt.missingOIDCScope) grant.addOIDCScope(prompt.missingOIDCScope.join(' '));
  if (prompt.missingOIDCClaims) grant.addOIDCClaims(prompt.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.missingResourceScopes ?? {}))
    grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: account.uid }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}
