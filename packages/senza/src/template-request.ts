import { type IoHost, loadToolConfig, type Message, StreamHost, UsageError, useColor } from '@stups/core';
import type { AwsSession } from '@stups/core/aws';
import type { TemplateRequest } from '@stups/core/senza';
import type { CliContext } from './main.js';

/** Region from --region, the environment, senza's config file or ~/.aws/config. */
export async function regionOf(options: Record<string, unknown>, cli: CliContext): Promise<string> {
  const { resolveRegion } = await import('@stups/core/aws');
  const config = loadToolConfig('senza', cli.env);
  return resolveRegion({
    flag: options.region as string | undefined,
    config: config.region as string | undefined,
    env: cli.env,
  });
}

/** DEFINITION VERSION [PARAMETER...] plus --parameter-file, --force and --tag as an engine request. */
export async function templateRequest(
  definition: string,
  version: string,
  parameters: string[],
  options: Record<string, unknown>,
  cli: CliContext,
): Promise<TemplateRequest> {
  const [{ loadDefinitionFile }, { readParameterFile }] = await Promise.all([
    import('@stups/core/senza/definition/load-definition'),
    import('@stups/core/senza/definition/arguments'),
  ]);
  const loaded = loadDefinitionFile(definition);
  const fileParams = options.parameterFile ? readParameterFile(String(options.parameterFile)) : [];
  const extraTags = ((options.tag as string[] | undefined) ?? []).map((t) => {
    const parts = t.split('=');
    if (parts.length !== 2) {
      throw new UsageError(`Invalid tag ${t}. Tags should be in the form of key=value`, { code: 'senza.tag-invalid' });
    }
    return { Key: parts[0], Value: parts[1] };
  });
  return {
    definition: loaded,
    version,
    parameters: [...(parameters ?? []), ...fileParams],
    region: await regionOf(options, cli),
    force: Boolean(options.force),
    extraTags,
  };
}

/**
 * An AWS session whose calls are listed on stderr with --debug, with the request timeouts of
 * senza's config (`aws_timeout`, `aws_connect_timeout`; SENZA_AWS_TIMEOUT, SENZA_AWS_CONNECT_TIMEOUT).
 */
export async function openSession(
  region: string,
  host: IoHost,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AwsSession & { finish(): void }> {
  const { AwsSession, awsTimeoutsFrom } = await import('@stups/core/aws');
  const timeouts = awsTimeoutsFrom(loadToolConfig('senza', env));
  const session = new AwsSession({ region, timeouts }) as AwsSession & { finish(): void };
  session.finish = () => {
    host.notify({
      level: 'debug',
      code: 'aws.calls',
      text: `${session.calls.length} AWS calls: ${session.calls.map((c) => `${c.service} ${c.operation}`).join(', ')}`,
      data: { calls: session.calls },
    });
    session.destroy();
  };
  return session;
}

/**
 * Renders an action line on stderr like the original (`Generating Cloud Formation template.. OK`);
 * messages emitted during the action go on their own lines.
 */
export function progressHost(cli: CliContext, action: string) {
  const color = useColor(cli.stderr, cli.env);
  const lines = new StreamHost({ stream: cli.stderr, color, debug: cli.debug });
  let open = false;
  const host: IoHost = {
    notify(m: Message) {
      if (m.level === 'debug' && !cli.debug) return;
      if (open) {
        cli.stderr.write('\n');
        open = false;
      }
      lines.notify(m);
    },
  };
  return {
    host,
    async run<T>(fn: () => Promise<T>): Promise<T> {
      cli.stderr.write(action);
      open = true;
      try {
        const result = await fn();
        cli.stderr.write(open ? ' OK\n' : 'OK\n');
        open = false;
        return result;
      } catch (e) {
        cli.stderr.write(open ? ' FAILED\n' : 'FAILED\n');
        open = false;
        throw e;
      }
    },
  };
}
