import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { HOSTNAME_PATTERN, LIFETIME_MINUTES, USERNAME_PATTERN } from '@stups/core/piu';
import { type AccessRow, AccessStore } from './access-store.js';
import { appendAudit, highestAuditedId, readAudit } from './audit-log.js';
import { grantLine, loginsWithKeys, writeGrantLines } from './authorized-keys.js';
import { readPublicKey } from './public-keys.js';

/**
 * even's request processing and expiry, as the original does it (reference §3), with the local hosts
 * in place of SSH to the bastion: a grant writes the user's key into the login's authorized_keys on
 * the bastion and on the remote host; expiry takes it out again. Answers are even's status codes and
 * plain-text bodies.
 */
export interface LocalSshHost {
  name: string;
  address: string;
  dir: string;
}

export interface AccessGrantingOptions {
  evenDir: string;
  /** The bastion first; every host is also an allowed remote host. */
  hosts: LocalSshHost[];
  /** Regex with `{team}`, fully matched against the requested hostname. */
  hostnameTemplate: string;
  /** The caller's teams (the Team Service's answer). */
  teamsOf(uid: string): string[];
  /** How long one lifetime minute lasts here, in ms (60 000; tests shorten it). */
  minuteMs: number;
  /** The URL even serves public keys at, for the failure text. */
  publicKeyUrl(name: string): string;
  now?: () => Date;
  /** Told what even set right on its own (a corrupt store moved aside, half-done requests settled). */
  notice?: (text: string) => void;
}

export interface Answer {
  status: number;
  body: string;
  type?: 'text' | 'json';
}

const text = (status: number, body: string): Answer => ({ status, body, type: 'text' });

interface RequestBody {
  username?: unknown;
  hostname?: unknown;
  reason?: unknown;
  remote_host?: unknown;
  lifetime_minutes?: unknown;
}

function invalid(body: RequestBody): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  if (typeof body.hostname !== 'string') return 'hostname is required';
  if (typeof body.reason !== 'string' || !body.reason.trim()) return 'reason is required';
  if (!HOSTNAME_PATTERN.test(body.hostname))
    return `hostname "${body.hostname}" does not match ${HOSTNAME_PATTERN.source}`;
  if (body.username !== undefined && (typeof body.username !== 'string' || !USERNAME_PATTERN.test(body.username)))
    return `username "${String(body.username)}" does not match ${USERNAME_PATTERN.source}`;
  if (
    body.remote_host !== undefined &&
    body.remote_host !== null &&
    (typeof body.remote_host !== 'string' || !HOSTNAME_PATTERN.test(body.remote_host))
  )
    return `remote_host "${String(body.remote_host)}" does not match ${HOSTNAME_PATTERN.source}`;
  const l = body.lifetime_minutes;
  if (
    l !== undefined &&
    (typeof l !== 'number' || !Number.isInteger(l) || l < LIFETIME_MINUTES.min || l > LIFETIME_MINUTES.max)
  )
    return `lifetime_minutes must be an integer from ${LIFETIME_MINUTES.min} to ${LIFETIME_MINUTES.max}`;
  return undefined;
}

export class AccessGranting {
  readonly store: AccessStore;
  private readonly options: AccessGrantingOptions;

