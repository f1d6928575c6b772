import type { ToolConfig } from '../config/tool-config.js';
import { UsageError } from '../errors.js';

/**
 * How long one AWS call may take. Without a bound, an endpoint that accepts the connection and never
 * answers (or drips an answer byte by byte) stalls a command for ever; with one per attempt only, the
 * SDK's retries multiply it (6 × 30 s was 3 minutes). So `requestMs` is the whole call's budget.
 */
export interface AwsTimeouts {
  /** Establishing the TCP (and TLS) connection. */
  connectMs: number;
  /** The whole call: every attempt, retry and back-off, from the first byte sent to the last byte read. */
  requestMs: number;
}

/**
 * CloudFormation answers within a few seconds; a large DescribeStackEvents page within ~10 s. 30 s in
 * all per call: a command against a silent endpoint gives up within 30 s, naming it.
 */
export const DEFAULT_AWS_TIMEOUTS: AwsTimeouts = { connectMs: 5_000, requestMs: 30_000 };

function seconds(config: ToolConfig, key: string, envName: string, fallbackMs: number): number {
  const section = config.aws && typeof config.aws === 'object' ? (config.aws as Record<string, unknown>) : {};
  const raw = config[key] ?? section[key.replace(/^aws_/, '')];
  if (raw === undefined || raw === null || raw === '') return fallbackMs;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`Invalid ${key} ${JSON.stringify(String(raw))}: expected a number of seconds above 0`, {
      code: 'aws.timeout-invalid',
      hint: `Set ${envName} or "${key}" in the config file to e.g. 30 (or 0.5 for half a second).`,
    });
  }
  return Math.round(n * 1000);
}

/**
 * The timeouts from a tool's config, in seconds: `<TOOL>_AWS_TIMEOUT` / `<TOOL>_AWS_CONNECT_TIMEOUT`
 * (which `loadToolConfig` overlays as `aws_timeout` / `aws_connect_timeout`), then those keys in the
 * file, then `aws: {timeout, connect_timeout}` (what `senza config aws.timeout 60` writes).
 */
export function awsTimeoutsFrom(config: ToolConfig, tool = 'senza'): AwsTimeouts {
  const prefix = tool.toUpperCase().replaceAll('-', '_');
  return {
    connectMs: seconds(config, 'aws_connect_timeout', `${prefix}_AWS_CONNECT_TIMEOUT`, DEFAULT_AWS_TIMEOUTS.connectMs),
    requestMs: seconds(config, 'aws_timeout', `${prefix}_AWS_TIMEOUT`, DEFAULT_AWS_TIMEOUTS.requestMs),
  };
}
