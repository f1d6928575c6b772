import type { CliContext } from '@stups/cli-kit';
import { type IoHost, loadSenzaConfig, resolveSenzaRegion, type SpanMessage } from '@stups/core';
import type { AwsSession } from '@stups/core/aws';
import type { TemplateRequest } from '@stups/core/senza';
import type { TemplateOptions } from '@stups/core/senza/definition';
import type { AccountFactsOptions } from '@stups/core/senza/template';

/** Region from --region, the environment, senza's config file or ~/.aws/config (core's resolver). */
export async function regionOf(options: { region?: string }, cli: CliContext): Promise<string> {
  return resolveSenzaRegion(options.region, cli.env);
}

export type { TemplateOptions };

/** DEFINITION VERSION [PARAMETER...] plus --parameter-file, --force and --tag as an engine request. */
export async function templateRequest(
  definition: string,
  version: string,
  parameters: string[],
  options: TemplateOptions,
  cli: CliContext,
): Promise<TemplateRequest> {
  const { templateRequestOf } = await import('@stups/core/senza/definition');
  return templateRequestOf(definition, version, parameters, options, cli.env);
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
  const timeouts = awsTimeoutsFrom(loadSenzaConfig(env));
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
 * How account facts are looked up, from senza's config: whose Taupage AMIs may be chosen
 * (`taupage.owners` / SENZA_TAUPAGE_OWNERS, default the account's own).
 */
export async function accountFactsOptions(cli: CliContext): Promise<AccountFactsOptions> {
  const { taupageOwnersFrom } = await import('@stups/core/senza/template');
  return { taupageOwners: taupageOwnersFrom(loadSenzaConfig(cli.env)) };
}

/** The span of compiling a definition, as the original prints it. */
export const GENERATING_TEMPLATE: SpanMessage<'senza.template-generate'> = {
  code: 'senza.template-generate',
  text: 'Generating Cloud Formation template..',
};