  constructor(options: AccessGrantingOptions) {
    this.options = options;
    this.store = new AccessStore(options.evenDir, {
      firstFreeId: () => highestAuditedId(options.evenDir) + 1,
      onSetAside: (aside, why) =>
        options.notice?.(
          `${join(options.evenDir, 'access-requests.json')} was corrupt (${why}): moved aside as ${aside}; its requests are no longer listed, and new ids start above those in audit.log`,
        ),
    });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private hostNamed(name: string): LocalSshHost | undefined {
    return this.options.hosts.find((h) => h.name === name || h.address === name);
  }

  private async resolve(hostname: string): Promise<string> {
    const local = this.hostNamed(hostname);
    if (local) return local.address;
    return (await lookup(hostname, { family: 4 })).address;
  }

  allowedHostnames(teams: string[]): string[] {
    return teams.map((t) => this.options.hostnameTemplate.replaceAll('{team}', t));
  }

  /** `POST /access-requests` for the token's uid. */
  async request(uid: string, body: RequestBody): Promise<Answer> {
    const teams = this.options.teamsOf(uid);
    if (teams.length === 0) return text(403, 'Forbidden. user has no teams');
    const problem = invalid(body);
    if (problem) return text(400, `Invalid request: ${problem}`);
    const hostname = body.hostname as string;
    const username = (body.username as string | undefined) ?? uid;
    const remote = typeof body.remote_host === 'string' && body.remote_host ? body.remote_host : null;
    const lifetime = (body.lifetime_minutes as number | undefined) ?? 60;
    let ip: string;
    try {
      ip = await this.resolve(hostname);
    } catch (e) {
      return text(400, `Could not resolve hostname ${hostname}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    const inet = `${hostname}/${ip}`;
    const created = this.now();
    const row = await this.store.update((rows, nextId) => {
      const r: AccessRow = {
        id: nextId(),
        username,
        hostname,
        reason: (body.reason as string).trim(),
        remote_host: remote,
        status: 'REQUESTED',
        status_reason: null,
        lifetime_minutes: lifetime,
        created: created.toISOString(),
        created_by: uid,
        last_modified: created.toISOString(),
        last_modified_by: uid,
        expires: new Date(created.getTime() + lifetime * this.options.minuteMs).toISOString(),
      };
      rows.push(r);
      return r;
    });

    const allowed = this.allowedHostnames(teams);
    if (!allowed.some((re) => new RegExp(`^(?:${re})$`).test(hostname))) {
      const reason = `Forbidden. Host ${inet} is not matching any allowed hostname: (${allowed.join(' ')})`;
      await this.setStatus(row.id, 'DENIED', reason, uid);
      return text(403, reason);
    }
    const failure = this.grantProblem(row);
    if (failure) {
      await this.setStatus(row.id, 'FAILED', failure, uid);
      return text(400, failure);
    }
    const granted = `Access to host ${inet} for user ${username} was granted.`;
    // The audit line is on disk before the row is GRANTED, and keys are only ever written for GRANTED
    // rows: a crash at any point leaves no access without its audit line (a start settles the rest).
    try {
      appendAudit(this.options.evenDir, {
        event: 'request-ssh-access',
        triggered_at: created.toISOString(),
        triggered_by: uid,
        request_id: row.id,
        username,
        hostname,
        host_ip: ip,
        remote_host: remote,
        reason: row.reason,
        lifetime_minutes: lifetime,
        granted_until: row.expires,
        allowed_hostnames: allowed.join(','),
      });
    } catch (e) {
      const reason = `Could not write the audit log, so access was not granted: ${(e as Error).message}`;
      await this.setStatus(row.id, 'FAILED', reason, uid);
      return text(500, reason);
    }
    await this.setStatus(row.id, 'GRANTED', granted, uid);
    try {
      await this.syncLogin(username);
    } catch (e) {
      const reason = `SSH command failed: ${(e as Error).message}`;
      await this.setStatus(row.id, 'FAILED', reason, uid);
      await this.syncLogin(username).catch(() => undefined);
      this.auditRollback(row, reason);
      return text(400, reason);
    }
    return text(200, granted);
  }

  /** What the bastion's grant command would refuse: no public key, a remote host outside the network. */
  private grantProblem(row: AccessRow): string | undefined {
    if (!this.hostNamed(row.hostname))
      return `SSH command failed: ssh: connect to host ${row.hostname} port 22: Connection refused`;
    if (!readPublicKey(this.options.evenDir, row.username))
      return `SSH command failed: ERROR: Failed to download public key for "${row.username}" from ${this.options.publicKeyUrl(row.username)}: server returned status 404`;
    if (row.remote_host && !this.hostNamed(row.remote_host))
      return `SSH command failed: ERROR: Remote host "${row.remote_host}" is not in one of the allowed networks`;
    return undefined;
  }

  private setStatus(id: number, status: AccessRow['status'], reason: string, by: string): Promise<void> {
    const at = this.now().toISOString();
    return this.store.update((rows) => {
      const r = rows.find((x) => x.id === id);
      if (!r) return;
      r.status = status;
      r.status_reason = reason;
      r.last_modified = at;
      r.last_modified_by = by;
    });
  }

  /**
   * Rewrites the login's authorized_keys on every host from the GRANTED rows: a host carries a line
   * for each grant on it (as bastion or as remote host).
   */
  async syncLogin(login: string): Promise<void> {
    for (const host of this.options.hosts) {
      await writeGrantLines(host.dir, login, () => {
        const key = readPublicKey(this.options.evenDir, login);
        if (!key) return [];
        return this.store
          .read()
          .filter((r) => r.status === 'GRANTED' && r.username === login)
          .filter(
            (r) => this.hostNamed(r.hostname) === host || (r.remote_host && this.hostNamed(r.remote_host) === host),
          )
          .map((r) => grantLine(r, key));
      });
    }
  }

  private auditRollback(row: AccessRow, reason: string): void {
    appendAudit(this.options.evenDir, {
      event: 'revoke-ssh-access',
      triggered_at: this.now().toISOString(),
      triggered_by: 'job',
      request_id: row.id,
      username: row.username,
      hostname: row.hostname,
      remote_host: row.remote_host,
      reason,
      granted_until: row.expires,
    });
  }

  /**
   * At start, before keys are synced: a corrupt store is moved aside, and every request a stopped
   * platform left half-done is settled. A REQUESTED row was never answered with a grant: it becomes
   * FAILED (and, when its grant was already audited, the rollback is audited too). A GRANTED row
   * without its audit line (left by an older version) is revoked and the revocation audited.
   */
  async settle(): Promise<AccessRow[]> {
    await this.store.recover();
    const audited = new Set(
      readAudit(this.options.evenDir)
        .filter((e) => e.event === 'request-ssh-access')
        .map((e) => e.request_id),
    );
    const at = this.now().toISOString();
    const settled = await this.store.update((rows) => {
      const changed: AccessRow[] = [];
      for (const r of rows) {
        if (r.status === 'REQUESTED') {
          r.status = 'FAILED';
          r.status_reason = audited.has(r.id)
            ? 'The platform stopped while granting this request; it was rolled back (no key was written).'
            : 'The platform stopped before this request was granted.';
        } else if ((r.status === 'GRANTED' || r.status === 'EXPIRED') && !audited.has(r.id)) {
          r.status = 'REVOKED';
          r.status_reason = 'Granted without an audit record (the platform stopped while granting); revoked.';
        } else continue;
        r.last_modified = at;
        r.last_modified_by = 'job';
        changed.push({ ...r });
      }
      return changed;
    });
    for (const r of settled) {
      if (r.status === 'REVOKED' || audited.has(r.id)) this.auditRollback(r, r.status_reason ?? '');
      this.options.notice?.(`even: request ${r.id} (${r.username} on ${r.hostname}): ${r.status_reason}`);
    }
    return settled;
  }

  /** Every login that has keys or grants, brought in line with the rows (at start). */
  async syncAll(): Promise<void> {
    const logins = new Set(this.store.read().map((r) => r.username));
    for (const host of this.options.hosts) for (const l of loginsWithKeys(host.dir)) logins.add(l);
    for (const login of logins) await this.syncLogin(login);
  }

  /**
   * The expiry job: grants past their lifetime become EXPIRED, their keys are removed, then REVOKED
   * (`Access to host … was revoked.`); a removal that fails stays EXPIRED and is tried again.
   */
  async expire(): Promise<AccessRow[]> {
    const now = this.now();
    const expired = await this.store.update((rows) => {
      const due = rows.filter(
        (r) => (r.status === 'GRANTED' || r.status === 'EXPIRED') && new Date(r.expires).getTime() <= now.getTime(),
      );
      for (const r of due) {
        r.status = 'EXPIRED';
        r.status_reason = 'Request lifetime exceeded';
        r.last_modified = now.toISOString();
        r.last_modified_by = 'job';
      }
      return due.map((r) => ({ ...r }));
    });
    for (const login of new Set(expired.map((r) => r.username))) {
      try {
        await this.syncLogin(login);
      } catch (e) {
        const failure = `SSH revocation command failed: ${(e as Error).message}`;
        for (const r of expired.filter((x) => x.username === login))
          await this.setStatus(r.id, 'EXPIRED', failure, 'job');
        continue;
      }
      for (const r of expired.filter((x) => x.username === login)) {
        await this.setStatus(
          r.id,
          'REVOKED',
          `Access to host ${r.hostname} for user ${r.username} was revoked.`,
          'job',
        );
        appendAudit(this.options.evenDir, {
          event: 'revoke-ssh-access',
          triggered_at: now.toISOString(),
          triggered_by: 'job',
          request_id: r.id,
          username: r.username,
          hostname: r.hostname,
          remote_host: r.remote_host,
          granted_until: r.expires,
        });
      }
    }
    return expired;
  }

  /** `GET /access-requests`: exact-match filters, newest first, then offset and limit. */
  list(query: URLSearchParams): Answer {
    let rows = this.store.read().slice().reverse();
    for (const key of ['username', 'hostname', 'status'] as const) {
      const v = query.get(key);
      if (v) rows = rows.filter((r) => r[key] === v);
    }
    const offset = Number(query.get('offset') ?? 0) || 0;
    const limit = query.get('limit');
    rows = rows.slice(offset, limit ? offset + (Number(limit) || 0) : undefined);
    return { status: 200, body: JSON.stringify(rows), type: 'json' };
  }
}
