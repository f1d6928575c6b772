import { closeSync, constants, fstatSync, fsyncSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * even's audit trail on one machine: `<state>/even/audit.log`, one JSON object a line, appended for
 * every grant (who asked, for whom, which host and remote host, why, when, until when) and every
 * revocation. It is never rewritten; it outlives `down` and `up`. A grant's line is on disk (fsync)
 * before any key is written, so no access exists without its audit line; the file is opened without
 * following a symlink (O_NOFOLLOW), so a link planted in its place is refused, not written through.
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

const { O_RDWR, O_APPEND, O_CREAT, O_NOFOLLOW, O_RDONLY } = constants;

/** Appends one event and waits until it is on disk. Throws (ELOOP) when audit.log is a symlink. */
export function appendAudit(evenDir: string, event: AuditEvent): void {
  const clean = Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined && v !== null));
  const fd = openSync(auditLogPath(evenDir), O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW, 0o600);
  try {
    // A line torn by a crash mid-append is ended first, so that it spoils only itself.
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
    const bytes = Buffer.from(`${torn ? '\n' : ''}${JSON.stringify(clean)}\n`, 'utf8');
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The directory entry of a new file is durable too.
  try {
    const dir = openSync(evenDir, O_RDONLY);
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // a platform that cannot fsync a directory still has the line written
  }
}

/** The events in order; a line torn by a crash mid-append is skipped. */
export function readAudit(evenDir: string): AuditEvent[] {
  let text: string;
  try {
    const fd = openSync(auditLogPath(evenDir), O_RDONLY | O_NOFOLLOW);
    try {
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return [];
  }
  const events: AuditEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      events.push(JSON.parse(line) as AuditEvent);
    } catch {
      // torn or foreign line
    }
  }
  return events;
}

/** The highest request id the audit log names (0 when none): ids at or below it are never given again. */
export function highestAuditedId(evenDir: string): number {
  return readAudit(evenDir).reduce((max, e) => (Number.isInteger(e.request_id) ? Math.max(max, e.request_id) : max), 0);
}
