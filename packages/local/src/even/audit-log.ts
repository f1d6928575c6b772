import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * even's audit trail on one machine: `<state>/even/audit.log`, one JSON object a line, appended for
 * every grant (who asked, for whom, which host and remote host, why, when, until when) and every
 * revocation. It is never rewritten; it outlives `down` and `up`.
 */
export interface AuditEvent {
  event: 'request-ssh-access' | 'revoke-ssh-access';
  triggered_at: string;
  triggered_by: string;
  request_id: number;
  username: string;
  hostname: string;
  host_ip?: string;
  remote_host?: string | null;
  reason?: string;
  lifetime_minutes?: number;
  granted_until?: string;
  allowed_hostnames?: string;
}

export function auditLogPath(evenDir: string): string {
  return join(evenDir, 'audit.log');
}

export function appendAudit(evenDir: string, event: AuditEvent): void {
  const clean = Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined && v !== null));
  appendFileSync(auditLogPath(evenDir), `${JSON.stringify(clean)}\n`, { mode: 0o600 });
}

export function readAudit(evenDir: string): AuditEvent[] {
  try {
    return readFileSync(auditLogPath(evenDir), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditEvent);
  } catch {
    return [];
  }
}
