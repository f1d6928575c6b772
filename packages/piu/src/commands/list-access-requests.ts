import { printTable } from '@stups/cli-kit/table';
import { type TableSpec, UsageError } from '@stups/core';
import * as piu from '@stups/core/piu';
import type { ListAccessRequestsRun } from './specs.js';

export const TABLE: TableSpec = {
  columns: [
    'username',
    'hostname',
    'remote_host',
    'reason',
    'lifetime_minutes',
    'status',
    'status_reason',
    'created_time',
    'expires',
  ],
  titles: { lifetime_minutes: 'TTL', created_time: 'Created', remote_host: 'Remote Host', expires: 'Expires' },
  maxWidths: { remote_host: 20, reason: 50, status_reason: 50 },
  shrink: ['reason', 'status_reason'],
  // At 80 columns the status reason (the status says it), the odd host (the same in the default listing),
  // the age and the TTL (the expiry says both) give way, in this order.
  drop: ['status_reason', 'hostname', 'created_time', 'lifetime_minutes'],
};

const STYLES: Record<string, string> = {
  REQUESTED: '\u001b[1;33m',
  GRANTED: '\u001b[32m',
  DENIED: '\u001b[1;31m',
  FAILED: '\u001b[1;31m',
  EXPIRED: '\u001b[1;33m',
  REVOKED: '\u001b[31m',
};

function allOr(value: string | undefined): string | undefined {
  return value === '*' ? undefined : value;
}

function statusOf(value: string | undefined): piu.AccessStatus | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (!(piu.ACCESS_STATUSES as readonly string[]).includes(upper))
    throw new UsageError(`Invalid status "${value}"`, {
      code: 'piu.invalid-status',
      hint: `One of ${piu.ACCESS_STATUSES.join(', ')}.`,
    });
  return upper as piu.AccessStatus;
}

export const run: ListAccessRequestsRun = async (_args, options, cli) => {
  piu.assertLocalEvenOn(cli.env, Boolean(options.evenUrl));
  const settings = piu.resolvePiuSettings(options, cli.env);
  const { evenUrl } = settings;
  if (!evenUrl)
    throw new UsageError('No even URL is known', {
      code: 'piu.setting-missing',
      hint: 'Pass -E/--even-url (or EVEN_URL), or run `piu request-access` once with it; piu remembers it.',
    });
  const filters: piu.AccessRequestFilters = options.mine
    ? {
        username: piu.checkUsername(
          options.user && options.user !== '*' ? options.user : piu.piuUsername(undefined, cli.env),
        ),
        status: 'GRANTED',
      }
    : {
        username: allOr(options.user),
        hostname: allOr(await piu.resolveOddHost(options.oddHost, settings.config.odd_host, settings.region, cli.host)),
        status: statusOf(options.status),
      };
  if (options.mine && options.oddHost && options.oddHost !== '*') filters.hostname = options.oddHost;
  filters.limit = options.limit;
  filters.offset = options.offset;
  const rows = await piu.listAccessRequestRows(evenUrl, filters, {
    host: cli.host,
    env: cli.env,
    interactive: cli.interactive,
    signal: cli.signal,
  });
  printTable(cli, TABLE, rows, {
    output: options.output,
    cellStyle: (column, value) => (column === 'status' && typeof value === 'string' ? STYLES[value] : undefined),
  });
  return 0;
};
