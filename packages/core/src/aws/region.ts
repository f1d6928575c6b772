import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

export interface RegionSources {
  /** --region */
  flag?: string;
  /** the tool's own config file value, if any */
  config?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The profile the user selected: AWS_PROFILE, else AWS_DEFAULT_PROFILE (as the AWS CLI v1 and botocore,
 * which the original senza used, read it). The same profile gives the region and the credentials.
 */
export function awsProfile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || undefined;
}

/** Reads `region` of the active profile from the shared AWS config file (~/.aws/config). */
export function regionFromSharedConfig(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.AWS_CONFIG_FILE || join(env.HOME || homedir(), '.aws', 'config');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const profile = awsProfile(env) ?? 'default';
  const wanted = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      inSection = wanted.includes(section[1].trim());
      continue;
    }
    if (!inSection) continue;
    const kv = /^region\s*=\s*(\S+)/.exec(line);
    if (kv) return kv[1];
  }
  return undefined;
}

/**
 * Region precedence: flag, AWS_REGION, AWS_DEFAULT_REGION, the tool's config, the shared AWS config.
 */
export function resolveRegion(sources: RegionSources = {}): string {
  const env = sources.env ?? process.env;
  const region =
    sources.flag || env.AWS_REGION || env.AWS_DEFAULT_REGION || sources.config || regionFromSharedConfig(env);
  if (!region) {
    throw new UsageError('Please specify the AWS region on the command line (--region) or in ~/.aws/config', {
      code: 'aws.region-missing',
      hint: 'Pass --region eu-central-1, set AWS_REGION, or add "region = ..." to ~/.aws/config.',
    });
  }
  if (!REGION_PATTERN.test(region)) {
    throw new UsageError(`Invalid value for '--region': '${region}' is not an AWS region name`, {
      code: 'aws.region-invalid',
      hint: 'Region names look like eu-central-1 or us-east-1.',
    });
  }
  return region;
}
